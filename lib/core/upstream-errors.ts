// How a provider failure is classified and answered. Provider errors are never passed on:
// their status (a 401 for our own bad upstream key), message and headers stay here.

import { ShieldError } from './errors.js';

export type FailureKind = 'timeout' | 'aborted' | 'connection' | 'rate_limited' | 'overloaded' | 'server' | 'client';

export interface UpstreamFailure {
  kind: FailureKind;
  status?: number;
  /** Milliseconds the provider asked us to wait (Retry-After, retry-after-ms), if any. */
  retryAfterMs?: number;
}

function header(headers: unknown, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const value = (headers as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

/** Retry-After as milliseconds: `retry-after-ms`, seconds, or an HTTP date. */
export function retryAfterMs(headers: unknown, now = Date.now()): number | undefined {
  const ms = header(headers, 'retry-after-ms');
  if (ms !== undefined && /^\d+(\.\d+)?$/.test(ms)) return Math.ceil(Number(ms));
  const value = header(headers, 'retry-after');
  if (value === undefined) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.ceil(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Classifies what the SDK (or a mock) threw, by shape rather than class, so any SDK major fits. */
export function classifyUpstreamError(err: unknown): UpstreamFailure {
  const e = (err ?? {}) as { name?: unknown; status?: unknown; headers?: unknown; code?: unknown };
  const name = typeof e.name === 'string' ? e.name : '';
  if (name === 'APIConnectionTimeoutError' || name === 'TimeoutError' || e.code === 'ETIMEDOUT')
    return { kind: 'timeout' };
  if (name === 'APIUserAbortError' || name === 'AbortError') return { kind: 'aborted' };
  const status = typeof e.status === 'number' ? e.status : undefined;
  if (status === undefined) return { kind: 'connection' };
  const wait = retryAfterMs(e.headers);
  const base = wait === undefined ? { status } : { status, retryAfterMs: wait };
  if (status === 429) return { kind: 'rate_limited', ...base };
  if (status === 503 || status === 529) return { kind: 'overloaded', ...base };
  if (status === 408 || status === 409 || status >= 500) return { kind: 'server', ...base };
  return { kind: 'client', ...base };
}

/**
 * Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff And
 * Jitter"): a uniform wait in [0, min(cap, base·2ⁿ)] spreads the retries of many clients
 * that failed together instead of having them return in lockstep.
 */
export function backoffDelay(attempt: number, baseMs: number, capMs: number): number {
  return Math.random() * Math.min(capMs, baseMs * 2 ** attempt);
}

/** Whether another attempt may succeed. */
export function isRetryable(failure: UpstreamFailure): boolean {
  return (
    failure.kind === 'connection' ||
    failure.kind === 'rate_limited' ||
    failure.kind === 'overloaded' ||
    failure.kind === 'server'
  );
}

/** The answer a client gets once we give up. */
export function upstreamShieldError(failure: UpstreamFailure): ShieldError {
  switch (failure.kind) {
    case 'timeout':
      return new ShieldError(504, 'upstream_timeout', 'The model provider did not answer in time.', {
        type: 'upstream_error',
      });
    case 'rate_limited':
    case 'overloaded':
      return new ShieldError(503, 'upstream_unavailable', 'The model provider is busy. Retry later.', {
        type: 'upstream_error',
        headers: { 'Retry-After': String(Math.max(1, Math.ceil((failure.retryAfterMs ?? 1000) / 1000))) },
      });
    default:
      return new ShieldError(502, 'upstream_error', 'The model provider failed to answer.', { type: 'upstream_error' });
  }
}
