import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, rateLimit, type Options as ExpressRateLimitOptions } from 'express-rate-limit';
import { ShieldError } from '../core/errors.js';
import { checkOptions, describe, is, optionError, type Check } from '../core/options.js';
import { enterShield, keyFingerprint, presentedKey, sha256 } from '../core/request.js';
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
const limitCheck: Check = is.either(is.positiveInt, is.function);
const redisCheck: Check = redisClientProblem;
/** Checks a nested options object field by field, naming `parent.field` in messages. */
function checkNested(
  parent: string,
  value: Record<string, unknown>,
  fields: Record<string, Check>,
  required: readonly string[],
): void {
  for (const name of Object.keys(value)) {
    if (!Object.prototype.hasOwnProperty.call(fields, name))
      throw new TypeError(
        `${FACTORY}: unknown option \`${parent}.${name}\` (known options: ${Object.keys(fields).sort().join(', ')})`,
      );
  }
  for (const [name, check] of Object.entries(fields)) {
    const v = value[name];
    if (v === undefined) {
      if (required.includes(name)) throw optionError(FACTORY, `${parent}.${name}`, 'a positive integer', v);
      continue;
    }
    const miss = check(v);
    if (miss !== undefined) throw optionError(FACTORY, `${parent}.${name}`, miss, v);
  }
}

/**
 * Who a request counts against: the `apiKeyAuth` principal, else a hash of the presented
 * key (never the key itself), else the client IP (IPv6 grouped by /56 subnet).
 */
export function limitIdentity(req: Request, res: Response): string {
  const state = getShieldState(res);
  if (state.principal) return `id:${state.principal.id}`;
  const key = presentedKey(req);
  if (key !== undefined) return keyFingerprint(key);
  return `ip:${ipKeyGenerator(req.ip ?? req.socket.remoteAddress ?? 'unknown')}`;
}

/** What stores see: a digest of the identity, so no key, principal id or IP is kept in clear. */
function storeKey(identity: string): string {
  return sha256(identity).slice(0, 32);
}

/** The draft-8 partition key, derived as express-rate-limit does, so `"tokens"` and `"requests"` items agree. */
function partitionKey(id: string): string {
  return Buffer.from(sha256(id).slice(0, 12)).toString('base64');
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
  const tokensOpt = opts.tokens === undefined ? undefined : { ...(opts.tokens as unknown as Record<string, unknown>) };
  if (tokensOpt) checkNested('tokens', tokensOpt, { limit: is.positiveInt, windowMs: is.positiveInt }, ['limit']);
  let concurrencyLimit: number | undefined;
  let leaseMs = 60_000;
  if (typeof opts.concurrency === 'number') concurrencyLimit = opts.concurrency;
  else if (opts.concurrency !== undefined) {
    const c = { ...(opts.concurrency as unknown as Record<string, unknown>) };
    checkNested('concurrency', c, { limit: is.positiveInt, leaseMs: is.positiveInt }, ['limit']);
    concurrencyLimit = c.limit as number;
    if (c.leaseMs !== undefined) leaseMs = c.leaseMs as number;
  }

  const windowMs = opts.windowMs ?? 60_000;
  const baseLimit = opts.limit ?? 60;
  const defaultTokens = tokensOpt
    ? { limit: tokensOpt.limit as number, windowMs: (tokensOpt.windowMs as number | undefined) ?? windowMs }
    : undefined;
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

  // The store key of each request, hashed once: express-rate-limit asks for it, and `admit`
  // needs it again for the token budget and the in-flight cap.
  const storeKeys = new WeakMap<Request, string>();
  const storeKeyOf = (req: Request, res: Response): string => {
    let key = storeKeys.get(req);
    if (key === undefined) {
      key = storeKey(limitIdentity(req, res));
      storeKeys.set(req, key);
    }
    return key;
  };

  const limiterOptions: Partial<ExpressRateLimitOptions> = {
    windowMs,
    // Not `async`: express-rate-limit awaits whatever this returns, so a plain number saves a promise.
    limit: (req: Request, res: Response) => {
      const own = getShieldState(res).principal?.limit;
      if (own !== undefined) return own;
      return typeof baseLimit === 'function' ? baseLimit(req) : baseLimit;
    },
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: storeKeyOf,
    // The policy name in `RateLimit-Policy`; the default names the limit, which is per key here.
    identifier: 'requests',
    handler: (_req, res, next) => {
      const retryAfter = res.getHeader('Retry-After');
      next(
        new ShieldError(429, 'rate_limit_exceeded', 'Too many requests for this key. Retry later.', {
          headers: retryAfter === undefined ? {} : { 'Retry-After': String(retryAfter) },
        }),
      );
    },
    ...(runner ? { store: new SharedRequestStore(runner, `${prefix}req:`) } : {}),
    // Keys are digests of the principal, the hashed client key or the IP: the IP checks don't apply.
    validate: { keyGeneratorIpFallback: false, trustProxy: false, xForwardedForHeader: false },
  };
  const limiter = rateLimit(limiterOptions);

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
  ): Promise<void> {
    const identity = storeKeyOf(req, res);
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
        res.append(
          'RateLimit-Policy',
          `"tokens"; q=${budget.limit}; w=${Math.ceil(budget.windowMs / 1000)}; pk=:${partitionKey(identity)}:`,
        );
        res.append('RateLimit', `"tokens"; r=${remaining}; t=${resetSeconds}`);
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
      // The client left mid-call: the handler records what was used a moment later, once
      // the aborted upstream call unwinds. Wait for it, briefly.
      const started = Date.now();
      const poll = () => {
        if (getShieldState(res).usage !== undefined || Date.now() - started > 1000) return settle?.();
        setTimeout(poll, 10).unref?.();
      };
      poll();
    };
    res.once('finish', onFinish);
    res.once('close', onClose);
    // The client may have left while the store answered: 'close' will not fire again.
    if (res.destroyed || res.writableFinished) onClose();
  }

  return function rateLimitByKeyMiddleware(req: Request, res: Response, next: NextFunction): void {
    const state = enterShield(req, res);
    const onStoreError = (err: unknown) => {
      if (err instanceof ShieldError) return next(err);
      if (!failOpen) return next(unavailable(err));
      storeFailed(err);
      next();
    };
    void limiter(req, res, (err?: unknown) => {
      if (err !== undefined && err !== null) return onStoreError(err);
      const info = (req as unknown as { rateLimit?: { limit: number; remaining: number } }).rateLimit;
      if (info) state.rateLimit = { limit: info.limit, remaining: info.remaining };
      const budget = budgetOf(state);
      // Without a budget or an in-flight cap there is nothing more to admit: no promise, no hash.
      if (!budget && !slots) {
        if (runner) storeRecovered();
        return next();
      }
      admit(req, res, state, budget).then(() => {
        if (runner) storeRecovered();
        next();
      }, onStoreError);
    });
  };
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
