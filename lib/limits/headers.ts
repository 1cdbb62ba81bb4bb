// The headers a rate-limited answer carries for clients: OpenAI's own `x-ratelimit-*` set,
// which the official SDKs and many dashboards read, and the retry hints of a 429. Pure
// functions of numbers; the middlewares decide when to send them.

/** How long a 429 may ask a client to wait and still invite a retry, ms (see `retryHeaders`). */
export const DEFAULT_RETRY_WITHIN_MS = 2_000;

/**
 * A duration in OpenAI's `x-ratelimit-reset-*` format, which is Go's `time.Duration`
 * string: `0s`, `20ms`, `1s`, `1.5s`, `6m0s`, `1h0m0s`. Rounded up to whole milliseconds.
 */
export function openAIDuration(ms: number): string {
  const total = Number.isFinite(ms) && ms > 0 ? Math.ceil(ms) : 0;
  if (total === 0) return '0s';
  if (total < 1000) return `${total}ms`;
  const hours = Math.floor(total / 3_600_000);
  const minutes = Math.floor((total % 3_600_000) / 60_000);
  // Integer milliseconds over 1000 print exactly, trailing zeros dropped: 1500 -> "1.5".
  const seconds = `${(total % 60_000) / 1000}s`;
  if (hours > 0) return `${hours}h${minutes}m${seconds}`;
  if (minutes > 0) return `${minutes}m${seconds}`;
  return seconds;
}

/** One limit as OpenAI reports it: the quota, what is left of it, and when it is whole again. */
export interface LimitReport {
  limit: number;
  remaining: number;
  resetMs: number;
}

const NAMES = {
  requests: ['x-ratelimit-limit-requests', 'x-ratelimit-remaining-requests', 'x-ratelimit-reset-requests'],
  tokens: ['x-ratelimit-limit-tokens', 'x-ratelimit-remaining-tokens', 'x-ratelimit-reset-tokens'],
} as const;

/** What a response must offer to take headers: Node's own `setHeader`, not Express's `set`, which checks each one. */
export interface HeaderTarget {
  setHeader(name: string, value: string): unknown;
}

/**
 * Sets OpenAI's `x-ratelimit-limit-<kind>`, `x-ratelimit-remaining-<kind>` and
 * `x-ratelimit-reset-<kind>` headers for one limit, `kind` being `requests` or `tokens`.
 */
export function setOpenAIRateLimitHeaders(res: HeaderTarget, kind: 'requests' | 'tokens', report: LimitReport): void {
  const [limit, remaining, reset] = NAMES[kind];
  res.setHeader(limit, String(report.limit));
  res.setHeader(remaining, String(Math.max(0, report.remaining)));
  res.setHeader(reset, openAIDuration(report.resetMs));
}

/** Sets each of `headers` on `res`. */
export function setHeaders(res: HeaderTarget, headers: Readonly<Record<string, string>>): void {
  for (const name in headers) res.setHeader(name, headers[name]!);
}

/**
 * The retry hints of a 429 that asks the client to wait `waitMs`: `Retry-After` (whole
 * seconds, at least 1) and `retry-after-ms` always; and `x-should-retry: false` when the
 * wait is longer than `retryWithinMs`. The official OpenAI SDKs sleep for the whole
 * `Retry-After`, however long, before each of their retries, unless `x-should-retry` says
 * not to: a request over an hourly budget would hang for an hour instead of failing with
 * `RateLimitError`.
 */
export function retryHeaders(waitMs: number, retryWithinMs: number): Record<string, string> {
  const ms = Number.isFinite(waitMs) && waitMs > 0 ? Math.ceil(waitMs) : 0;
  const headers: Record<string, string> = {
    'Retry-After': String(Math.max(1, Math.ceil(ms / 1000))),
    'retry-after-ms': String(Math.max(ms, 1)),
  };
  if (ms > retryWithinMs) headers['x-should-retry'] = 'false';
  return headers;
}
