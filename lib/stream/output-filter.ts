// The output filter, configured once and applied per response: a JSON completion filtered
// whole, or an event stream filtered as it is written. Middlewares only wire it to `res`.

import type { ChatCompletion } from '../core/openai-types.js';
import type { Moderator } from '../core/moderation.js';
import { recordWouldBlock } from '../core/monitor.js';
import { recordChecks, recordFindings, type ShieldState } from '../core/state.js';
import { ChatStreamFilter } from './chat-stream.js';
import { OutputPolicy, type FilterVerdict, type PolicyConfig } from './output-policy.js';

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
  /** A filter for one event-stream response, writing to `out`. */
  eventStream(state: ShieldState, out: EventStreamOut): FilteredEventStream;
}

function record(state: ShieldState, findings: FilterVerdict['findings'], monitor: boolean): void {
  if (findings.length === 0) return;
  recordFindings(
    state,
    findings.map((f) => ({ stage: 'output' as const, ...f })),
  );
  if (monitor && findings.some((f) => f.action === 'block')) recordWouldBlock(state, 'content_filter');
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
    record(
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
  private readonly filter: ChatStreamFilter;

  constructor(
    policy: OutputPolicy,
    state: ShieldState,
    private readonly out: EventStreamOut,
    moderate: Moderator | undefined,
  ) {
    this.filter = new ChatStreamFilter(
      policy,
      {
        write: (text) => {
          if (!this.ended) out.write(text);
        },
        findings: (found) => record(state, found, policy.monitor),
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
    eventStream: (state, out) => {
      recordOutputChecks(config, state);
      const moderate = monitoredModerator(config.moderate, state, config.policy.monitor);
      return new FilteredEventStream(new OutputPolicy(config.policy, state), state, out, moderate);
    },
  };
}

/** A JSON completion, each choice filtered whole; blocked choices get the refusal. */
function filterCompletion(
  config: OutputFilterConfig,
  state: ShieldState,
  body: ChatCompletion,
): ChatCompletion | Promise<ChatCompletion> {
  // A provider's answer without a choices array carries no content to filter.
  if (!Array.isArray(body.choices)) return body;
  recordOutputChecks(config, state);
  const policy = new OutputPolicy(config.policy, state);
  const verdicts = body.choices.map((choice) => {
    const content = choice?.message?.content;
    if (typeof content !== 'string' || content.length === 0) return undefined;
    const verdict = policy.whole(content);
    record(state, verdict.findings, policy.monitor);
    return verdict;
  });
  const build = (blocked: boolean[]) => rebuild({ config, state, body, verdicts, blocked });
  const moderate = monitoredModerator(config.moderate, state, config.policy.monitor);
  if (!moderate) return build(verdicts.map((v) => v?.blocked === true));
  return Promise.all(
    verdicts.map(async (v) => {
      if (v === undefined || v.blocked) return v?.blocked === true;
      const m = await moderate(v.text);
      if (m.flagged)
        record(
          state,
          m.categories.map((type) => ({ detector: 'moderation', type, action: 'block' })),
          false,
        );
      return m.flagged;
    }),
  ).then(build);
}

/** The completion with each choice's filtered text, or the refusal where it is blocked. */
function rebuild(ctx: {
  config: OutputFilterConfig;
  state: ShieldState;
  body: ChatCompletion;
  verdicts: ReadonlyArray<FilterVerdict | undefined>;
  blocked: readonly boolean[];
}): ChatCompletion {
  const { config, state, body, verdicts, blocked } = ctx;
  const choices = body.choices.map((choice, i) => {
    const verdict = verdicts[i];
    if (verdict === undefined) return choice;
    if (blocked[i]) {
      state.outputBlocked = true;
      return { ...choice, message: { ...choice.message, content: config.refusal }, finish_reason: 'content_filter' };
    }
    if (verdict.text === choice.message.content) return choice;
    return { ...choice, message: { ...choice.message, content: verdict.text } };
  });
  return { ...body, choices };
}
