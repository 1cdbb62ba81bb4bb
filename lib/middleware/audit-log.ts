import { isIP } from 'node:net';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import winston from 'winston';
import { chainRecord, newChain, secretCheck, type ChainLink, type ChainState } from '../core/audit-chain.js';
import { contentText, type ChatMessage } from '../core/openai-types.js';
import { checkOptions, is, type Check } from '../core/options.js';
import { clientAddress, enterShield, keyFingerprint, presentedKey } from '../core/request.js';
import type { ShieldState, StateFinding } from '../core/state.js';
import { scanText } from '../detect/scan.js';

/** Anything with winston's `info` / `warn` / `error`, e.g. a winston logger. May return a promise. */
export interface AuditLogger {
  info(record: object): unknown;
  warn(record: object): unknown;
  error(record: object): unknown;
}

export interface AuditLogOptions {
  /** Where records go: a winston logger or any `{ info, warn, error }`. Default: JSON lines on stdout through winston. */
  logger?: AuditLogger;
  /**
   * `redacted` adds `prompt` (the sanitized prompt, PII and secrets redacted by `scanText`).
   * Default `none`: no prompt or completion text at all.
   */
  includeContent?: 'none' | 'redacted';
  /**
   * `true` adds `chainId`, `seq`, `prevHash` and `hash` (SHA-256) so that `verifyAuditChain`
   * catches an edited, dropped or reordered record. `{ secret }` makes the hash an
   * HMAC-SHA-256 (records carry `alg: "hmac-sha256"`): whoever can write the log but not
   * read the secret cannot rebuild the chain after an edit. Default false.
   */
  chain?: boolean | { secret: string | Buffer };
  /**
   * The client address: `full`, `truncate` (IPv4 to /24, IPv6 to /48, e.g. `203.0.113.0`)
   * or `none` (`ip: null`). Default `truncate`: an address is personal data, and the key id
   * already says who called.
   */
  ip?: 'full' | 'truncate' | 'none';
  /** Told when the logger throws or rejects (the record is lost; the response is not affected). Default: ignored. */
  onError?: (err: unknown) => void;
}

/** How a request ended. */
export type AuditOutcome = 'allowed' | 'blocked' | 'error' | 'aborted';

/** An OWASP Top 10 for LLM Applications (2025) id, e.g. `LLM01` (prompt injection). */
export type OwaspLlmId = `LLM${'01' | '02' | '03' | '04' | '05' | '06' | '07' | '08' | '09' | '10'}`;

/** A finding in the audit record: one per stage / detector / type / action, with its OWASP LLM Top 10 id. */
export interface AuditFinding extends StateFinding {
  /** The OWASP LLM Top 10 risk the finding relates to; null for your own `rules`. */
  owasp: OwaspLlmId | null;
}

/** One audit record, as written to the logger. */
export interface AuditRecord {
  event: 'llm.request';
  requestId: string;
  /** When the record was written (the response finished or the client went away), ISO 8601. */
  time: string;
  /** The principal id, else a fingerprint of the presented key (`key_…`), else null. Never the key. */
  keyId: string | null;
  ip: string | null;
  method: string;
  /** The path without its query string (which may carry secrets), printable ASCII only. */
  path: string;
  /** The status sent; 499 when the client went away before any was sent. */
  status: number;
  outcome: AuditOutcome;
  /** The error code of a refusal or failure, `content_filter` for blocked output, `client_closed_request` when aborted, else null. */
  code: string | null;
  model: string | null;
  stream: boolean;
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number } | null;
  durationMs: number;
  upstreamMs: number | null;
  attempts: number | null;
  findings: AuditFinding[];
  /** The OWASP LLM Top 10 ids the request touched (findings and refusal code), sorted. */
  owasp: OwaspLlmId[];
  rateLimit: { limit: number; remaining: number; tokensRemaining?: number } | null;
  /** The checks that ran on this request, in order (docs/audit-log.md lists them); a check switched off, skipped or not reached is absent. */
  checks: string[];
  /** Monitor mode: the refusal codes that were recorded and let through (empty when none). */
  wouldBlock: string[];
  /** Only with `includeContent: 'redacted'`. */
  prompt?: string;
}

const FACTORY = 'auditLog';
const MAX_PATH = 512;
const MAX_CONTENT = 8_000;

const loggerCheck: Check = (v) =>
  typeof v === 'object' &&
  v !== null &&
  ['info', 'warn', 'error'].every((m) => typeof (v as Record<string, unknown>)[m] === 'function')
    ? undefined
    : 'a logger with info, warn and error methods';

const chainCheck: Check = (v) => {
  if (typeof v === 'boolean') return undefined;
  const keys = typeof v === 'object' && v !== null ? Object.keys(v) : [];
  return keys.length === 1 && keys[0] === 'secret' && secretCheck((v as { secret: unknown }).secret) === undefined
    ? undefined
    : 'a boolean or { secret } (a string or Buffer of at least 32 bytes)';
};

/** Where winston's transports read the formatted line (triple-beam's MESSAGE). */
const MESSAGE = Symbol.for('message');

// Audit records are plain data built here (no cycles, no BigInt, no symbols to keep), so the
// engine's JSON.stringify writes the same line as winston's `format.json()`, which runs
// safe-stable-stringify with a replacer function over every value: a measurable cost per request.
const auditLine = winston.format((info) => {
  (info as unknown as Record<symbol, string>)[MESSAGE] = JSON.stringify(info);
  return info;
});

/**
 * The default logger's lines of this event-loop turn, written as one `write` when the turn
 * ends: one system call for the records of every request that finished in it, instead of
 * one each. A crash loses at most this turn's lines, as winston's own buffering would.
 */
const pending = { lines: '', to: undefined as NodeJS.WritableStream | undefined, scheduled: false, hooked: false };

function flushPending(): void {
  pending.scheduled = false;
  const { lines, to } = pending;
  pending.lines = '';
  if (lines !== '' && to !== undefined) to.write(lines);
}

function queueLine(to: NodeJS.WritableStream, line: string): void {
  if (pending.to !== to) {
    flushPending();
    pending.to = to;
  }
  pending.lines += line;
  if (pending.scheduled) return;
  pending.scheduled = true;
  setImmediate(flushPending);
  // A process that exits with lines queued (process.exit in this turn) writes them first.
  if (!pending.hooked) {
    pending.hooked = true;
    process.once('exit', flushPending);
  }
}

// winston's Console transport, writing to stdout as it does (`console._stdout`,
// `${line}${eol}`), without scheduling a `logged` event per record that nobody listens to:
// that setImmediate closure and its Immediate were a large share of auditLog's per-request
// cost (docs/architecture.md gives the figures). Lines are batched per event-loop turn.
// Anything else (a `logged` listener, no `console._stdout`) goes to Console's own `log`.
class StdoutTransport extends winston.transports.Console {
  override log(info: object, callback: () => void): void {
    const stdout = (console as { _stdout?: NodeJS.WritableStream })._stdout;
    if (stdout === undefined || this.listenerCount('logged') > 0) return super.log!(info, callback);
    queueLine(stdout, `${(info as Record<symbol, string>)[MESSAGE]}${this.eol}`);
    callback();
  }
}

function defaultLogger(): AuditLogger {
  return winston.createLogger({
    level: 'info',
    format: auditLine(),
    transports: [new StdoutTransport()],
  });
}

// winston re-emits a transport's failure as an 'error' event on the logger; with no
// listener that event would throw and take the process down.
function guardEmitter(logger: AuditLogger, onError: (err: unknown) => void): void {
  const emitter = logger as unknown as {
    on?: (event: string, fn: (err: unknown) => void) => unknown;
    listenerCount?: (event: string) => number;
  };
  if (typeof emitter.on === 'function' && typeof emitter.listenerCount === 'function')
    if (emitter.listenerCount('error') === 0) emitter.on('error', onError);
}

// Blocked input is a prompt risk; blocked output a disclosure or handling risk (OWASP LLM Top 10, 2025).
function owaspOf(f: StateFinding): OwaspLlmId | null {
  switch (f.detector) {
    case 'injection':
      return 'LLM01';
    case 'pii':
    case 'secrets':
      return 'LLM02';
    case 'canary':
      return 'LLM07';
    case 'url':
    case 'pattern':
    case 'channel':
      return 'LLM05';
    case 'moderation':
      return f.stage === 'input' ? 'LLM01' : 'LLM05';
    default:
      return null;
  }
}

const OWASP_BY_CODE: Readonly<Record<string, OwaspLlmId>> = {
  prompt_injection: 'LLM01',
  sensitive_data: 'LLM02',
  prompt_too_long: 'LLM10',
  request_too_large: 'LLM10',
  rate_limit_exceeded: 'LLM10',
  token_budget_exceeded: 'LLM10',
  concurrency_limit_exceeded: 'LLM10',
};

/** The OWASP ids of the findings and the code, sorted; no Set and no sort for the usual request without findings. */
function owaspIds(findings: readonly AuditFinding[], code: string | null): OwaspLlmId[] {
  const byCode = code === null ? undefined : OWASP_BY_CODE[code];
  if (findings.length === 0) return byCode === undefined ? [] : [byCode];
  const owasp = new Set<OwaspLlmId>();
  for (const f of findings) if (f.owasp !== null) owasp.add(f.owasp);
  if (byCode !== undefined) owasp.add(byCode);
  return [...owasp].sort();
}

function outcomeOf(state: ShieldState, status: number, finished: boolean): AuditOutcome {
  if (!finished) return 'aborted';
  if (status >= 500 || (state.error !== undefined && state.error.status >= 500)) return 'error';
  if (status >= 400 || state.outputBlocked === true) return 'blocked';
  // A refusal that still ended in a success status (an error handler of the app's own).
  if (state.error !== undefined) return 'blocked';
  return 'allowed';
}

// `isIP` in Node's own form for IPv4 (four decimal octets 0–255, no leading zeros), here once
// with the first three octets captured, optionally behind the IPv4-mapped `::ffff:` prefix.
const V4_OCTET = '(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])';
const IPV4 = new RegExp(`^(?:::ffff:)?((${V4_OCTET}\\.${V4_OCTET}\\.${V4_OCTET}\\.)${V4_OCTET})$`);

/** The client address as configured, or null when it is not an IP address at all (a forged `X-Forwarded-For`). */
export function formatIp(raw: string | undefined, mode: 'full' | 'truncate' | 'none'): string | null {
  if (mode === 'none' || raw === undefined) return null;
  // Most clients: an IPv4 address, bare or IPv4-mapped; one regex instead of isIP, slice,
  // isIP again and a replace. The same result as the general path below.
  const v4 = IPV4.exec(raw);
  if (v4 !== null) return mode === 'full' ? v4[1]! : `${v4[2]!}0`;
  let ip = raw.startsWith('::ffff:') && isIP(raw.slice(7)) === 4 ? raw.slice(7) : raw;
  const version = isIP(ip);
  if (version === 0) return null;
  if (mode === 'full') return ip;
  if (version === 4) return ip.replace(/\.\d+$/, '.0');
  ip = ip.split('%')[0]!; // zone index
  const [head = '', tail = ''] = ip.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === '' ? [] : tail.split(':');
  const groups = ip.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups
    .slice(0, 3)
    .map((g) => g.replace(/^0+(?=.)/, '').toLowerCase())
    .join(':')}::`;
}

// Printable ASCII only: whatever a client puts in the URL stays one inert string.
export function safePath(url: string): string {
  // Most paths are short printable ASCII: cut at `?` / `#` (or MAX_PATH) in one pass, and
  // leave anything else to the general code below. The same result either way.
  for (let i = 0; i < url.length; i++) {
    if (i === MAX_PATH) return url.slice(0, MAX_PATH);
    const c = url.charCodeAt(i);
    if (c === 0x3f || c === 0x23) return url.slice(0, i);
    if (c < 0x21 || c > 0x7e) return escapedPath(url);
  }
  return url;
}

function escapedPath(url: string): string {
  const path = url.split(/[?#]/, 1)[0]!.slice(0, MAX_PATH);
  return path.replace(/[^\x21-\x7e]/g, (c) => {
    const hex = c.charCodeAt(0).toString(16).toUpperCase();
    return hex.length <= 2 ? `%${hex.padStart(2, '0')}` : `%u${hex.padStart(4, '0')}`;
  });
}

// `toISOString` goes through V8's runtime on every call; within one second only
// the milliseconds change, so the rest of the string is kept. The same string as
// `new Date(now).toISOString()`; times it cannot vouch for go to toISOString itself.
const YEAR_10000 = 253_402_300_800_000;
let isoSecond = Number.NaN;
let isoPrefix = '';
export function isoTime(now: number): string {
  if (!(Number.isInteger(now) && now >= 0 && now < YEAR_10000)) return new Date(now).toISOString();
  const ms = now % 1000;
  const second = now - ms;
  if (second !== isoSecond) {
    isoPrefix = new Date(second).toISOString().slice(0, 20); // YYYY-MM-DDTHH:mm:ss.
    isoSecond = second;
  }
  return `${isoPrefix}${ms < 10 ? '00' : ms < 100 ? '0' : ''}${ms}Z`;
}

const METHOD = /^[A-Z]{1,16}$/;
const REDACT_ONLY = { injection: 'off', pii: 'redact', secrets: 'redact' } as const;
const round = (ms: number) => Math.round(ms * 100) / 100;
const count = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 0);

/** The prompt for `includeContent: 'redacted'`: as sent upstream, or as received when it was refused before that. */
function promptText(req: Request, state: ShieldState): string | undefined {
  const body = req.body as { messages?: unknown } | undefined;
  const messages = state.messages ?? (Array.isArray(body?.messages) ? (body.messages as unknown[]) : undefined);
  if (messages === undefined) return undefined;
  const lines: string[] = [];
  for (const m of messages) {
    if (typeof m !== 'object' || m === null) continue;
    const { role, content } = m as Partial<ChatMessage>;
    lines.push(`${typeof role === 'string' ? role.slice(0, 32) : '?'}: ${contentText(content ?? '')}`);
  }
  // Redact before the cut, so no secret is cut in half where it might no longer be recognised;
  // the scan itself is bounded to a margin well past the cut.
  const text = scanText(lines.join('\n').slice(0, MAX_CONTENT * 4), REDACT_ONLY).redacted;
  return text.length > MAX_CONTENT ? `${text.slice(0, MAX_CONTENT)} [TRUNCATED]` : text;
}

function rateLimitOf(req: Request, state: ShieldState): AuditRecord['rateLimit'] {
  if (state.rateLimit) return { ...state.rateLimit };
  // express-rate-limit sets `req.rateLimit` on refused requests too.
  const info = (req as unknown as { rateLimit?: { limit?: unknown; remaining?: unknown } }).rateLimit;
  if (info && typeof info.limit === 'number' && typeof info.remaining === 'number')
    return { limit: info.limit, remaining: info.remaining };
  return null;
}

/** The record as handed to the logger: `message` keeps winston from nesting the record under it; verifyAuditChain ignores it. */
type AuditEntry = { message: 'llm.request' } & AuditRecord;

interface AuditConfig {
  includeContent: 'none' | 'redacted';
  ipMode: 'full' | 'truncate' | 'none';
}

/** One request being audited. */
interface AuditedRequest {
  req: Request;
  res: Response;
  state: ShieldState;
}

/** The request's record; `finished` is false when the client went away first. */
function buildEntry(config: AuditConfig, audited: AuditedRequest, finished: boolean): AuditEntry {
  const { req, res, state } = audited;
  const status = finished || res.headersSent ? res.statusCode : 499;
  const outcome = outcomeOf(state, status, finished);
  const key = state.keyId === null ? presentedKey(req) : undefined;
  const findings = state.findings.map((f) => ({ ...f, owasp: owaspOf(f) }));
  const code =
    outcome === 'aborted'
      ? 'client_closed_request'
      : (state.error?.code ?? (state.outputBlocked === true ? 'content_filter' : null));
  const usage = state.usage;
  // `message` is built in, first: the same line as copying the record into
  // `{ message, ...record }`, without the copy (a measurable share of the per-request cost).
  const entry: AuditEntry = {
    message: 'llm.request',
    event: 'llm.request',
    requestId: state.requestId,
    time: isoTime(Date.now()),
    keyId: state.keyId ?? (key === undefined ? null : keyFingerprint(key)),
    ip: formatIp(clientAddress(req), config.ipMode),
    method: METHOD.test(req.method) ? req.method : 'OTHER',
    path: safePath(req.originalUrl ?? req.url),
    status,
    outcome,
    code,
    model: state.model ?? null,
    stream: state.stream === true,
    usage: usage
      ? {
          prompt_tokens: count(usage.prompt_tokens),
          completion_tokens: count(usage.completion_tokens),
          total_tokens: count(usage.total_tokens),
        }
      : null,
    durationMs: round(performance.now() - state.startedAt),
    upstreamMs: state.upstreamMs === undefined ? null : round(state.upstreamMs),
    attempts: state.attempts ?? null,
    findings,
    owasp: owaspIds(findings, code),
    rateLimit: rateLimitOf(req, state),
    checks: state.checks.slice(),
    wouldBlock: state.wouldBlock === undefined ? [] : state.wouldBlock.slice(),
  };
  if (config.includeContent === 'redacted') {
    const prompt = promptText(req, state);
    if (prompt !== undefined) entry.prompt = prompt;
  }
  return entry;
}

/**
 * Writes exactly one record per request when the response finishes or the client goes
 * away: who (key id, never the key), what (model, stream, token usage), the outcome and its
 * code, timings, every finding with its OWASP LLM Top 10 id, and the rate-limit state. No
 * prompt or completion text unless `includeContent: 'redacted'`. Mount it first — before
 * the JSON parser too, or the parser's refusals never reach it. A failing logger never
 * affects the response.
 *
 * Options (defaults): `logger` (winston, JSON lines on stdout), `includeContent`
 * (`'none'`), `chain` (false), `ip` (`'truncate'`), `onError` (none).
 *
 * @example
 * ```ts
 * const logger = winston.createLogger({
 *   format: winston.format.json(),
 *   transports: [new winston.transports.File({ filename: 'audit.log' })],
 * })
 * app.post('/chat', auditLog({ logger, chain: true }), express.json(), apiKeyAuth({ keys }), callLLM({ client, model: 'gpt-4o-mini' }))
 * app.use(errorHandler())
 * ```
 */
export function auditLog(options: Readonly<AuditLogOptions> = {}): RequestHandler {
  const opts = checkOptions<AuditLogOptions>(FACTORY, options, {
    logger: loggerCheck,
    includeContent: is.oneOf('none', 'redacted'),
    chain: chainCheck,
    ip: is.oneOf('full', 'truncate', 'none'),
    onError: is.function,
  });
  const onError = (err: unknown) => {
    try {
      opts.onError?.(err);
    } catch {
      // The reporter failing too leaves nothing else to tell.
    }
  };
  const logger = opts.logger ?? defaultLogger();
  guardEmitter(logger, onError);
  const config: AuditConfig = { includeContent: opts.includeContent ?? 'none', ipMode: opts.ip ?? 'truncate' };
  const chain: ChainState | undefined =
    opts.chain === true ? newChain() : typeof opts.chain === 'object' ? newChain(opts.chain.secret) : undefined;

  function emit(entry: AuditEntry | (AuditEntry & ChainLink)): void {
    try {
      const outcome = entry.outcome;
      const result: unknown =
        outcome === 'error' ? logger.error(entry) : outcome === 'allowed' ? logger.info(entry) : logger.warn(entry);
      if (typeof (result as { then?: unknown } | null)?.then === 'function')
        (result as Promise<unknown>).then(undefined, onError);
    } catch (err) {
      onError(err);
    }
  }

  // Shared by every request (not a closure per request): only the two listeners below are.
  function write(audited: AuditedRequest, finished: boolean): void {
    try {
      const entry = buildEntry(config, audited, finished);
      emit(chain ? chainRecord(chain, entry) : entry);
    } catch (err) {
      // A bug in building the record must not reach the response or the process either.
      onError(err);
    }
  }

  return function auditLogMiddleware(req: Request, res: Response, next: NextFunction): void {
    const audited: AuditedRequest = { req, res, state: enterShield(req, res) };
    // `written` alone keeps it to one record: the other listener is left in place (it runs
    // once more at most, and returns) rather than removed, which cost more than that call.
    let written = false;
    const onFinish = () => {
      if (written) return;
      written = true;
      write(audited, true);
    };
    const onClose = () => {
      if (written) return;
      written = true;
      if (res.writableFinished) return write(audited, true);
      // The client went away: let the handlers see the abort first (callLLM settles usage).
      setImmediate(write, audited, false);
    };
    res.on('finish', onFinish);
    res.on('close', onClose);
    next();
  };
}
