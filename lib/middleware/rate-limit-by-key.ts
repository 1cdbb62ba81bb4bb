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
import { clientAddress, enterShield, sha256 } from '../core/request.js';
import { recordChecks, type ShieldState } from '../core/state.js';
import { modeCheck, refuseOrRecord, type ShieldMode } from '../core/monitor.js';
import { MemoryConcurrencyStore, RedisConcurrencyStore, type ConcurrencyStore } from '../limits/concurrency.js';
import { lowerCompletionLimit, requestTokenParts } from '../limits/estimate.js';
import { DEFAULT_RETRY_WITHIN_MS, retryHeaders, setHeaders, setOpenAIRateLimitHeaders } from '../limits/headers.js';
import { redisClientProblem, redisRunner, type RedisClientLike, type RedisRunner } from '../limits/redis.js';
import { SharedRequestStore } from '../limits/request-store.js';
import {
  MemoryTokenBudgetStore,
  RedisTokenBudgetStore,
  type TokenAsk,
  type TokenBudgetStore,
} from '../limits/token-budget.js';

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
  /**
   * A connected node-redis (v4/v5) or ioredis client, single node or cluster (`createCluster()`,
   * ioredis `Cluster`): every limit is then shared by all processes on that Redis.
   */
  redis?: RedisClientLike;
  /** Prefix of every Redis key (`<prefix>req:{<digest>}`, `tok:`, `conc:`). Default `'llm-shield:'`. */
  prefix?: string;
  /** How long a Redis command may take before the store counts as unavailable, ms. Default 1000. */
  redisTimeoutMs?: number;
  /** Let requests through WITHOUT limits when Redis fails. Default false: 503 `service_unavailable`. */
  failOpen?: boolean;
  /**
   * Who a request counts against when `apiKeyAuth` established no principal: a string
   * (e.g. your session's user id), or undefined to count by client IP. A key the client
   * merely presents is never an identity: made-up keys would each get a fresh bucket.
   */
  identify?: (req: Request) => string | undefined;
  /**
   * A 429 whose wait is longer than this (ms) carries `x-should-retry: false`, so the
   * official OpenAI SDKs raise `RateLimitError` at once instead of sleeping through it.
   * Default 2000.
   */
  retryWithinMs?: number;
  /**
   * With a token budget: a request is refused when what its key has left, minus the prompt
   * estimate, allows fewer completion tokens per choice than this (or than it asked for,
   * when it asked for fewer). Above that its completion limit is lowered to fit. Default 64.
   */
  minCompletionTokens?: number;
  /**
   * `monitor`: a request over its limit, budget or in-flight cap, or refused because the
   * store failed, is served anyway and its code recorded (`wouldBlock` in the audit record,
   * an event on the trace); requests are still counted. Default `enforce`.
   */
  mode?: ShieldMode;
}

const FACTORY = 'rateLimitByKey';
const DEFAULT_PREFIX = 'llm-shield:';
const DEFAULT_LEASE_MS = 60_000;
/** The longest delay setInterval honours. */
const MAX_TIMER_MS = 2 ** 31 - 1;
const limitCheck: Check = is.either(is.positiveInt, is.function);
const redisCheck: Check = redisClientProblem;
const tokensChecks = { limit: is.positiveInt, windowMs: is.positiveInt };
const concurrencyChecks = { limit: is.positiveInt, leaseMs: is.positiveInt };

/** The app's own identity of a request, when `apiKeyAuth` gave none. */
export type Identify = (req: Request) => string | undefined;

/**
 * Who a request counts against: the `apiKeyAuth` principal, else what `identify` says,
 * else the client IP (IPv6 grouped by /56 subnet). A presented key that nothing verified
 * is not an identity: a client could otherwise mint a fresh bucket per request.
 */
export function limitIdentity(req: Request, state: ShieldState, identify: Identify | undefined): string {
  if (state.principal) return `id:${state.principal.id}`;
  const own = identify?.(req);
  if (typeof own === 'string' && own !== '') return `app:${own}`;
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

/** A token budget in force: tokens per window. */
interface Budget {
  limit: number;
  windowMs: number;
}

/** Logs fail-open loudly: one line when the store starts failing, one when it recovers. */
class StoreHealth {
  private failing = false;

  failed(err: unknown): void {
    if (this.failing) return;
    this.failing = true;
    const why = err instanceof Error ? err.message.slice(0, 200) : describe(err);
    console.error(
      `${FACTORY}: the limit store (Redis) failed and \`failOpen\` is on: requests pass WITHOUT limits until it recovers (${why})`,
    );
  }

  recovered(): void {
    if (!this.failing) return;
    this.failing = false;
    console.error(`${FACTORY}: the limit store (Redis) answers again: limits apply.`);
  }
}

/** rateLimitByKey's options, resolved once: values with their defaults, and the stores. */
interface RateLimitConfig {
  windowMs: number;
  windowSeconds: number;
  limit: number | ((req: Request) => number | Promise<number>);
  /** The `tokens` option with its window defaulted. */
  tokens: Budget | undefined;
  concurrencyLimit: number | undefined;
  completionCap: number;
  minCompletion: number;
  retryWithinMs: number;
  identify: Identify | undefined;
  failOpen: boolean;
  mode: ShieldMode;
  /** Redis backs the stores: only then can they fail and recover. */
  shared: boolean;
  requests: RequestCounter;
  budgets: TokenBudgetStore;
  slots: ConcurrencyStore | undefined;
  health: StoreHealth;
  storeKeyOf: (identity: string) => StoreKey;
  /** This limiter's mark on a request's state (see `firstPass`). */
  countedHere: symbol;
}

/** One request on its way through the limiter. */
interface LimitContext {
  req: Request;
  res: Response;
  next: NextFunction;
  state: ShieldState;
  ids: StoreKey;
}

/** What the request store answered for a request, and the limit that applies to it. */
interface Count {
  used: number;
  resetTime: Date | undefined;
  limit: number;
}

/** Validates rateLimitByKey's options and builds its stores. */
function resolveRateLimitByKeyOptions(options: Readonly<RateLimitByKeyOptions>): RateLimitConfig {
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
    identify: is.function,
    retryWithinMs: is.nonNegativeInt,
    minCompletionTokens: is.positiveInt,
    mode: modeCheck,
  });
  const tokensOpt = opts.tokens && checkNested<TokenBudgetOptions>(FACTORY, 'tokens', opts.tokens, tokensChecks);
  if (tokensOpt) checkOption(FACTORY, 'tokens.limit', tokensOpt.limit, is.positiveInt);
  const concurrency = resolveConcurrency(opts.concurrency);
  const windowMs = opts.windowMs ?? 60_000;
  const prefix = opts.prefix ?? DEFAULT_PREFIX;
  const runner = opts.redis ? redisRunner(opts.redis, opts.redisTimeoutMs ?? 1000) : undefined;
  return {
    windowMs,
    windowSeconds: Math.ceil(windowMs / 1000),
    limit: opts.limit ?? 60,
    tokens: tokensOpt ? { limit: tokensOpt.limit!, windowMs: tokensOpt.windowMs ?? windowMs } : undefined,
    concurrencyLimit: concurrency?.limit,
    completionCap: opts.maxCompletionTokens ?? 4096,
    minCompletion: opts.minCompletionTokens ?? 64,
    retryWithinMs: opts.retryWithinMs ?? DEFAULT_RETRY_WITHIN_MS,
    identify: opts.identify,
    failOpen: opts.failOpen ?? false,
    mode: opts.mode ?? 'enforce',
    shared: runner !== undefined,
    requests: requestCounter(runner, prefix, windowMs),
    budgets: runner ? new RedisTokenBudgetStore(runner, `${prefix}tok:`) : new MemoryTokenBudgetStore(),
    slots:
      concurrency === undefined
        ? undefined
        : runner
          ? new RedisConcurrencyStore(runner, `${prefix}conc:`, concurrency.leaseMs)
          : new MemoryConcurrencyStore(),
    health: new StoreHealth(),
    storeKeyOf: storeKeyCache(),
    countedHere: Symbol('rateLimitByKey: counted'),
  };
}

/** The `concurrency` option as `{ limit, leaseMs }`, or undefined for no cap. */
function resolveConcurrency(value: RateLimitByKeyOptions['concurrency']): Required<ConcurrencyOptions> | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number') return { limit: value, leaseMs: DEFAULT_LEASE_MS };
  const c = checkNested<ConcurrencyOptions>(FACTORY, 'concurrency', value, concurrencyChecks);
  checkOption(FACTORY, 'concurrency.limit', c.limit, is.positiveInt);
  return { limit: c.limit!, leaseMs: c.leaseMs ?? DEFAULT_LEASE_MS };
}

/** The requests-per-window store, initialised. */
function requestCounter(runner: RedisRunner | undefined, prefix: string, windowMs: number): RequestCounter {
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
  return requests;
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
  const config = resolveRateLimitByKeyOptions(options);
  return function rateLimitByKeyMiddleware(req: Request, res: Response, next: NextFunction): void {
    const state = enterShield(req, res);
    if (!firstPass(config, state)) return next();
    let identity: string;
    try {
      identity = limitIdentity(req, state, config.identify);
    } catch (err) {
      return next(err);
    }
    const ctx: LimitContext = { req, res, next, state, ids: config.storeKeyOf(identity) };
    // The one wait of the common path. Errors thrown by the `limit` function are not store
    // failures: they go to `next` as they are (a 500), never to the 503 or `failOpen`.
    config.requests.increment(ctx.ids.key).then(
      (hits) => counted(config, ctx, hits),
      (err: unknown) => onStoreError(config, ctx, err),
    );
  };
}

/**
 * A request that reaches this same limiter twice (it is mounted on both a router and a
 * route, or a path matches two of its mounts) is counted, budgeted and given a slot once:
 * a second pass would take a second in-flight slot and refuse the request because of
 * itself. express-rate-limit only logged this (ERR_ERL_DOUBLE_COUNT), on the first request
 * alone. Two different limiters still count a request once each, as intended. The mark is
 * a property of the request's shield state keyed by this limiter's own symbol: a WeakSet
 * entry per request costs the garbage collector more, and a property added to `req` costs
 * more still (after Express's setPrototypeOf, every property added to `req` gives it a map
 * of its own, so every later property read on it, ours and Express's, misses V8's caches).
 */
function firstPass(config: RateLimitConfig, state: ShieldState): boolean {
  const marked = state as ShieldState & Record<symbol, true | undefined>;
  if (marked[config.countedHere]) return false;
  marked[config.countedHere] = true;
  return true;
}

function onStoreError(config: RateLimitConfig, ctx: LimitContext, err: unknown): void {
  if (err instanceof ShieldError) return ctx.next(err);
  if (!config.failOpen) {
    const refusal = refuseOrRecord(ctx.state, config.mode, unavailable(err));
    if (refusal) return ctx.next(refusal);
    return ctx.next();
  }
  config.health.failed(err);
  ctx.next();
}

/** The request limit of this request's key: its own tier, else the option. May be a promise. */
function limitOf(config: RateLimitConfig, ctx: LimitContext): number | Promise<number> {
  const own = ctx.state.principal?.limit;
  if (own !== undefined) return own;
  return typeof config.limit === 'function' ? config.limit(ctx.req) : config.limit;
}

/** The token budget that applies to this request's key, if any. */
function budgetOf(config: RateLimitConfig, state: ShieldState): Budget | undefined {
  const own = state.principal?.tokens;
  return own
    ? { limit: own.limit, windowMs: own.windowMs ?? config.tokens?.windowMs ?? config.windowMs }
    : config.tokens;
}

/** The request is counted: find its limit, then refuse it or admit it. */
function counted(config: RateLimitConfig, ctx: LimitContext, hits: IncrementResponse): void {
  // Read at once, as express-rate-limit does: MemoryStore answers with its live record,
  // which the key's next request changes, maybe while a `limit` promise is pending.
  const used = hits.totalHits;
  const resetTime = hits.resetTime;
  let limit: number | Promise<number>;
  try {
    limit = limitOf(config, ctx);
  } catch (err) {
    return ctx.next(err);
  }
  if (typeof limit === 'number') return decide(config, ctx, { used, resetTime, limit });
  // Only a `limit` function answering with a promise costs a second wait.
  Promise.resolve(limit).then((resolved) => decide(config, ctx, { used, resetTime, limit: resolved }), ctx.next);
}

/** Refuses the request over its limit, or admits it (budget and slot, when they apply). */
function decide(config: RateLimitConfig, ctx: LimitContext, count: Count): void {
  const { req, res, next, state } = ctx;
  const { used, resetTime, limit } = count;
  recordChecks(state, REQUEST_CHECK);
  const remaining = Math.max(limit - used, 0);
  // What express-rate-limit leaves on the request (its deprecated `current` alias aside):
  // applications and `auditLog` read it, refused requests included.
  (req as Request & { rateLimit: RateLimitInfo }).rateLimit = { limit, used, remaining, resetTime, key: ctx.ids.key };
  // express-rate-limit's getResetSeconds: from the store's reset time, else a whole window.
  const resetMs = resetTime ? Math.max(0, resetTime.getTime() - Date.now()) : config.windowMs;
  const reset = Math.ceil(resetMs / 1000);
  const refused = used > limit;
  const retry = refused ? retryHeaders(resetMs, config.retryWithinMs) : undefined;
  const enforced = refused && config.mode === 'enforce';
  if (!res.headersSent) {
    try {
      res.appendHeader('RateLimit', `"requests"; r=${remaining}; t=${reset}`);
      res.appendHeader('RateLimit-Policy', `"requests"; q=${limit}; w=${config.windowSeconds}; pk=:${ctx.ids.pk}:`);
      setOpenAIRateLimitHeaders(res, 'requests', { limit, remaining, resetMs });
      if (retry && enforced) setHeaders(res, retry);
    } catch (err) {
      // A `limit` function's odd answer must not become an unhandled rejection.
      return next(err);
    }
  }
  if (refused) {
    const refusal = refuseOrRecord(
      state,
      config.mode,
      new ShieldError(429, 'rate_limit_exceeded', 'Too many requests for this key. Retry later.', {
        headers: res.headersSent ? {} : retry,
      }),
    );
    if (refusal) return next(refusal);
  }
  state.rateLimit = { limit, remaining };
  const budget = budgetOf(config, state);
  // Without a budget or an in-flight cap there is nothing more to admit: no promise.
  if (!budget && !config.slots) {
    if (config.shared) config.health.recovered();
    return next();
  }
  admit(config, ctx, budget).then(
    () => {
      if (config.shared) config.health.recovered();
      next();
    },
    (err: unknown) => onStoreError(config, ctx, err),
  );
}

/** Takes an in-flight slot and reserves the token budget; both are given back when the response is over. */
async function admit(config: RateLimitConfig, ctx: LimitContext, budget: Budget | undefined): Promise<void> {
  let release: (() => void) | undefined;
  if (config.slots) recordChecks(ctx.state, CONCURRENCY_CHECK);
  try {
    release = await takeSlot(config, ctx.ids.key);
  } catch (err) {
    if (!waived(config, ctx.state, err)) throw err;
  }
  let settle: (() => void) | undefined;
  if (budget) {
    recordChecks(ctx.state, BUDGET_CHECK);
    try {
      settle = await reserveTokens(config, ctx, budget);
    } catch (err) {
      if (!waived(config, ctx.state, err)) {
        release?.();
        throw err;
      }
    }
  }
  if (release || settle) releaseWhenOver(ctx, { release, settle });
}

const REQUEST_CHECK = ['rate_limit'];
const CONCURRENCY_CHECK = ['concurrency'];
const BUDGET_CHECK = ['token_budget'];

/** In monitor mode, a limit's 429 is recorded and the request admitted without that limit. */
function waived(config: RateLimitConfig, state: ShieldState, err: unknown): boolean {
  return err instanceof ShieldError && err.status === 429 && refuseOrRecord(state, config.mode, err) === undefined;
}

/** An in-flight slot for the key, or a 429; returns its release, once-only. */
async function takeSlot(config: RateLimitConfig, identity: string): Promise<(() => void) | undefined> {
  if (!config.slots || config.concurrencyLimit === undefined) return undefined;
  const taken = await config.slots.acquire(identity, config.concurrencyLimit);
  const slot = taken.slot;
  if (!slot)
    throw new ShieldError(
      429,
      'concurrency_limit_exceeded',
      'Too many requests in flight for this key. Retry when one finishes.',
      { headers: retryHeaders(1000, config.retryWithinMs) },
    );
  return once(() => slot.release());
}

/**
 * What a request asks of its budget: the prompt estimate plus its completion limit per
 * choice at most; at least the prompt plus `minCompletionTokens` per choice (or what it
 * asked, when it asked for fewer).
 */
function tokenAsk(config: RateLimitConfig, body: unknown): TokenAsk & { prompt: number; choices: number } {
  const { prompt, completion, choices } = requestTokenParts(body, config.completionCap);
  const fewest = Math.min(completion, config.minCompletion);
  return { most: prompt + completion * choices, least: prompt + fewest * choices, prompt, choices };
}

/**
 * Reserves the request's estimated tokens, as many as its key has left, or refuses it
 * with a 429 when too few are left to be of use. A partial grant lowers the completion
 * limit in the body to fit. Returns the settle step, once-only: it corrects the
 * reservation to what the request really used.
 */
async function reserveTokens(config: RateLimitConfig, ctx: LimitContext, budget: Budget): Promise<() => void> {
  const { req, res, state, ids } = ctx;
  const ask = tokenAsk(config, req.body);
  const reservation = await config.budgets.reserve(ids.key, ask, budget.limit, budget.windowMs);
  const remaining = Math.max(0, budget.limit - reservation.used);
  const resetMs = Math.max(0, reservation.resetMs);
  if (!res.headersSent) {
    res.appendHeader(
      'RateLimit-Policy',
      `"tokens"; q=${budget.limit}; w=${Math.ceil(budget.windowMs / 1000)}; pk=:${ids.pk}:`,
    );
    res.appendHeader('RateLimit', `"tokens"; r=${remaining}; t=${Math.ceil(resetMs / 1000)}`);
    setOpenAIRateLimitHeaders(res, 'tokens', { limit: budget.limit, remaining, resetMs });
  }
  if (state.rateLimit) state.rateLimit.tokensRemaining = remaining;
  if (!reservation.ok)
    throw new ShieldError(429, 'token_budget_exceeded', 'The token budget for this key is used up. Retry later.', {
      headers: retryHeaders(resetMs, config.retryWithinMs),
    });
  const { window, granted } = reservation;
  // Lowering the limit is enforcement: monitor mode serves the request as asked.
  if (granted < ask.most && config.mode === 'enforce')
    lowerCompletionLimit(req.body, Math.floor((granted - ask.prompt) / ask.choices));
  return once(() => {
    const delta = tokensUsed(state, res, granted) - granted;
    if (delta !== 0) config.budgets.settle(ids.key, delta, window, budget.windowMs).catch(() => undefined);
  });
}

/** Gives the slot back and settles the reservation when the response finishes or the client leaves. */
function releaseWhenOver(ctx: LimitContext, held: { release?: () => void; settle?: () => void }): void {
  const { res, state } = ctx;
  const { release, settle } = held;
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
