import { StringDecoder } from 'node:string_decoder';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { DetectorAction } from '../detect/types.js';
import type { ChatCompletion } from '../core/openai-types.js';
import { resolveModeration, type ModerationOption } from '../core/moderation.js';
import { checkOptions, is, optionError, type Check } from '../core/options.js';
import { modeCheck, type ShieldMode } from '../core/monitor.js';
import { enterShield } from '../core/request.js';
import {
  createOutputFilter,
  type FilteredEventStream,
  type OutputFilter,
  type OutputFilterConfig,
} from '../stream/output-filter.js';
import { policyConfig, type PolicyConfig } from '../stream/output-policy.js';
import { compilePattern, type CompiledPattern } from '../stream/patterns.js';
import { isEventStream } from '../stream/sse.js';
import { isResponseObject } from '../responses/types.js';

export interface FilterOutputOptions {
  /** PII in the output (`email`, `phone`, `credit_card`, …). Default `redact`. */
  pii?: DetectorAction;
  /** Secrets in the output (API keys, tokens, private keys, …). Default `redact`. */
  secrets?: DetectorAction;
  /**
   * Exfiltration through markup. `{ allow: ['cdn.example.com'], links? }` removes markdown
   * images (`![…](url)`, reference definitions) and fetching HTML (`<img src>`, `<iframe>`, …)
   * whose URL is not on an allowed host (subdomains included; relative URLs stay), and —
   * `links`, default true when you pass `urls` — markdown links and `<a href>` (a link keeps
   * its text). `false` turns this off. Default: `{ allow: [], links: false }` — every
   * external image removed, links kept.
   */
  urls?: false | { allow?: readonly string[]; links?: boolean };
  /**
   * Output that must never be sent: strings (literal, case-insensitive) or RegExps. A match
   * blocks the output. RegExps are bounded at startup: `*`, `+` and `{n,}` repeat at most
   * 100 times; backreferences, nested quantifiers and quantified alternations are refused;
   * a match may cover at most 1024 characters; flags among `i`, `m`, `s`, `u`.
   */
  blockedPatterns?: ReadonlyArray<string | RegExp>;
  /**
   * System-prompt leak detection, when `callLLM` set a system prompt: the output is blocked
   * when it contains the request's canary token (also with separators between its
   * characters) or a run of the system prompt's words — 8 words, 6 when the prompt has 100
   * words or more, with up to 2 other words between any two of them. Both are matched on
   * folded text: case, punctuation, invisible characters and look-alike letters ignored.
   * Default true.
   */
  canary?: boolean;
  /**
   * Phrases that must never appear in output (`['Project Nightjar']`): a code name, a
   * customer, a secret of the system prompt. Matched like the system prompt (folded, other
   * words between its words tolerated) and also with separators between its letters; a
   * phrase of fewer than 6 letters and digits only as a word of its own. A match blocks.
   * At most 100 phrases of up to 200 characters. Default none.
   */
  protect?: readonly string[];
  /**
   * Harmful-content moderation (off by default): a function `(text) => boolean | Promise<boolean>`
   * (`true` = harmful) or `{ client, model, check, failOpen, timeoutMs }` using
   * `client.moderations.create`. Streams are checked sentence by sentence (a sentence is held
   * until checked). A failing moderation call blocks unless `failOpen: true`.
   */
  moderation?: ModerationOption;
  /** The text that replaces blocked output in a JSON completion. Default: a short refusal. */
  refusal?: string;
  /**
   * `monitor`: output that would be blocked is sent as it is, and `content_filter` recorded
   * (`wouldBlock` in the audit record, an event on the trace); redaction still applies.
   * Default `enforce`.
   */
  mode?: ShieldMode;
}

const FACTORY = 'filterOutput';
const action: Check = is.oneOf('block', 'redact', 'flag', 'off');
const DEFAULT_REFUSAL = 'The response was withheld by the content filter.';
const HOST = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

const urlsCheck: Check = (v) => {
  if (v === false) return undefined;
  const expected = 'false or { allow?: string[] of host names, links?: boolean }';
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return expected;
  const o = v as Record<string, unknown>;
  if (Object.keys(o).some((k) => k !== 'allow' && k !== 'links')) return expected;
  if (o.links !== undefined && typeof o.links !== 'boolean') return expected;
  if (o.allow !== undefined) {
    if (!Array.isArray(o.allow)) return expected;
    for (const h of o.allow) if (typeof h !== 'string' || !HOST.test(h.toLowerCase())) return expected;
  }
  return undefined;
};
const patternsCheck: Check = (v) => (Array.isArray(v) ? undefined : 'an array of strings or RegExps');
const protectCheck: Check = (v) =>
  Array.isArray(v) &&
  v.length <= 100 &&
  v.every((p) => typeof p === 'string' && p.length <= 200 && /[\p{L}\p{N}]/u.test(p))
    ? undefined
    : 'an array of at most 100 strings of up to 200 characters, each with a letter or digit';

function isChatCompletion(body: unknown): body is ChatCompletion {
  return (
    typeof body === 'object' &&
    body !== null &&
    (body as { object?: unknown }).object === 'chat.completion' &&
    Array.isArray((body as { choices?: unknown }).choices)
  );
}

/** Checks filterOutput's options and builds the filter they describe. */
export function outputFilter(options: Readonly<FilterOutputOptions> = {}): OutputFilter {
  return createOutputFilter(resolveFilterOutputOptions(options));
}

/** filterOutput's options, validated, as the filter's configuration. */
function resolveFilterOutputOptions(options: Readonly<FilterOutputOptions> = {}): OutputFilterConfig {
  const opts = checkOptions<FilterOutputOptions>(FACTORY, options, {
    pii: action,
    secrets: action,
    urls: urlsCheck,
    blockedPatterns: patternsCheck,
    canary: is.boolean,
    protect: protectCheck,
    moderation: is.any,
    refusal: is.nonEmptyString,
    mode: modeCheck,
  });
  const patterns: CompiledPattern[] = (opts.blockedPatterns ?? []).map((p, i) => {
    const compiled = compilePattern(p);
    if (typeof compiled === 'string') throw optionError(FACTORY, `blockedPatterns[${i}]`, compiled, p);
    return compiled;
  });
  const urls = opts.urls === undefined ? { allow: [] as string[], links: false } : opts.urls;
  const policy = policyConfig({
    scan: { injection: 'off', pii: opts.pii ?? 'redact', secrets: opts.secrets ?? 'redact', normalize: false },
    urls:
      urls === false ? undefined : { allow: (urls.allow ?? []).map((h) => h.toLowerCase()), links: urls.links ?? true },
    patterns,
    canary: opts.canary ?? true,
    protect: opts.protect ?? [],
    monitor: opts.mode === 'monitor',
  });
  const moderate = resolveModeration(FACTORY, opts.moderation);
  return { policy, moderate, refusal: opts.refusal ?? DEFAULT_REFUSAL, checks: outputChecks(policy, moderate) };
}

/** The checks a configured filter runs on every response, by the audit record's names. */
function outputChecks(policy: PolicyConfig, moderate: unknown): string[] {
  const checks: string[] = [];
  if (policy.scan.pii !== 'off') checks.push('output.pii');
  if (policy.scan.secrets !== 'off') checks.push('output.secrets');
  if (policy.urls) checks.push('output.urls');
  if (policy.patterns.length > 0) checks.push('output.patterns');
  if (moderate !== undefined) checks.push('output.moderation');
  return checks;
}

/**
 * Filters what any later handler sends: an OpenAI `chat.completion` through `res.json`, or
 * `chat.completion.chunk` server-sent events through `res.write` (any chunking, strings or
 * Buffers, LF or CRLF); likewise a Responses `response` object or its streamed events
 * (docs/responses.md). PII and secrets are redacted, external images removed, system-prompt
 * leaks blocked by default. Every field that carries model text is filtered — content and its
 * parts, `refusal`, reasoning text, tool-call arguments (as JSON) — and a field or stream event
 * the filter does not know is not relayed: the answer ends with `content_filter` instead
 * (docs/output-channels.md). Streams are filtered exactly: the streamed text equals the
 * whole-text filtered text for any chunking. Blocked output ends with `finish_reason:
 * "content_filter"`, never an HTTP error; a stream is then closed (with `data: [DONE]`), the
 * upstream call aborted and later writes of the handler ignored. Other responses pass untouched.
 *
 * @example
 * ```ts
 * app.post('/chat', express.json(), filterOutput({ secrets: 'block', urls: { allow: ['example.com'] }, protect: ['Project Nightjar'] }), myOwnLlmHandler)
 * ```
 */
export function filterOutput(options: Readonly<FilterOutputOptions> = {}): RequestHandler {
  return filterResponses(outputFilter(options));
}

/** The filterOutput middleware of a built filter: replaces the response's methods that send. */
export function filterResponses(filter: OutputFilter): RequestHandler {
  return function filterOutputMiddleware(req: Request, res: Response, next: NextFunction): void {
    const state = enterShield(req, res);
    const json = res.json.bind(res);
    res.json = function filteredJson(body: unknown) {
      const responses = isResponseObject(body);
      if (!responses && !isChatCompletion(body)) return json(body);
      const filtered = responses ? filter.response(state, body) : filter.completion(state, body as ChatCompletion);
      if (!(filtered instanceof Promise)) return json(filtered);
      filtered.then(
        (b) => json(b),
        (err: unknown) => next(err),
      );
      return res;
    } as Response['json'];

    const write = res.write.bind(res) as (chunk: unknown, ...rest: unknown[]) => boolean;
    const end = res.end.bind(res) as (...args: unknown[]) => Response;
    const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => Response;
    let stream: FilteredEventStream | undefined;
    let decided = false;
    let headContentType: unknown;
    // Made with the stream filter: a JSON answer never needs one.
    let decode: ReturnType<typeof decoder> = () => '';

    // `res.writeHead(200, { 'content-type': 'text/event-stream' })` sets no header that
    // getHeader can see; remember it, and drop a Content-Length the filter would falsify.
    res.writeHead = function filteredWriteHead(...args: unknown[]): Response {
      const headers = args.find((a) => typeof a === 'object' && a !== null);
      if (headers && !Array.isArray(headers)) {
        for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === 'content-type') headContentType = v;
        if (isEventStream(headContentType ?? res.getHeader('content-type')))
          for (const k of Object.keys(headers))
            if (k.toLowerCase() === 'content-length') delete (headers as Record<string, unknown>)[k];
      }
      if (isEventStream(headContentType ?? res.getHeader('content-type'))) res.removeHeader('content-length');
      return writeHead(...args);
    } as Response['writeHead'];

    const streamOf = (): FilteredEventStream | undefined => {
      if (decided) return stream;
      decided = true;
      if (!isEventStream(res.getHeader('content-type') ?? headContentType)) return undefined;
      if (!res.headersSent) res.removeHeader('content-length');
      decode = decoder();
      stream = filter.eventStream(state, {
        write: (text) => void write(text),
        end: (callback) => void (callback ? end(callback) : end()),
      });
      return stream;
    };

    res.write = function filteredWrite(chunk: unknown, ...rest: unknown[]): boolean {
      const s = streamOf();
      if (!s) return write(chunk, ...rest);
      const callback = rest.find((x) => typeof x === 'function') as ((err?: Error) => void) | undefined;
      if (!s.closed) s.write(decode(chunk, rest[0]));
      if (callback) process.nextTick(callback);
      return s.closed || !res.writableNeedDrain;
    } as Response['write'];

    res.end = function filteredEnd(...args: unknown[]): Response {
      const s = streamOf();
      if (!s) return end(...args);
      const callback = args.find((a) => typeof a === 'function') as (() => void) | undefined;
      const [chunk, encoding] = args;
      const text =
        s.closed || chunk === undefined || chunk === null || typeof chunk === 'function'
          ? undefined
          : decode(chunk, encoding);
      s.end(text, callback);
      return res;
    } as Response['end'];

    next();
  };
}

/** Turns writes into text; a UTF-8 character split across two Buffers is decoded whole. */
function decoder(): (chunk: unknown, encoding: unknown) => string {
  const utf8 = new StringDecoder('utf8');
  return (chunk, encoding) => {
    if (chunk instanceof Uint8Array) {
      if (typeof encoding === 'string' && !/^utf-?8$/i.test(encoding))
        return utf8.end() + Buffer.from(chunk).toString(encoding as BufferEncoding);
      return utf8.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    }
    const text = typeof chunk === 'string' ? chunk : String(chunk);
    // A string after a Buffer that ended mid-character: that character is lost either way.
    return utf8.end() + text;
  };
}
