import { randomBytes } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import OpenAI from 'openai';
import { estimateTokens } from '../detect/tokens.js';
import { ShieldError } from '../core/errors.js';
import {
  contentText,
  type ChatCompletion,
  type ChatCompletionChunk,
  type ChatCompletionRequest,
  type ChatMessage,
  type LLMClient,
  type Usage,
} from '../core/openai-types.js';
import { checkOptions, is, optionError, type Check } from '../core/options.js';
import { enterShield } from '../core/request.js';
import type { ShieldState } from '../core/state.js';
import {
  classifyUpstreamError,
  isRetryable,
  upstreamShieldError,
  type UpstreamFailure,
} from '../core/upstream-errors.js';
import { sseFrame, SSE_DONE } from '../stream/sse.js';

export interface CallLLMOptions {
  /** An OpenAI client (or any compatible one, e.g. `createMockLLM()`). Default: `new OpenAI()` from `OPENAI_API_KEY` / `OPENAI_BASE_URL`. */
  client?: LLMClient;
  /** The model used when the request names none. Required. */
  model?: string;
  /** Models a request may name. Default: `model` and `fallbackModels`. */
  allowedModels?: readonly string[];
  /** The server's system prompt, always sent first. */
  systemPrompt?: string;
  /** Cap on completion tokens; requests asking for more are clamped. Default 4096. */
  maxTokens?: number;
  /** Per-attempt timeout in ms. Default 60 000. */
  timeoutMs?: number;
  /** Further attempts after the first on connection errors, 408, 409, 429 and 5xx. Default 2. */
  retries?: number;
  /** Models tried in order when the requested one keeps failing. */
  fallbackModels?: readonly string[];
  /** Longest `Retry-After` honoured, in ms; a provider asking for longer is given up on. Default 10 000. */
  maxRetryAfterMs?: number;
  /** First backoff step in ms (doubling, full jitter). Default 250. */
  backoffMs?: number;
  /** Add a per-request canary token to the system prompt so `filterOutput` can spot leaks. Default true when `systemPrompt` is set. */
  canary?: boolean;
}

const FACTORY = 'callLLM';
const clientCheck: Check = (v) =>
  typeof v === 'object' && v !== null && typeof (v as LLMClient).chat?.completions?.create === 'function'
    ? undefined
    : 'an OpenAI client (with chat.completions.create)';

/** The client from OPENAI_API_KEY / OPENAI_BASE_URL, or a startup error that says what to set. */
function clientFromEnv(): LLMClient {
  const apiKey = process.env.OPENAI_API_KEY;
  if (!apiKey)
    throw new TypeError(
      `${FACTORY}: no \`client\` given and OPENAI_API_KEY is not set (pass a client, e.g. \`new OpenAI()\` or \`createMockLLM()\`, or set OPENAI_API_KEY)`,
    );
  return new OpenAI({
    apiKey,
    ...(process.env.OPENAI_BASE_URL ? { baseURL: process.env.OPENAI_BASE_URL } : {}),
  }) as unknown as LLMClient;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

/**
 * Calls the provider for a validated Chat Completions request and sends its answer —
 * JSON or a server-sent-event stream — exactly as OpenAI would. Model allow-list, system
 * prompt, token cap, per-attempt timeout, retries with backoff and jitter honouring
 * `Retry-After`, fallback models; a client that disconnects aborts the upstream call.
 *
 * @example
 * ```ts
 * app.post('/chat', express.json(), validatePrompt(), callLLM({ client: new OpenAI(), model: 'gpt-4o-mini', retries: 2 }))
 * ```
 */
export function callLLM(options: Readonly<CallLLMOptions> = {}): RequestHandler {
  const opts = checkOptions<CallLLMOptions>(FACTORY, options, {
    client: clientCheck,
    model: is.nonEmptyString,
    allowedModels: is.stringArray,
    systemPrompt: is.nonEmptyString,
    maxTokens: is.positiveInt,
    timeoutMs: is.positiveInt,
    retries: is.nonNegativeInt,
    fallbackModels: is.stringArray,
    maxRetryAfterMs: is.nonNegativeInt,
    backoffMs: is.positiveInt,
    canary: is.boolean,
  });
  if (opts.model === undefined) throw optionError(FACTORY, 'model', 'a non-empty string', undefined);
  const model = opts.model;
  const client = opts.client ?? clientFromEnv();
  const fallbackModels = [...(opts.fallbackModels ?? [])];
  const allowed = new Set(opts.allowedModels ?? [model, ...fallbackModels]);
  if (!allowed.has(model)) throw new TypeError(`${FACTORY}: \`model\` ("${model}") must be one of \`allowedModels\``);
  const maxTokens = opts.maxTokens ?? 4096;
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const retries = opts.retries ?? 2;
  const maxRetryAfterMs = opts.maxRetryAfterMs ?? 10_000;
  const backoffMs = opts.backoffMs ?? 250;
  const systemPrompt = opts.systemPrompt;
  const useCanary = opts.canary ?? systemPrompt !== undefined;
  if (useCanary && systemPrompt === undefined)
    throw new TypeError(`${FACTORY}: \`canary\` needs a \`systemPrompt\` to hide the canary in`);

  function chooseModel(req: Request, state: ShieldState): string {
    const requested = (req.body as ChatCompletionRequest).model ?? model;
    const own = state.principal?.models;
    if (!allowed.has(requested) || (own !== undefined && !own.includes(requested))) {
      throw new ShieldError(400, 'model_not_allowed', 'The requested model is not available for this key.', {
        param: 'model',
      });
    }
    return requested;
  }

  function upstreamBody(req: Request, state: ShieldState, chosen: string): ChatCompletionRequest {
    const incoming = req.body as ChatCompletionRequest;
    const messages: ChatMessage[] = [];
    if (systemPrompt !== undefined) {
      let content = systemPrompt;
      if (useCanary) {
        state.canary = `cnry-${randomBytes(9).toString('base64url')}`;
        content += `\n\n(Confidential marker, never repeat it: ${state.canary})`;
      }
      state.systemPrompt = systemPrompt;
      messages.push({ role: 'system', content });
    }
    messages.push(...(state.messages ?? incoming.messages));
    const body: ChatCompletionRequest = { ...incoming, model: chosen, messages };
    // Clamp whichever token field the client used; default to the cap so cost is bounded.
    if (typeof incoming.max_completion_tokens === 'number')
      body.max_completion_tokens = Math.min(incoming.max_completion_tokens, maxTokens);
    else
      body.max_tokens = Math.min(typeof incoming.max_tokens === 'number' ? incoming.max_tokens : maxTokens, maxTokens);
    if (incoming.stream === true) body.stream_options = { include_usage: true };
    else delete body.stream_options;
    return body;
  }

  /** One attempt with its own timeout, aborted too when the client goes away. */
  async function attempt(body: ChatCompletionRequest, clientGone: AbortSignal): Promise<unknown> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new DOMException('upstream timeout', 'TimeoutError')), timeoutMs);
    const onGone = () => controller.abort(clientGone.reason);
    clientGone.addEventListener('abort', onGone, { once: true });
    try {
      return await client.chat.completions.create(body, {
        signal: controller.signal,
        maxRetries: 0,
        timeout: timeoutMs,
      });
    } catch (err) {
      if (controller.signal.aborted && !clientGone.aborted)
        throw Object.assign(new Error('upstream timeout'), { name: 'TimeoutError' });
      throw err;
    } finally {
      clearTimeout(timer);
      clientGone.removeEventListener('abort', onGone);
    }
  }

  /** Tries the model, then the fallbacks, each with retries; resolves with the provider's result. */
  async function withResilience(
    body: ChatCompletionRequest,
    state: ShieldState,
    clientGone: AbortSignal,
  ): Promise<unknown> {
    let failure: UpstreamFailure = { kind: 'connection' };
    const models = [body.model!, ...fallbackModels.filter((m) => m !== body.model)];
    state.attempts = 0;
    for (const candidate of models) {
      for (let n = 0; n <= retries; n++) {
        if (clientGone.aborted) throw upstreamShieldError({ kind: 'aborted' });
        state.attempts++;
        try {
          const result = await attempt({ ...body, model: candidate }, clientGone);
          state.model = candidate;
          return result;
        } catch (err) {
          failure = classifyUpstreamError(err);
          if (failure.kind === 'aborted' || failure.kind === 'timeout') throw upstreamShieldError(failure);
          if (!isRetryable(failure)) break;
          if (n === retries) break;
          if (failure.retryAfterMs !== undefined && failure.retryAfterMs > maxRetryAfterMs) break;
          const backoff = Math.random() * backoffMs * 2 ** n;
          await sleep(Math.max(failure.retryAfterMs ?? 0, backoff), clientGone);
        }
      }
      if (failure.kind === 'client' && failure.status !== 404) break;
    }
    throw upstreamShieldError(failure);
  }

  return async function callLLMMiddleware(req: Request, res: Response, next: NextFunction): Promise<void> {
    const state = enterShield(req, res);
    const clientGone = new AbortController();
    const onClose = () => {
      if (!res.writableFinished) clientGone.abort(new DOMException('client disconnected', 'AbortError'));
    };
    res.on('close', onClose);
    state.abortUpstream = () => clientGone.abort(new DOMException('output blocked', 'AbortError'));
    const started = performance.now();
    try {
      const incoming = req.body as ChatCompletionRequest | undefined;
      if (!incoming || !Array.isArray(incoming.messages))
        throw new ShieldError(400, 'invalid_request', '`messages` must be a non-empty array.', { param: 'messages' });
      const chosen = chooseModel(req, state);
      state.model = chosen;
      const body = upstreamBody(req, state, chosen);
      state.stream = body.stream === true;
      const result = await withResilience(body, state, clientGone.signal);
      if (body.stream === true)
        await relayStream(
          result as AsyncIterable<ChatCompletionChunk>,
          res,
          state,
          incoming.stream_options?.include_usage === true,
          body,
          started,
        );
      else {
        const completion = result as ChatCompletion;
        state.upstreamMs = performance.now() - started;
        state.usage =
          completion.usage ??
          estimateUsage(body, completion.choices?.map((c) => c.message?.content ?? '').join('') ?? '');
        if (!res.headersSent) res.json(completion);
      }
    } catch (err) {
      if (clientGone.signal.aborted && res.writableEnded) return;
      if (clientGone.signal.aborted && !res.headersSent && res.destroyed) return;
      next(err);
    } finally {
      state.upstreamMs ??= performance.now() - started;
      res.off('close', onClose);
    }
  };
}

/** What a call cost when the provider did not say (a stream cut short): prompt plus text so far. */
function estimateUsage(body: ChatCompletionRequest, completionText: string): Usage {
  let prompt = 0;
  for (const m of body.messages) prompt += estimateTokens(contentText(m.content)) + 4;
  const completion = estimateTokens(completionText);
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

/** Relays the provider's chunks as SSE, with backpressure; errors after the first byte go in-band. */
async function relayStream(
  stream: AsyncIterable<ChatCompletionChunk>,
  res: Response,
  state: ShieldState,
  clientWantsUsage: boolean,
  body: ChatCompletionRequest,
  started: number,
): Promise<void> {
  let text = '';
  try {
    for await (const chunk of stream) {
      if (res.writableEnded || res.destroyed) break;
      if (!res.headersSent) {
        res.status(200);
        res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
        res.setHeader('Cache-Control', 'no-cache, no-transform');
        res.setHeader('X-Accel-Buffering', 'no');
        res.flushHeaders();
      }
      if (chunk.usage) state.usage = chunk.usage;
      for (const c of chunk.choices ?? []) if (typeof c.delta?.content === 'string') text += c.delta.content;
      // The usage-only chunk is ours (we asked for it); pass it on only when the client did.
      if (!clientWantsUsage && chunk.usage && (chunk.choices?.length ?? 0) === 0) continue;
      const frame = sseFrame(JSON.stringify(clientWantsUsage || !chunk.usage ? chunk : { ...chunk, usage: undefined }));
      if (!res.write(frame))
        await new Promise<void>((resolve) => {
          const go = () => {
            res.off('drain', go);
            res.off('close', go);
            resolve();
          };
          res.on('drain', go);
          res.on('close', go);
        });
    }
    state.upstreamMs = performance.now() - started;
    if (!res.headersSent) {
      res.status(200).setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    }
    if (!res.writableEnded) {
      res.write(SSE_DONE);
      res.end();
    }
  } catch (err) {
    state.upstreamMs = performance.now() - started;
    if (res.writableEnded || res.destroyed) return;
    const failure = classifyUpstreamError(err);
    if (failure.kind === 'aborted') return;
    const shieldError = upstreamShieldError(failure);
    state.error = { status: shieldError.status, code: shieldError.code };
    if (!res.headersSent) throw shieldError;
    // Headers are out: the error goes in-band, as OpenAI does, and the stream ends cleanly.
    res.write(sseFrame(JSON.stringify(shieldError.toJSON())));
    res.end();
  } finally {
    state.usage ??= estimateUsage(body, text);
  }
}
