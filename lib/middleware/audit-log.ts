import type { NextFunction, Request, RequestHandler, Response } from 'express';
import winston from 'winston';
import { checkOptions, is, type Check } from '../core/options.js';
import { enterShield } from '../core/request.js';
import type { ShieldState, StateFinding } from '../core/state.js';
import { contentText } from '../core/openai-types.js';
import { chainRecord, newChain, type ChainState } from '../core/audit-chain.js';
import { scanText } from '../detect/scan.js';

/** Anything with winston's `info` / `warn` / `error`, e.g. a winston logger or `console`. */
export interface AuditLogger {
  info(record: object): unknown;
  warn(record: object): unknown;
  error(record: object): unknown;
}

export interface AuditLogOptions {
  /** Where records go. Default: JSON lines on stdout through winston. */
  logger?: AuditLogger;
  /** `redacted` adds the sanitized prompt to the record. Default `none`: no text at all. */
  includeContent?: 'none' | 'redacted';
  /** Add `seq`, `prevHash` and `hash` so `verifyAuditChain` can detect an edited, dropped or reordered record. Default false. */
  chain?: boolean;
}

/** One audit record (SPEC §7). */
export interface AuditRecord {
  event: 'llm.request';
  requestId: string;
  time: string;
  keyId: string | null;
  ip: string | null;
  method: string;
  path: string;
  status: number;
  outcome: 'allowed' | 'blocked' | 'error' | 'aborted';
  code: string | null;
  model: string | null;
  stream: boolean;
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number } | null;
  durationMs: number;
  upstreamMs: number | null;
  attempts: number | null;
  findings: StateFinding[];
  rateLimit: ShieldState['rateLimit'] | null;
  prompt?: string;
  seq?: number;
  prevHash?: string;
  hash?: string;
}

const FACTORY = 'auditLog';
const loggerCheck: Check = (v) =>
  typeof v === 'object' &&
  v !== null &&
  ['info', 'warn', 'error'].every((m) => typeof (v as Record<string, unknown>)[m] === 'function')
    ? undefined
    : 'a logger with info, warn and error methods';

function defaultLogger(): AuditLogger {
  return winston.createLogger({
    level: 'info',
    format: winston.format.json(),
    transports: [new winston.transports.Console()],
  });
}

function outcomeOf(state: ShieldState, status: number, finished: boolean): AuditRecord['outcome'] {
  if (!finished) return 'aborted';
  if (state.error && state.error.status >= 500) return 'error';
  if (status >= 500) return 'error';
  if (status >= 400 || state.outputBlocked) return 'blocked';
  if (state.error) return 'error';
  return 'allowed';
}

const REDACT_ONLY = { injection: 'off', pii: 'redact', secrets: 'redact' } as const;
const round = (ms: number) => Math.round(ms * 100) / 100;

/**
 * Writes exactly one record per request when the response finishes or the client goes
 * away: who (key id, never the key), what (model, stream, usage), the outcome and its
 * code, timings and every finding. Mount it first so rejections are recorded too.
 *
 * @example
 * ```ts
 * app.use('/chat', auditLog({ logger: winston.createLogger({ transports: [new winston.transports.File({ filename: 'audit.log' })] }), chain: true }))
 * ```
 */
export function auditLog(options: Readonly<AuditLogOptions> = {}): RequestHandler {
  const opts = checkOptions<AuditLogOptions>(FACTORY, options, {
    logger: loggerCheck,
    includeContent: is.oneOf('none', 'redacted'),
    chain: is.boolean,
  });
  const logger = opts.logger ?? defaultLogger();
  const includeContent = opts.includeContent ?? 'none';
  const chain: ChainState | undefined = opts.chain ? newChain() : undefined;

  return function auditLogMiddleware(req: Request, res: Response, next: NextFunction): void {
    const state = enterShield(req, res);
    let written = false;
    const write = () => {
      if (written) return;
      written = true;
      res.off('finish', write);
      res.off('close', write);
      const finished = res.writableFinished;
      const status = finished ? res.statusCode : 499;
      const outcome = outcomeOf(state, status, finished);
      const record: AuditRecord = {
        event: 'llm.request',
        requestId: state.requestId,
        time: new Date().toISOString(),
        keyId: state.keyId,
        ip: req.ip ?? req.socket.remoteAddress ?? null,
        method: req.method,
        path: (req.originalUrl ?? req.url).split('?')[0]!.slice(0, 512),
        status,
        outcome,
        code:
          outcome === 'aborted'
            ? 'client_closed_request'
            : state.outputBlocked
              ? 'content_filter'
              : (state.error?.code ?? null),
        model: state.model ?? null,
        stream: state.stream ?? false,
        usage: state.usage
          ? {
              prompt_tokens: state.usage.prompt_tokens,
              completion_tokens: state.usage.completion_tokens,
              total_tokens: state.usage.total_tokens,
            }
          : null,
        durationMs: round(performance.now() - state.startedAt),
        upstreamMs: state.upstreamMs === undefined ? null : round(state.upstreamMs),
        attempts: state.attempts ?? null,
        findings: state.findings.map((f) => ({ ...f })),
        rateLimit: state.rateLimit ?? null,
      };
      if (includeContent === 'redacted' && state.messages)
        record.prompt = scanText(
          state.messages.map((m) => `${m.role}: ${contentText(m.content)}`).join('\n'),
          REDACT_ONLY,
        ).redacted;
      const out = chain ? chainRecord(chain, record) : record;
      try {
        if (outcome === 'error') logger.error(out);
        else if (outcome === 'allowed') logger.info(out);
        else logger.warn(out);
      } catch {
        // A failing logger must never break the response or the process.
      }
    };
    res.on('finish', write);
    res.on('close', write);
    next();
  };
}
