import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { scanText } from '../detect/scan.js';
import type { DetectorAction } from '../detect/types.js';
import type { ChatCompletion, ChatCompletionChunk } from '../core/openai-types.js';
import { checkOptions, is, type Check } from '../core/options.js';
import { enterShield } from '../core/request.js';
import { recordFindings, type ShieldState } from '../core/state.js';
import { isEventStream, SSE_DONE, SseParser, sseFrame } from '../stream/sse.js';
import { StreamTextFilter, type FilterVerdict, type OutputPolicy } from '../stream/text-filter.js';

export interface FilterOutputOptions {
  /** Default `redact`. */
  pii?: Exclude<DetectorAction, 'block'> | 'block';
  /** Default `redact`. */
  secrets?: DetectorAction;
  /** The text that replaces blocked output. Default: a short refusal. */
  refusal?: string;
}

const FACTORY = 'filterOutput';
const action: Check = is.oneOf('block', 'redact', 'flag', 'off');
const DEFAULT_REFUSAL = 'The response was withheld by the content filter.';

type Sink = (chunk: string) => boolean;

function isChatCompletion(body: unknown): body is ChatCompletion {
  return (
    typeof body === 'object' &&
    body !== null &&
    (body as { object?: unknown }).object === 'chat.completion' &&
    Array.isArray((body as { choices?: unknown }).choices)
  );
}

function recordOutput(state: ShieldState, verdict: Pick<FilterVerdict, 'findings'>): void {
  recordFindings(
    state,
    verdict.findings.map((f) => ({ stage: 'output' as const, detector: f.detector, type: f.type, action: f.action })),
  );
}

/**
 * Filters what any later handler sends: an OpenAI `chat.completion` through `res.json`,
 * or `chat.completion.chunk` server-sent events through `res.write`, in any chunking. PII
 * and secrets are redacted by default; blocked output ends with `finish_reason:
 * "content_filter"`, never an HTTP error. Other responses pass untouched.
 *
 * @example
 * ```ts
 * app.post('/chat', express.json(), filterOutput({ secrets: 'block' }), myOwnLlmHandler)
 * ```
 */
export function filterOutput(options: Readonly<FilterOutputOptions> = {}): RequestHandler {
  const opts = checkOptions<FilterOutputOptions>(FACTORY, options, {
    pii: action,
    secrets: action,
    refusal: is.nonEmptyString,
  });
  const scan = {
    injection: 'off',
    pii: opts.pii ?? 'redact',
    secrets: opts.secrets ?? 'redact',
    normalize: false,
  } as const;
  const refusal = opts.refusal ?? DEFAULT_REFUSAL;
  const policy: OutputPolicy = (text) => {
    const result = scanText(text, scan);
    return {
      text: result.redacted,
      findings: result.findings,
      blocked: result.findings.some((f) => f.action === 'block'),
    };
  };

  function filterCompletion(state: ShieldState, body: ChatCompletion): ChatCompletion {
    const choices = body.choices.map((choice) => {
      const content = choice.message?.content;
      if (typeof content !== 'string' || content.length === 0) return choice;
      const verdict = policy(content);
      recordOutput(state, verdict);
      if (verdict.blocked) state.outputBlocked = true;
      if (verdict.blocked)
        return { ...choice, message: { ...choice.message, content: refusal }, finish_reason: 'content_filter' };
      if (verdict.text === content) return choice;
      return { ...choice, message: { ...choice.message, content: verdict.text } };
    });
    return { ...body, choices };
  }

  return function filterOutputMiddleware(req: Request, res: Response, next: NextFunction): void {
    const state = enterShield(req, res);
    const json = res.json.bind(res);
    res.json = function filteredJson(body: unknown) {
      return json(isChatCompletion(body) ? filterCompletion(state, body) : body);
    } as Response['json'];

    const write = res.write.bind(res) as (chunk: unknown, ...rest: unknown[]) => boolean;
    const end = res.end.bind(res) as (...args: unknown[]) => Response;
    let stream: StreamFilter | undefined;
    let finished = false;

    const streamOf = (): StreamFilter | undefined => {
      if (stream === undefined && isEventStream(res.getHeader('content-type')))
        stream = new StreamFilter(
          state,
          policy,
          (s) => write(s),
          () => finishBlocked(),
        );
      return stream;
    };
    const finishBlocked = () => {
      finished = true;
      state.abortUpstream?.();
      end();
    };

    res.write = function filteredWrite(chunk: unknown, ...rest: unknown[]): boolean {
      const s = streamOf();
      if (!s) return write(chunk, ...rest);
      const callback = rest.find((x) => typeof x === 'function') as (() => void) | undefined;
      if (finished) {
        callback?.();
        return true;
      }
      const ok = s.push(decode(chunk, rest[0]));
      callback?.();
      return ok;
    } as Response['write'];

    res.end = function filteredEnd(...args: unknown[]): Response {
      const s = streamOf();
      if (!s) return end(...args);
      if (finished) return res;
      const [chunk, encoding] = args;
      if (chunk !== undefined && typeof chunk !== 'function') s.push(decode(chunk, encoding));
      if (!finished) {
        s.close();
        finished = true;
        end(...args.filter((a) => typeof a === 'function'));
      }
      return res;
    } as Response['end'];

    next();
  };
}

function decode(chunk: unknown, encoding: unknown): string {
  if (typeof chunk === 'string') return chunk;
  if (chunk instanceof Uint8Array)
    return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString(
      typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8',
    );
  return String(chunk);
}

/** Rewrites a chat.completion.chunk event stream, content filtered per choice. */
class StreamFilter {
  private readonly parser = new SseParser();
  private readonly choices = new Map<number, StreamTextFilter>();
  private last: Pick<ChatCompletionChunk, 'id' | 'created' | 'model'> = {
    id: 'chatcmpl-filtered',
    created: Math.floor(Date.now() / 1000),
    model: '',
  };
  private done = false;

  constructor(
    private readonly state: ShieldState,
    private readonly policy: OutputPolicy,
    private readonly sink: Sink,
    private readonly onBlocked: () => void,
  ) {}

  push(text: string): boolean {
    let ok = true;
    for (const event of this.parser.push(text)) {
      ok = this.handle(event.data, event.raw) && ok;
      if (this.done) break;
    }
    return ok;
  }

  close(): void {
    for (const event of this.parser.flush()) this.handle(event.data, event.raw);
    if (!this.done) this.flushAll();
  }

  private filterFor(index: number): StreamTextFilter {
    let f = this.choices.get(index);
    if (!f) this.choices.set(index, (f = new StreamTextFilter(this.policy)));
    return f;
  }

  private handle(data: string | undefined, raw: string): boolean {
    if (this.done) return true;
    if (data === undefined) return this.sink(raw);
    if (data === '[DONE]') {
      this.flushAll();
      return this.sink(SSE_DONE);
    }
    let chunk: ChatCompletionChunk;
    try {
      chunk = JSON.parse(data) as ChatCompletionChunk;
    } catch {
      // Not JSON we understand: it cannot be checked, so it is not sent.
      return true;
    }
    if (chunk?.object !== 'chat.completion.chunk' || !Array.isArray(chunk.choices)) {
      return this.sink(sseFrame(data));
    }
    this.last = { id: chunk.id, created: chunk.created, model: chunk.model };
    let changed = false;
    const choices = [];
    for (const choice of chunk.choices) {
      const filter = this.filterFor(choice.index);
      let content = typeof choice.delta?.content === 'string' ? filter.push(choice.delta.content) : undefined;
      if (choice.finish_reason) content = (content ?? '') + filter.end();
      if (filter.blocked) return this.block(choice.index, filter);
      const hadContent = typeof choice.delta?.content === 'string';
      if ((hadContent || content) && content !== choice.delta.content) changed = true;
      const delta = hadContent || content ? { ...choice.delta, content: content ?? '' } : choice.delta;
      // A content-only delta that is all held back is dropped rather than sent empty.
      if (content === '' && !choice.finish_reason && Object.keys(choice.delta).every((k) => k === 'content')) {
        changed = true;
        continue;
      }
      choices.push({ ...choice, delta });
    }
    if (chunk.choices.length > 0 && choices.length === 0) return true;
    return this.sink(changed ? sseFrame(JSON.stringify({ ...chunk, choices })) : sseFrame(data));
  }

  private flushAll(): void {
    for (const [index, filter] of this.choices) {
      const rest = filter.end();
      if (filter.blocked) {
        this.block(index, filter);
        return;
      }
      recordOutputFindings(this.state, filter);
      if (rest)
        this.sink(
          sseFrame(
            JSON.stringify({ ...this.base(), choices: [{ index, delta: { content: rest }, finish_reason: null }] }),
          ),
        );
    }
    this.choices.clear();
  }

  private base() {
    return { id: this.last.id, object: 'chat.completion.chunk', created: this.last.created, model: this.last.model };
  }

  private block(index: number, filter: StreamTextFilter): boolean {
    this.done = true;
    this.state.outputBlocked = true;
    recordOutputFindings(this.state, filter);
    this.sink(
      sseFrame(JSON.stringify({ ...this.base(), choices: [{ index, delta: {}, finish_reason: 'content_filter' }] })),
    );
    this.sink(SSE_DONE);
    this.onBlocked();
    return true;
  }
}

function recordOutputFindings(state: ShieldState, filter: StreamTextFilter): void {
  recordOutput(state, { findings: filter.findings.splice(0) });
}
