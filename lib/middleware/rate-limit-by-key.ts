import type { NextFunction, Request, RequestHandler, Response } from 'express';
import {
  ipKeyGenerator,
  MemoryStore,
  type IncrementResponse,
  type Options,
  type RateLimitInfo,
} from 'express-rate-limit';
import { ShieldError } from '../core/errors.js';
import { checkNested, checkOption, checkOptions, describe, is, type Check } from '../core/options.js';
import { clientAddress, enterShield, keyFingerprint, presentedKey, sha256 } from '../core/request.js';
import { getShieldState, type ShieldState } from '../core/state.js';
import {
  MemoryConcurrencyStore,
  RedisConcurrencyStore,
  type ConcurrencyStore,
  type Slot,
} from '../limits/concurrency.js';
import { estimateRequestTokens } from '../limits/estimate.js';
import { redisClientProblem, redisRunner, type RedisClientLike } from '../limits/redis.js';
import { SharedRequestStore } from '../limits/request-store.js';
import { MemoryTokenBudgetStore, RedisTokenBudgetStore, type TokenBudgetStore } from '../limits/token-budget.js';

export type { RedisClientLike } from '../limits/redis.js';

export interface TokenBudgetOptions {
  /** LLM tokens (prompt + completion, as the provider's `usage.total_tokens`) per window per key. */
  limit: number;
  /** The budget window in milliseconds. Default: the request `windowMs`. */
  windowMs?: number;
}

export interface ConcurrencyOptions {
  /** In-flight requests per key. */
  limit: number;
  /** With `redis`: how long a slot outlives a crashed server, ms. Renewed while the request runs. Default 60 000. */
  leaseMs?: number;
}

export interface RateLimitByKeyOptions {
  /** Requests per `windowMs` per key, or a function of the request. Default 60. A key's own `limit` from `apiKeyAuth` wins. */
  limit?: number | ((req: Request) => number | Promise<number>);
  /** The window in milliseconds. Default 60 000. */
  windowMs?: number;
  /** An LLM-token budget per key. Default: none (a key's own `tokens` from `apiKeyAuth` still applies). */
  tokens?: TokenBudgetOptions;
  /** In-flight requests per key: a number or `{ limit, leaseMs }`. Default: no cap. */
  concurrency?: number | ConcurrencyOptions;
  /**
   * Completion tokens reserved when a request sets no `max_tokens` / `max_completion_tokens`,
   * and the most reserved when it does. Default 4096.
   */
  maxCompletionTokens?: number;
  /** A connected node-redis (v4/v5) or ioredis client: every limit is then shared by all processes on that Redis. */
  redis?: RedisClientLike;
  /** Prefix of every Redis key. Default `'llm-shield:'`. */
  prefix?: string;
  /** How long a Redis command may take before the store counts as unavailable, ms. Default 1000. */
  redisTimeoutMs?: number;
  /** Let requests through WITHOUT limits when Redis fails. Default false: 503 `service_unavailable`. */
  failOpen?: boolean;
}

const FACTORY = 'rateLimitByKey';
const DEFAULT_PREFIX = 'llm-shield:';
/** The longest delay setInterval honours. */
const MAX_TIMER_MS = 2 ** 31 - 1;
const limitCheck: Check = is.either(is.positiveInt, is.function);
const redisCheck: Check = redisClientProblem;
const tokensChecks = { limit: is.positiveInt, windowMs: is.positiveInt };
const concurrencyChecks = { limit: is.positiveInt, leaseMs: is.positiveInt };
/**
 * Who a request counts against: the `apiKeyAuth` principal, else a hash of the presented
 * key (never the key itself), else the client IP (IPv6 grouped by /56 subnet).
 */
export function limitIdentity(req: Request, res: Response): string {
  const state = getShieldState(res);
  if (state.principal) return `id:${state.principal.id}`;
  const key = presentedKey(req);
  if (key !== undefined) return keyFingerprint(key);
  return `ip:${ipKeyGenerator(clientAddress(req) ?? 'unknown')}`;
}

/** The part of express-rate-limit's `Store` used here; both stores answer with a promise. */
interface RequestCounter {
  init(options: Options): void;
  increment(key: string): Promise<IncrementResponse>;
}

/**
 * What stores see of an identity: a digest, so no key, principal id or IP is kept in clear;
 * and the draft-8 partition key, the digest's first 12 hex digits in base64 (the digest
 * needs no second hash), which the `"requests"` and `"tokens"` items share.
 */
interface StoreKey {
  key: string;
  pk: string;
}

// A key's requests all have the same identity: its digest and partition key are computed
// once, not with a hash and a Buffer per request. Bounded: anonymous clients (IPs, unknown
// keys) come and go, so the cache starts over when it holds this many.
const MAX_CACHED_IDENTITIES = 10_000;

export function storeKeyCache(): (identity: string) => StoreKey {
  const cache = new Map<string, StoreKey>();
  return (identity) => {
    let found = cache.get(identity);
    if (found === undefined) {
      if (cache.size >= MAX_CACHED_IDENTITIES) cache.clear();
      const key = sha256(identity).slice(0, 32);
      found = { key, pk: Buffer.from(key.slice(0, 12)).toString('base64') };
      cache.set(identity, found);
    }
    return found;
  };
}

function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    fn();
  };
}

function unavailable(cause: unknown): ShieldError {
  return new ShieldError(503, 'service_unavailable', 'The rate-limit store is unavailable. Retry later.', {
    headers: { 'Retry-After': '1' },
    cause,
  });
}

/**
 * Per-key limits: requests per window (on express-rate-limit), an LLM-token budget
 * (reserved from an estimate before the call, settled from the provider's `usage` after
 * it, streams included) and an in-flight cap. With `redis`, every limit is shared by all
 * processes on that Redis and updated atomically; keys are stored hashed.
 *
 * Refusals: 429 `rate_limit_exceeded`, `token_budget_exceeded` (both with `Retry-After`) or
 * `concurrency_limit_exceeded`; a failing Redis gives 503 `service_unavailable` unless
 * `failOpen`. Headers: IETF draft-8 `RateLimit-Policy` / `RateLimit`, with a `"requests"`
 * item and, when a budget applies, a `"tokens"` item.
 *
 * Defaults: 60 requests per 60 000 ms, no token budget, no concurrency cap, memory stores,
 * `maxCompletionTokens` 4096, `prefix` `'llm-shield:'`, `redisTimeoutMs` 1000, `failOpen` false.
 *
 * @example
 * ```ts
 * import { createClient } from 'redis'
 * const redis = createClient({ url: process.env.REDIS_URL })
 * redis.on('error', (err) => console.error('redis', err.message))
 * await redis.connect()
 * app.post('/chat', apiKeyAuth({ keys }),
 *   rateLimitByKey({ limit: 60, windowMs: 60_000, tokens: { limit: 100_000, windowMs: 3_600_000 }, concurrency: 4, redis }),
 *   handler)
 * ```
 */
export function rateLimitByKey(options: Readonly<RateLimitByKeyOptions> = {}): RequestHandler {
  const opts = checkOptions<RateLimitByKeyOptions>(FACTORY, options, {
    limit: limitCheck,
    windowMs: is.positiveInt,
    tokens: is.object,
    concurrency: is.either(is.positiveInt, is.object),
    maxCompletionTokens: is.positiveInt,
    redis: redisCheck,
    prefix: is.nonEmptyString,
    redisTimeoutMs: is.positiveInt,
    failOpen: is.boolean,
  });
  const tokensOpt = opts.tokens && checkNested<TokenBudgetOptions>(FACTORY, 'tokens', opts.tokens, tokensChecks);
  if (tokensOpt) checkOption(FACTORY, 'tokens.limit', tokensOpt.limit, is.positiveInt);
  let concurrencyLimit: number | undefined;
  let leaseMs = 60_000;
  if (typeof opts.concurrency === 'number') concurrencyLimit = opts.concurrency;
  else if (opts.concurrency !== undefined) {
    const c = checkNested<ConcurrencyOptions>(FACTORY, 'concurrency', opts.concurrency, concurrencyChecks);
    checkOption(FACTORY, 'concurrency.limit', c.limit, is.positiveInt);
    concurrencyLimit = c.limit;
    if (c.leaseMs !== undefined) leaseMs = c.leaseMs;
  }

  const windowMs = opts.windowMs ?? 60_000;
  const baseLimit = opts.limit ?? 60;
  const defaultTokens = tokensOpt ? { limit: tokensOpt.limit!, windowMs: tokensOpt.windowMs ?? windowMs } : undefined;
  const completionCap = opts.maxCompletionTokens ?? 4096;
  const failOpen = opts.failOpen ?? false;
  const prefix = opts.prefix ?? DEFAULT_PREFIX;

  const runner = opts.redis ? redisRunner(opts.redis, opts.redisTimeoutMs ?? 1000) : undefined;
  const budgets: TokenBudgetStore = runner
    ? new RedisTokenBudgetStore(runner, `${prefix}tok:`)
    : new MemoryTokenBudgetStore();
  const slots: ConcurrencyStore | undefined =
    concurrencyLimit === undefined
      ? undefined
      : runner
        ? new RedisConcurrencyStore(runner, `${prefix}conc:`, leaseMs)
        : new MemoryConcurrencyStore();

  // express-rate-limit's stores, driven here directly: its `rateLimit()` middleware costs
  // several awaits, a debug line that parses `req.ip` and a second hash on every request.
  const requests: RequestCounter = runner ? new SharedRequestStore(runner, `${prefix}req:`) : new MemoryStore();
  // Once, not awaited, as express-rate-limit does. Both stores read only `windowMs` (MemoryStore
  // for its sweep timer, RedisStore for the key expiry); SharedRequestStore never throws here.
  requests.init({ windowMs } as Options);
  // MemoryStore sweeps with setInterval, which takes at most 2^31 - 1 ms and runs a longer
  // delay every 1 ms instead, dropping counts. express-rate-limit said so (ERR_ERL_WINDOW_MS);
  // so do we, once, rather than leave only Node's TimeoutOverflowWarning.
  if (!runner && windowMs > MAX_TIMER_MS)
    console.error(
      `${FACTORY}: \`windowMs\` ${windowMs} is longer than the memory store supports (${MAX_TIMER_MS} ms, about 24.8 days): counts will not last the window. Use \`redis\` or a shorter window.`,
    );
  const windowSeconds = Math.ceil(windowMs / 1000);

  // A request that reaches this same limiter twice (it is mounted on both a router and a
  // route, or a path matches two of its mounts) is counted, budgeted and given a slot once:
  // a second pass would take a second in-flight slot and refuse the request because of
  // itself. express-rate-limit only logged this (ERR_ERL_DOUBLE_COUNT), on the first request
  // alone. Two different limiters still count a request once each, as intended. The mark is
  // a property of the request's shield state keyed by this limiter's own symbol: a WeakSet
  // entry per request costs the garbage collector more, and a property added to `req` costs
  // more still (after Express's setPrototypeOf, every property added to `req` gives it a map
  // of its own, so every later property read on it, ours and Express's, misses V8's caches).
  const countedHere: unique symbol = Symbol('rateLimitByKey: counted');
  const storeKeyOf = storeKeyCache();

  /** The request limit of this request's key: its own tier, else the option. May be a promise. */
  function limitOf(req: Request, state: ShieldState): number | Promise<number> {
    const own = state.principal?.limit;
    if (own !== undefined) return own;
    return typeof baseLimit === 'function' ? baseLimit(req) : baseLimit;
  }

  // Fail-open is loud: one line when the store starts failing, one when it recovers.
  let failing = false;
  function storeFailed(err: unknown): void {
    if (failing) return;
    failing = true;
    const why = err instanceof Error ? err.message.slice(0, 200) : describe(err);
    console.error(
      `${FACTORY}: the limit store (Redis) failed and \`failOpen\` is on: requests pass WITHOUT limits until it recovers (${why})`,
    );
  }
  function storeRecovered(): void {
    if (!failing) return;
    failing = false;
    console.error(`${FACTORY}: the limit store (Redis) answers again: limits apply.`);
  }

  /** The token budget that applies to this request's key, if any. */
  function budgetOf(state: ShieldState): { limit: number; windowMs: number } | undefined {
    const own = state.principal?.tokens;
    return own ? { limit: own.limit, windowMs: own.windowMs ?? defaultTokens?.windowMs ?? windowMs } : defaultTokens;
  }

  async function admit(
    req: Request,
    res: Response,
    state: ShieldState,
    budget: { limit: number; windowMs: number } | undefined,
    identity: string,
    pk: string,
  ): Promise<void> {
    let slot: Slot | undefined;
    if (slots && concurrencyLimit !== undefined) {
      const taken = await slots.acquire(identity, concurrencyLimit);
      if (!taken.slot)
        throw new ShieldError(
          429,
          'concurrency_limit_exceeded',
          'Too many requests in flight for this key. Retry when one finishes.',
          { headers: { 'Retry-After': '1' } },
        );
      slot = taken.slot;
    }
    const release = slot ? once(() => slot.release()) : undefined;
    let settle: (() => void) | undefined;
    if (budget) {
      const wanted = Math.min(estimateRequestTokens(req.body, completionCap), budget.limit);
      let reservation;
      try {
        reservation = await budgets.reserve(identity, wanted, budget.limit, budget.windowMs);
      } catch (err) {
        release?.();
        throw err;
      }
      const remaining = Math.max(0, budget.limit - reservation.used);
      const resetSeconds = Math.max(0, Math.ceil(reservation.resetMs / 1000));
      if (!res.headersSent) {
        res.appendHeader(
          'RateLimit-Policy',
          `"tokens"; q=${budget.limit}; w=${Math.ceil(budget.windowMs / 1000)}; pk=:${pk}:`,
        );
        res.appendHeader('RateLimit', `"tokens"; r=${remaining}; t=${resetSeconds}`);
      }
      if (state.rateLimit) state.rateLimit.tokensRemaining = remaining;
      if (!reservation.ok) {
        release?.();
        throw new ShieldError(429, 'token_budget_exceeded', 'The token budget for this key is used up. Retry later.', {
          headers: { 'Retry-After': String(Math.max(1, resetSeconds)) },
        });
      }
      const { window } = reservation;
      settle = once(() => {
        const delta = tokensUsed(state, res, wanted) - wanted;
        if (delta !== 0) budgets.settle(identity, delta, window, budget.windowMs).catch(() => undefined);
      });
    }
    if (!release && !settle) return;
    const onFinish = () => {
      release?.();
      settle?.();
    };
    const onClose = () => {
      release?.();
      if (!settle || res.writableFinished) return onFinish();
      // The client left mid-call: the aborted provider call unwinds a moment later and
      // records what was used then. Wait for it, but not forever: a handler that ignores the
      // abort must not hold the reservation open.
      waitForSettled(state, settle);
    };
    res.once('finish', onFinish);
    res.once('close', onClose);
    // The client may have left while the store answered: 'close' will not fire again.
    if (res.destroyed || res.writableFinished) onClose();
  }

  function onStoreError(err: unknown, next: NextFunction): void {
    if (err instanceof ShieldError) return next(err);
    if (!failOpen) return next(unavailable(err));
    storeFailed(err);
    next();
  }

  /** The request is counted: find its limit, then refuse it or admit it. */
  function counted(
    req: Request,
    res: Response,
    next: NextFunction,
    state: ShieldState,
    ids: StoreKey,
    hits: IncrementResponse,
  ): void {
    // Read at once, as express-rate-limit does: MemoryStore answers with its live record,
    // which the key's next request changes, maybe while a `limit` promise is pending.
    const used = hits.totalHits;
    const resetTime = hits.resetTime;
    let limit: number | Promise<number>;
    try {
      limit = limitOf(req, state);
    } catch (err) {
      return next(err);
    }
    if (typeof limit === 'number') return decide(req, res, next, state, ids, used, resetTime, limit);
    // Only a `limit` function answering with a promise costs a second wait.
    Promise.resolve(limit).then((resolved) => decide(req, res, next, state, ids, used, resetTime, resolved), next);
  }

  function decide(
    req: Request,
    res: Response,
    next: NextFunction,
    state: ShieldState,
    { key, pk }: StoreKey,
    used: number,
    resetTime: Date | undefined,
    limit: number,
  ): void {
    const remaining = Math.max(limit - used, 0);
    // What express-rate-limit leaves on the request (its deprecated `current` alias aside):
    // applications and `auditLog` read it, refused requests included.
    (req as Request & { rateLimit: RateLimitInfo }).rateLimit = { limit, used, remaining, resetTime, key };
    // express-rate-limit's getResetSeconds: from the store's reset time, else a whole window.
    const reset = resetTime ? Math.max(0, Math.ceil((resetTime.getTime() - Date.now()) / 1000)) : windowSeconds;
    const refused = used > limit;
    if (!res.headersSent) {
      try {
        res.appendHeader('RateLimit', `"requests"; r=${remaining}; t=${reset}`);
        res.appendHeader('RateLimit-Policy', `"requests"; q=${limit}; w=${windowSeconds}; pk=:${pk}:`);
        if (refused) res.setHeader('Retry-After', String(reset));
      } catch (err) {
        // A `limit` function's odd answer must not become an unhandled rejection.
        return next(err);
      }
    }
    if (refused)
      return next(
        new ShieldError(429, 'rate_limit_exceeded', 'Too many requests for this key. Retry later.', {
          headers: res.headersSent ? {} : { 'Retry-After': String(reset) },
        }),
      );
    state.rateLimit = { limit, remaining };
    const budget = budgetOf(state);
    // Without a budget or an in-flight cap there is nothing more to admit: no promise.
    if (!budget && !slots) {
      if (runner) storeRecovered();
      return next();
    }
    admit(req, res, state, budget, key, pk).then(
      () => {
        if (runner) storeRecovered();
        next();
      },
      (err: unknown) => onStoreError(err, next),
    );
  }

  return function rateLimitByKeyMiddleware(req: Request, res: Response, next: NextFunction): void {
    const state = enterShield(req, res);
    const marked = state as ShieldState & { [countedHere]?: true };
    if (marked[countedHere]) return next();
    marked[countedHere] = true;
    const ids = storeKeyOf(limitIdentity(req, res));
    // The one wait of the common path. Errors thrown by the `limit` function are not store
    // failures: they go to `next` as they are (a 500), never to the 503 or `failOpen`.
    requests.increment(ids.key).then(
      (hits) => counted(req, res, next, state, ids, hits),
      (err: unknown) => onStoreError(err, next),
    );
  };
}

/** How long a reservation waits, after a disconnect, for the provider call to be over. */
const SETTLE_WAIT_MS = 1000;

/**
 * Calls `settle` once the state's provider call is over, or after SETTLE_WAIT_MS at most.
 * Without a call in flight yet (the client left before it started, or your own handler
 * answers) the bound alone applies: a call that starts and ends within it is still counted.
 */
function waitForSettled(state: ShieldState, settle: () => void): void {
  const timer = setTimeout(settle, SETTLE_WAIT_MS);
  timer.unref?.();
  state.settled?.then(() => {
    clearTimeout(timer);
    settle();
  });
}

/**
 * Tokens a finished request used: the provider's `usage` when it came; without it, nothing
 * when no answer started (the call failed or never ran), else the whole reservation.
 */
function tokensUsed(state: ShieldState, res: Response, reserved: number): number {
  const total = state.usage?.total_tokens;
  if (typeof total === 'number' && Number.isFinite(total) && total >= 0) return Math.ceil(total);
  if (!res.headersSent || res.statusCode >= 400) return 0;
  return reserved;
}
