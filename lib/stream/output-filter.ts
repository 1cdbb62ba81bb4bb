// The output filter, configured once and applied per response: a JSON completion filtered
// whole, or an event stream filtered as it is written. Middlewares only wire it to `res`.

import type { ChatCompletion } from '../core/openai-types.js';
import type { Moderator } from '../core/moderation.js';
import { recordFindings, type ShieldState } from '../core/state.js';
import { EventStreamFilter, filterResponseObject } from '../responses/filter.js';
import type { ResponseObject } from '../responses/types.js';
import { OutputPolicy, type FilterVerdict, type PolicyConfig } from './output-policy.js';
import { filterMessage, messageTexts, stripUnknown, type FieldVerdict } from './channels.js';

/** What the filter needs, resolved from `filterOutput`'s options. */
export interface OutputFilterConfig {
  policy: PolicyConfig;
  moderate: Moderator | undefined;
  /** The text that replaces a blocked choice of a JSON completion. */
  refusal: string;
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

function record(state: ShieldState, findings: FilterVerdict['findings']): void {
  if (findings.length > 0)
    recordFindings(
      state,
      findings.map((f) => ({ stage: 'output' as const, ...f })),
    );
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
        findings: (found) => record(state, found),
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
    response: (state, body) =>
      filterResponseObject(
        { policy: new OutputPolicy(config.policy, state), moderate: config.moderate, refusal: config.refusal },
        state,
        body,
      ),
    eventStream: (state, out) =>
      new FilteredEventStream(new OutputPolicy(config.policy, state), state, out, config.moderate),
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
  const policy = new OutputPolicy(config.policy, state);
  const envelope = stripUnknown(body, 'envelope');
  if (envelope.stripped) record(state, [{ detector: 'channel', type: 'unknown_field', action: 'redact' }]);
  const verdicts = body.choices.map((choice) => {
    const message = choice?.message as Record<string, unknown> | undefined;
    if (typeof message !== 'object' || message === null) return undefined;
    const verdict = filterMessage(policy, message);
    record(state, verdict.findings);
    return verdict;
  });
  const build = (blocked: boolean[]) =>
    rebuild({ config, state, body: envelope.value as ChatCompletion, verdicts, blocked });
  const moderate = config.moderate;
  if (!moderate) return build(verdicts.map((v) => v?.blocked === true));
  return Promise.all(
    verdicts.map(async (v) => {
      if (v === undefined || v.blocked) return v?.blocked === true;
      const texts = messageTexts(v.value as Record<string, unknown>);
      if (texts.length === 0) return false;
      const m = await moderate(texts.join('\n\n'));
      if (m.flagged)
        record(
          state,
          m.categories.map((type) => ({ detector: 'moderation', type, action: 'block' })),
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
    if (stripped) record(state, [{ detector: 'channel', type: 'unknown_field', action: 'redact' }]);
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
