// The output filter, configured once and applied per response: a JSON completion filtered
// whole, or an event stream filtered as it is written. Middlewares only wire it to `res`.

import type { ChatCompletion } from '../core/openai-types.js';
import type { Moderator } from '../core/moderation.js';
import { recordChecks, type ShieldState } from '../core/state.js';
import { recordOutput } from './record-output.js';
import { EventStreamFilter, filterResponseObject } from '../responses/filter.js';
import type { ResponseObject } from '../responses/types.js';
import { OutputPolicy, type PolicyConfig } from './output-policy.js';
import { filterMessage, messageTexts, stripUnknown, type FieldVerdict } from './channels.js';

/** What the filter needs, resolved from `filterOutput`'s options. */
export interface OutputFilterConfig {
  policy: PolicyConfig;
  moderate: Moderator | undefined;
  /** The text that replaces a blocked choice of a JSON completion. */
  refusal: string;
  /** The checks this filter runs on every response (`output.pii`, …), as the audit record names them. */
  checks: readonly string[];
}

/** Where a filtered event stream goes: the response's own, unfiltered write and end. */
export interface EventStreamOut {
  write(text: string): void;
  end(callback?: () => void): void;
}

/** filterOutput's work, configured once: the middleware and the preset's callLLM both use it. */
export interface OutputFilter {
  /** The completion as it may be sent; a Promise only when moderation runs. */
  completion(state: ShieldState, body: ChatCompletion): ChatCompletion | Promise<ChatCompletion>;
  /** A Responses `response` object as it may be sent; a Promise only when moderation runs. */
  response(state: ShieldState, body: ResponseObject): ResponseObject | Promise<ResponseObject>;
  /** A filter for one event-stream response, writing to `out`. */
  eventStream(state: ShieldState, out: EventStreamOut): FilteredEventStream;
}

const CANARY_CHECK = ['output.canary'];

/** The checks that run on this response: the configured ones, and the canary when callLLM set one. */
function recordOutputChecks(config: OutputFilterConfig, state: ShieldState): void {
  recordChecks(state, config.checks);
  if (config.policy.canary && (state.canary !== undefined || state.systemPrompt !== undefined))
    recordChecks(state, CANARY_CHECK);
}

/**
 * In monitor mode, a moderation verdict is recorded and the text let through: the findings
 * (action `block`) and the would-block code, then a verdict that does not flag.
 */
function monitoredModerator(
  moderate: Moderator | undefined,
  state: ShieldState,
  monitor: boolean,
): Moderator | undefined {
  if (moderate === undefined || !monitor) return moderate;
  return async (text) => {
    const verdict = await moderate(text);
    if (!verdict.flagged) return verdict;
    recordOutput(
      state,
      verdict.categories.map((type) => ({ detector: 'moderation', type, action: 'block' })),
      true,
    );
    return { ...verdict, flagged: false, categories: [] };
  };
}

/**
 * An event stream on its way through the output filter: text goes in as the handler writes
 * it, filtered frames go out. Blocked output ends the response early and aborts the
 * provider request in flight (the state's `upstreamAbort`); later writes are dropped.
 */
export class FilteredEventStream {
  private ended = false;
  /** Chat Completions chunks or Responses events, chosen on the first event. */
  private readonly filter: EventStreamFilter;

  constructor(
    policy: OutputPolicy,
    state: ShieldState,
    private readonly out: EventStreamOut,
    moderate: Moderator | undefined,
  ) {
    this.filter = new EventStreamFilter(
      policy,
      {
        write: (text) => {
          if (!this.ended) out.write(text);
        },
        findings: (found) => recordOutput(state, found, policy.monitor),
        blocked: () => {
          state.outputBlocked = true;
          state.upstreamAbort?.abort();
          if (!this.ended) {
            this.ended = true;
            out.end();
          }
        },
      },
      moderate,
    );
  }

  /** The response was ended (by `end`, or by a block). */
  get closed(): boolean {
    return this.ended;
  }

  write(text: string): void {
    // After a block the handler may keep writing: its writes are swallowed, not errors.
    if (!this.ended && !this.filter.finished) this.filter.push(text);
  }

  /** Flushes what is held (after moderation, if any), then ends the response. */
  end(text: string | undefined, callback?: () => void): void {
    if (this.ended) {
      if (callback) process.nextTick(callback);
      return;
    }
    if (text !== undefined) this.filter.push(text);
    const finish = () => {
      if (this.ended) {
        if (callback) process.nextTick(callback);
        return;
      }
      this.ended = true;
      this.out.end(callback);
    };
    const pending = this.filter.close();
    if (pending) void pending.then(finish);
    else finish();
  }
}

/** The filter a configuration describes. */
export function createOutputFilter(config: OutputFilterConfig): OutputFilter {
  return {
    completion: (state, body) => filterCompletion(config, state, body),
    response: (state, body) => {
      recordOutputChecks(config, state);
      const moderate = monitoredModerator(config.moderate, state, config.policy.monitor);
      return filterResponseObject(
        { policy: new OutputPolicy(config.policy, state), moderate, refusal: config.refusal },
        state,
        body,
      );
    },
    eventStream: (state, out) => {
      recordOutputChecks(config, state);
      const moderate = monitoredModerator(config.moderate, state, config.policy.monitor);
      return new FilteredEventStream(new OutputPolicy(config.policy, state), state, out, moderate);
    },
  };
}

/** A JSON completion, each choice's message filtered field by field; blocked choices get the refusal. */
function filterCompletion(
  config: OutputFilterConfig,
  state: ShieldState,
  body: ChatCompletion,
): ChatCompletion | Promise<ChatCompletion> {
  // A provider's answer without a choices array carries no content to filter.
  if (!Array.isArray(body.choices)) return body;
  recordOutputChecks(config, state);
  const policy = new OutputPolicy(config.policy, state);
  const envelope = stripUnknown(body, 'envelope');
  if (envelope.stripped) recordOutput(state, [{ detector: 'channel', type: 'unknown_field', action: 'redact' }]);
  const verdicts = body.choices.map((choice) => {
    const message = choice?.message as Record<string, unknown> | undefined;
    if (typeof message !== 'object' || message === null) return undefined;
    const verdict = filterMessage(policy, message);
    recordOutput(state, verdict.findings, policy.monitor);
    return verdict;
  });
  const build = (blocked: boolean[]) =>
    rebuild({ config, state, body: envelope.value as ChatCompletion, verdicts, blocked });
  const moderate = monitoredModerator(config.moderate, state, config.policy.monitor);
  if (!moderate) return build(verdicts.map((v) => v?.blocked === true));
  return Promise.all(
    verdicts.map(async (v) => {
      if (v === undefined || v.blocked) return v?.blocked === true;
      const texts = messageTexts(v.value as Record<string, unknown>);
      if (texts.length === 0) return false;
      const m = await moderate(texts.join('\n\n'));
      if (m.flagged)
        recordOutput(
          state,
          m.categories.map((type) => ({ detector: 'moderation', type, action: 'block' })),
          false,
        );
      return m.flagged;
    }),
  ).then(build);
}

/** The completion with each choice's filtered message, or the refusal where it is blocked. */
function rebuild(ctx: {
  config: OutputFilterConfig;
  state: ShieldState;
  body: ChatCompletion;
  verdicts: ReadonlyArray<FieldVerdict | undefined>;
  blocked: readonly boolean[];
}): ChatCompletion {
  const { config, state, body, verdicts, blocked } = ctx;
  let changed = false;
  const choices = body.choices.map((original, i) => {
    const verdict = verdicts[i];
    const { value: choice, stripped } = stripUnknown(original as unknown as Record<string, unknown>, 'choice');
    const c = choice as unknown as ChatCompletion['choices'][number];
    if (stripped) recordOutput(state, [{ detector: 'channel', type: 'unknown_field', action: 'redact' }]);
    if (verdict === undefined) return stripped ? ((changed = true), c) : original;
    if (blocked[i]) {
      state.outputBlocked = true;
      changed = true;
      // Only the refusal goes out: no other channel of a blocked message is sent.
      const message = { role: c.message.role ?? 'assistant', content: config.refusal, refusal: null };
      return { ...c, message, finish_reason: 'content_filter' };
    }
    if (verdict.value === c.message && !stripped) return original;
    changed = true;
    return { ...c, message: verdict.value as ChatCompletion['choices'][number]['message'] };
  });
  return changed ? { ...body, choices } : body;
}
