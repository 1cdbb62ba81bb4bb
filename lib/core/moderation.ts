// Content moderation shared by validatePrompt (input) and filterOutput (output): the
// provider's moderations endpoint (`client.moderations.create`) or a function of yours.
// A moderation call that fails blocks (fail closed) unless `failOpen` is set.

import { openAIClientFromEnv } from './openai-client.js';
import type { LLMClient } from './openai-types.js';
import { checkNested, describe, is, optionError, type Check } from './options.js';

/** A check of your own: `true` means the text is harmful (flagged). */
export type ModerationCheck = (text: string) => boolean | Promise<boolean>;

/** The `moderation` option of `validatePrompt` and `filterOutput`. */
export interface ModerationOptions {
  /** A client with `moderations.create` (OpenAI, `createMockLLM()`). Default: `new OpenAI()` from `OPENAI_API_KEY`, unless `check` is given. */
  client?: LLMClient;
  /** Moderation model. Default `'omni-moderation-latest'`. */
  model?: string;
  /** Your own check instead of the endpoint. */
  check?: ModerationCheck;
  /** Let text through when moderation itself fails (error, timeout). Default false: fail closed. */
  failOpen?: boolean;
  /** Per-call timeout in ms. Default 10 000. */
  timeoutMs?: number;
}

/** Off (`false`, the default), a function, or options. */
export type ModerationOption = false | ModerationCheck | ModerationOptions;

export interface ModerationVerdict {
  flagged: boolean;
  /** Flagged category names (`violence`, …), or `['flagged']` for a function's `true`. */
  categories: string[];
  /** Moderation failed; `flagged` then says what `failOpen` decided. */
  failed: boolean;
}

/** A resolved moderator. */
export type Moderator = (text: string) => Promise<ModerationVerdict>;

const clientCheck: Check = (v) =>
  typeof (v as LLMClient)?.moderations?.create === 'function' ? undefined : 'a client with moderations.create';

/** Validates the `moderation` option once, at startup. Returns undefined when off. */
export function resolveModeration(factory: string, value: unknown): Moderator | undefined {
  if (value === undefined || value === false) return undefined;
  const expected = 'false, a function (text) => boolean, or { client, model, check, failOpen, timeoutMs }';
  if (typeof value === 'function') return makeModerator({ check: value as ModerationCheck });
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw optionError(factory, 'moderation', expected, value);
  const o = checkNested<ModerationOptions>(factory, 'moderation', value, {
    client: clientCheck,
    model: is.nonEmptyString,
    check: is.function,
    failOpen: is.boolean,
    timeoutMs: is.positiveInt,
  });
  if (o.check !== undefined && o.client !== undefined)
    throw new TypeError(`${factory}: \`moderation\` takes \`client\` or \`check\`, not both`);
  let client = o.client;
  if (o.check === undefined && client === undefined) {
    client = openAIClientFromEnv();
    if (client === undefined)
      throw new TypeError(
        `${factory}: \`moderation\` needs a \`client\` (or a \`check\` function), or OPENAI_API_KEY set (received ${describe(value)})`,
      );
  }
  return makeModerator({ ...o, ...(client ? { client } : {}) });
}

function makeModerator(o: ModerationOptions): Moderator {
  const failOpen = o.failOpen ?? false;
  const timeoutMs = o.timeoutMs ?? 10_000;
  const model = o.model ?? 'omni-moderation-latest';
  const ask = async (text: string, signal: AbortSignal): Promise<string[]> => {
    if (o.check) return (await o.check(text)) === true ? ['flagged'] : [];
    const res = (await o.client!.moderations!.create({ model, input: text }, { signal })) as {
      results?: Array<{ flagged?: boolean; categories?: Record<string, boolean> }>;
    };
    if (!Array.isArray(res?.results)) throw new Error('malformed moderation response');
    const hits: string[] = [];
    for (const r of res.results) {
      if (r?.flagged !== true) continue;
      const named = Object.entries(r.categories ?? {})
        .filter(([, v]) => v === true)
        .map(([k]) => k);
      hits.push(...(named.length > 0 ? named : ['flagged']));
    }
    return [...new Set(hits)];
  };
  return async function moderate(text: string): Promise<ModerationVerdict> {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new Error('moderation timeout'));
      }, timeoutMs);
    });
    try {
      const categories = await Promise.race([ask(text, controller.signal), timeout]);
      return { flagged: categories.length > 0, categories, failed: false };
    } catch {
      return { flagged: !failOpen, categories: failOpen ? [] : ['moderation_unavailable'], failed: true };
    } finally {
      clearTimeout(timer);
    }
  };
}
