// An OpenAI-compatible client with no network, for demos and tests: deterministic
// replies, real streaming (async iteration with abort), moderations, scripted failures.

import { estimateTokens } from '../detect/tokens.js';
import {
  contentText,
  estimatePromptTokens,
  type ChatCompletion,
  type ChatCompletionChunk,
  type ChatCompletionRequest,
  type ChatMessage,
  type LLMClient,
} from '../core/openai-types.js';
import { checkOptions, is, type Check } from '../core/options.js';
import { mockResponse, mockResponseEvents } from '../responses/mock.js';
import { inputAsMessages, type ResponsesRequest, type ResponseStreamEvent } from '../responses/types.js';

/** A scripted failure, consumed by the next call. */
export type MockFailure =
  | { status: number; retryAfter?: number; message?: string }
  | { type: 'timeout' }
  | { type: 'connection' }
  /** The stream fails after this many chunks (a JSON request fails as a dropped connection). */
  | { type: 'stream_error'; afterChunks: number };

export interface MockLLMOptions {
  /** The reply text, or a function of the request's messages. Default: a short reply quoting the last user message. */
  reply?: string | ((messages: ChatMessage[], body: ChatCompletionRequest) => string);
  /** Characters per streamed chunk. Default 8. */
  chunkSize?: number;
  /** Delay before the answer and between streamed chunks, ms. Default 0. */
  delayMs?: number;
  /** Failures thrown by the next calls, in order. */
  failures?: MockFailure[];
  /** Words that make `moderations.create` flag an input. Default: a few obviously harmful phrases. */
  flagged?: readonly string[];
}

/** The error a mock call throws: shaped like the SDK's `APIError` (status, headers, error). */
export class MockAPIError extends Error {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly error: { message: string; type: string };
  constructor(status: number, message: string, headers: Record<string, string> = {}) {
    super(`${status} ${message}`);
    this.name = 'APIError';
    this.status = status;
    this.headers = headers;
    this.error = { message, type: 'mock_error' };
  }
}

export interface MockLLM extends LLMClient {
  chat: {
    completions: {
      create(body: ChatCompletionRequest, options?: { signal?: AbortSignal; timeout?: number }): Promise<any>;
    };
  };
  models: {
    list(): Promise<{
      object: 'list';
      data: Array<{ id: string; object: 'model'; created: number; owned_by: string }>;
    }>;
  };
  /** The Responses API: JSON, or a stream of events with `stream: true`. */
  responses: { create(body: ResponsesRequest, options?: { signal?: AbortSignal; timeout?: number }): Promise<any> };
  moderations: { create(body: { input: string | string[]; model?: string }): Promise<any> };
  /** The last 100 request bodies received (Chat Completions and Responses), newest last. */
  readonly requests: ChatCompletionRequest[];
  /** Adds failures to the script. */
  fail(...failures: MockFailure[]): void;
}

const FACTORY = 'createMockLLM';
/** How many request bodies `requests` keeps. */
const MAX_RECORDED = 100;
const DEFAULT_FLAGGED = ['kill yourself', 'build a bomb', 'make a bomb'];
const failuresCheck: Check = (v) => (Array.isArray(v) ? undefined : 'an array of failures');

function abortError(): Error {
  return Object.assign(new Error('Request was aborted.'), { name: 'APIUserAbortError' });
}

function wait(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(abortError());
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * An OpenAI-compatible client that needs no network or key: pass it as `client` to
 * `callLLM` or `llmShield` for demos and tests.
 *
 * @example
 * ```ts
 * const client = createMockLLM({ reply: 'Hello!', failures: [{ status: 500 }] })
 * app.use('/v1', llmShield({ client, model: 'mock-model', keys: [{ id: 'demo', key: 'demo-key-0123456789' }] }))
 * ```
 */
export function createMockLLM(options: Readonly<MockLLMOptions> = {}): MockLLM {
  const opts = checkOptions<MockLLMOptions>(FACTORY, options, {
    reply: is.either(is.nonEmptyString, is.function),
    chunkSize: is.positiveInt,
    delayMs: is.nonNegativeInt,
    failures: failuresCheck,
    flagged: is.stringArray,
  });
  const chunkSize = opts.chunkSize ?? 8;
  const delayMs = opts.delayMs ?? 0;
  const script: MockFailure[] = [...(opts.failures ?? [])];
  const flagged = (opts.flagged ?? DEFAULT_FLAGGED).map((w) => w.toLowerCase());
  const requests: ChatCompletionRequest[] = [];
  let counter = 0;

  const replyFor = (body: ChatCompletionRequest): string => {
    if (typeof opts.reply === 'string') return opts.reply;
    if (typeof opts.reply === 'function') return opts.reply(body.messages, body);
    const lastUser = [...body.messages].reverse().find((m) => m.role === 'user');
    const said = contentText(lastUser?.content ?? '').slice(0, 200);
    return `This is the mock model of express-llm-shield. You said: "${said}"`;
  };

  async function throwScripted(failure: MockFailure, signal?: AbortSignal, timeout?: number): Promise<never> {
    if ('status' in failure) {
      const headers: Record<string, string> =
        failure.retryAfter === undefined ? {} : { 'retry-after': String(failure.retryAfter) };
      throw new MockAPIError(failure.status, failure.message ?? 'scripted failure', headers);
    }
    if (failure.type === 'connection')
      throw Object.assign(new Error('Connection error.'), { name: 'APIConnectionError' });
    // A hang: ends only by the caller's timeout or abort.
    await wait(timeout ?? 600_000, signal);
    throw Object.assign(new Error('Request timed out.'), { name: 'APIConnectionTimeoutError' });
  }

  /**
   * What every call does first: record the body, throw a scripted failure, wait. Returns
   * after how many chunks a stream is to fail (Infinity: it does not).
   */
  async function begin(
    body: { stream?: boolean | null | undefined },
    options: { signal?: AbortSignal; timeout?: number },
  ): Promise<number> {
    // A long-running demo server must not grow without bound: keep the newest requests only.
    if (requests.length >= MAX_RECORDED) requests.shift();
    requests.push(structuredClone(body) as ChatCompletionRequest);
    const failure = script.shift();
    const streamError = failure !== undefined && 'type' in failure && failure.type === 'stream_error';
    if (failure && !streamError) await throwScripted(failure, options.signal, options.timeout);
    // A JSON answer has no chunks to fail after: it fails as a dropped connection would.
    if (streamError && body.stream !== true)
      throw Object.assign(new Error('Connection error.'), { name: 'APIConnectionError' });
    await wait(delayMs, options.signal);
    return streamError ? failure.afterChunks : Infinity;
  }

  /** Yields `items` with the mock's delay between them, failing after `failAfter`, stopping on abort. */
  function paced<T>(items: readonly T[], failAfter: number, signal: AbortSignal): AsyncGenerator<T> {
    return (async function* () {
      for (let sent = 0; sent < items.length; sent++) {
        if (sent >= failAfter)
          throw Object.assign(new Error('Connection reset mid-stream.'), { name: 'APIConnectionError' });
        if (sent > 0) await wait(delayMs, signal);
        else if (signal.aborted) throw abortError();
        yield items[sent]!;
      }
    })();
  }

  /** `responses.create`: the reply as a `response` object, or as its events. */
  async function createResponse(
    body: ResponsesRequest,
    options: { signal?: AbortSignal; timeout?: number } = {},
  ): Promise<unknown> {
    const failAfter = await begin(body, options);
    const messages = inputAsMessages(body);
    const text = replyFor({ ...body, messages } as ChatCompletionRequest);
    const input = estimatePromptTokens(messages);
    const output = estimateTokens(text);
    const parts = {
      id: `resp_mock_${++counter}`,
      model: body.model ?? 'mock-model',
      text,
      usage: { input_tokens: input, output_tokens: output, total_tokens: input + output },
      chunkSize,
    };
    if (body.stream !== true) return mockResponse(parts);
    const controller = new AbortController();
    const signal = options.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal;
    const events: ResponseStreamEvent[] = mockResponseEvents(parts);
    return Object.assign(paced(events, failAfter, signal), { controller });
  }

  async function create(
    body: ChatCompletionRequest,
    options: { signal?: AbortSignal; timeout?: number } = {},
  ): Promise<unknown> {
    const failAfter = await begin(body, options);
    const id = `chatcmpl-mock-${++counter}`;
    const created = Math.floor(Date.now() / 1000);
    const model = body.model ?? 'mock-model';
    const text = replyFor(body);
    const promptTokens = estimatePromptTokens(body.messages);
    const completionTokens = estimateTokens(text);
    const usage = {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
    };
    if (body.stream !== true) {
      const completion: ChatCompletion = {
        id,
        object: 'chat.completion',
        created,
        model,
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: text, refusal: null },
            finish_reason: 'stop',
            logprobs: null,
          },
        ],
        usage,
      };
      return completion;
    }
    const includeUsage = body.stream_options?.include_usage === true;
    const controller = new AbortController();
    const signal = options.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal;
    const base = { id, object: 'chat.completion.chunk' as const, created, model };
    const extra = includeUsage ? { usage: null } : {};
    const chunks: ChatCompletionChunk[] = [
      { ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }], ...extra },
    ];
    for (let i = 0; i < text.length; i += chunkSize)
      chunks.push({
        ...base,
        choices: [{ index: 0, delta: { content: text.slice(i, i + chunkSize) }, finish_reason: null }],
        ...extra,
      });
    chunks.push({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], ...extra });
    if (includeUsage) chunks.push({ ...base, choices: [], usage });
    return Object.assign(paced(chunks, failAfter, signal), { controller });
  }

  return {
    chat: { completions: { create } },
    responses: { create: createResponse },
    models: {
      list: async () => ({
        object: 'list' as const,
        data: [{ id: 'mock-model', object: 'model' as const, created: 0, owned_by: 'express-llm-shield' }],
      }),
    },
    moderations: {
      create: async (body: { input: string | string[] }) => {
        const inputs = Array.isArray(body.input) ? body.input : [body.input];
        return {
          id: `modr-mock-${++counter}`,
          model: 'mock-moderation',
          results: inputs.map((input) => {
            const hit = flagged.some((w) => String(input).toLowerCase().includes(w));
            return { flagged: hit, categories: { violence: hit }, category_scores: { violence: hit ? 0.99 : 0.01 } };
          }),
        };
      },
    },
    requests,
    fail: (...failures: MockFailure[]) => void script.push(...failures),
  };
}
