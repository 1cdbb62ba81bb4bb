// One request's calls to the provider: the attempts' controllers, the wait between them,
// and the lifecycle the other middlewares see in the shield state (`upstreamAbort`,
// `settled`). callLLM decides what to call and what to do with the answer.

import type { ChatCompletion, ChatCompletionChunk, ChatCompletionRequest, LLMClient, Usage } from './openai-types.js';
import type { ShieldState } from './state.js';

/** What an attempt needs of callLLM's configuration. */
export interface AttemptConfig {
  client: LLMClient;
  timeoutMs: number;
  /** Passed on every request: the SDK's own retries stay off whatever the client was built with (we retry here). */
  requestOptions: { maxRetries: 0; timeout: number };
}

/** Which provider endpoint a request goes to. */
export type UpstreamApi = 'chat' | 'responses';

/** Why an attempt's controller was aborted; tells a timeout from a client that left. */
export type Stop = 'none' | 'timeout' | 'gone';

/**
 * One request's upstream calls: whether the client is gone, and the controller the attempt
 * in flight runs under. Attempts share one controller until one of them has to be aborted
 * and then retried (a stream that broke before its first chunk): an AbortSignal with its
 * listeners is one of the dearer objects a request makes, so one per request is the rule.
 * The controller in flight is published in the state (`upstreamAbort`) and the end of the
 * call as `settled`: that is the whole contract with the other middlewares.
 */
export class UpstreamCall {
  gone = false;
  controller = new AbortController();
  /** `performance.now()` past which no attempt may run or wait: callLLM's overall deadline. */
  deadline = Number.POSITIVE_INFINITY;
  private wake: (() => void) | undefined;
  private readonly settle: (usage: Usage | undefined) => void;

  constructor(
    private readonly state: ShieldState,
    /** `chat.completions.create` or `responses.create`. */
    readonly api: UpstreamApi = 'chat',
  ) {
    state.upstreamAbort = this.controller;
    let settle!: (usage: Usage | undefined) => void;
    state.settled = new Promise<Usage | undefined>((resolve) => (settle = resolve));
    this.settle = settle;
  }

  /** The client left: abort what is in flight and stop waiting. */
  leave(): void {
    if (this.gone) return;
    this.gone = true;
    this.controller.abort();
    this.wake?.();
  }

  /** The controller for the next attempt. */
  next(): AbortController {
    if (this.controller.signal.aborted) {
      this.controller = new AbortController();
      this.state.upstreamAbort = this.controller;
    }
    return this.controller;
  }

  /**
   * Nothing is upstream any more. The state stays on `res.locals` as long as the response
   * object lives, which may be long after the request: it must not keep the call reachable.
   */
  over(): void {
    this.state.upstreamAbort = undefined;
    this.settle(this.state.usage);
  }

  /** Milliseconds left before the deadline (negative once past it). */
  timeLeft(): number {
    return this.deadline - performance.now();
  }

  /** Waits between attempts; cut short when the client leaves. */
  sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      if (this.gone || ms <= 0) return resolve();
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }
}

/** A stream whose first chunk has arrived. */
export interface StreamAnswer {
  first: ChatCompletionChunk;
  iterator: AsyncIterator<ChatCompletionChunk>;
  controller: AbortController;
  stopped(): Stop;
  /** Arms the between-chunks timer; the caller refreshes it. */
  idle(ms: number): NodeJS.Timeout;
}

/** A successful attempt: the whole completion, or a stream whose first chunk has arrived. */
export type Answer = { completion: ChatCompletion } | StreamAnswer;

const timeoutError = () => Object.assign(new Error('upstream timeout'), { name: 'TimeoutError' });
const abortedError = () => Object.assign(new Error('client went away'), { name: 'AbortError' });
/**
 * Reasoning models (OpenAI's o-series and the GPT-5 family, also behind a `provider/`
 * prefix) refuse `max_tokens`: their completion limit, reasoning included, is
 * `max_completion_tokens`.
 */
export function isReasoningModel(model: string): boolean {
  return /^(?:[\w.-]+\/)?(?:o\d+|gpt-5)(?:[-.]|$)/i.test(model);
}

/**
 * The body for `model`: itself, or for a reasoning model, with `max_tokens` moved to
 * `max_completion_tokens` (the lower of the two when both are set).
 */
export function bodyForModel(body: ChatCompletionRequest, model: string): ChatCompletionRequest {
  const modelled = body.model === model ? body : { ...body, model };
  if (typeof body.max_tokens !== 'number' || !isReasoningModel(model)) return modelled;
  const limit = Math.min(body.max_tokens, body.max_completion_tokens ?? Number.POSITIVE_INFINITY);
  // Set to undefined, not deleted: JSON drops it, and the object keeps its shape.
  return { ...modelled, max_tokens: undefined, max_completion_tokens: limit };
}

/** A stream that ended before its first chunk: retryable, like a dropped connection. */
const emptyStreamError = () => Object.assign(new Error('empty stream'), { name: 'APIConnectionError' });

/**
 * One attempt under the call's controller, which the client's leaving aborts (a stream
 * included). The timer bounds the wait for the whole JSON answer, or for a stream's first
 * chunk: a stream that fails before it may be retried.
 */
export async function attempt(config: AttemptConfig, body: ChatCompletionRequest, call: UpstreamCall): Promise<Answer> {
  // The attempt's own timeout, cut to what is left of the call's deadline.
  const timeoutMs = Math.min(config.timeoutMs, Math.floor(call.timeLeft()));
  if (timeoutMs <= 0) throw timeoutError();
  const controller = call.next();
  // Set from the timer, which TypeScript's narrowing does not see. A client that left wins.
  let timedOut = false as boolean;
  const stopped = (): Stop => (call.gone ? 'gone' : timedOut ? 'timeout' : 'none');
  const onTimeout = () => {
    timedOut = true;
    controller.abort();
  };
  const timer = setTimeout(onTimeout, timeoutMs);
  try {
    const options = { ...config.requestOptions, timeout: timeoutMs, signal: controller.signal };
    const result =
      call.api === 'responses'
        ? await config.client.responses!.create(body, options)
        : await config.client.chat.completions.create(body, options);
    // An answer that arrived is kept even if the client just left: it was billed, and its
    // usage belongs in the state for budgets and the audit record.
    if (body.stream !== true) return { completion: result as ChatCompletion };
    const iterator = (result as AsyncIterable<ChatCompletionChunk>)[Symbol.asyncIterator]();
    const first = await iterator.next();
    // The SDK ends an aborted stream quietly instead of throwing: the reason is ours.
    const stop = stopped();
    if (stop !== 'none') throw stop === 'timeout' ? timeoutError() : abortedError();
    if (first.done) throw emptyStreamError();
    return { first: first.value, iterator, controller, stopped, idle: (ms) => setTimeout(onTimeout, ms) };
  } catch (err) {
    // Ends a half-read stream (and its connection) that we are giving up on.
    if (body.stream === true) controller.abort();
    const stop = stopped();
    if (stop === 'timeout') throw timeoutError();
    if (stop === 'gone') throw abortedError();
    throw err;
  } finally {
    clearTimeout(timer);
  }
}
