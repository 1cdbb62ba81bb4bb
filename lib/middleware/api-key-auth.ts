import { timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ShieldError } from '../core/errors.js';
import { checkNested, checkOption, checkOptions, is, optionError, type Check } from '../core/options.js';
import { clientAddress, enterShield, presentedKey, sha256 } from '../core/request.js';
import { recordChecks, type Principal, type ShieldState } from '../core/state.js';
import {
  attemptAddress,
  DEFAULT_FAILED_AUTH,
  FailedAuthThrottle,
  type FailedAuthPolicy,
} from '../limits/failed-auth.js';
import { DEFAULT_RETRY_WITHIN_MS, retryHeaders } from '../limits/headers.js';
import { redisClientProblem, redisRunner, type RedisClientLike } from '../limits/redis.js';

/** A client key: the key itself or the hex SHA-256 of it, plus that key's own policy. */
export type ApiKeyEntry = Omit<Principal, 'id'> & { id: string } & ({ key: string } | { sha256: string });

/** Looks a presented key up yourself (a database, a secrets manager); null means unknown. */
export type VerifyKey = (
  key: string,
  req: Request,
) => Principal | null | undefined | Promise<Principal | null | undefined>;

export interface ApiKeyAuthOptions {
  /** The accepted client keys, or a function that verifies one. Required. */
  keys: ReadonlyArray<ApiKeyEntry> | VerifyKey;
  /**
   * Wrong keys one client address may present per window; after that every request from
   * it gets 429 `rate_limit_exceeded` until the window ends, whatever key it sends.
   * `false` turns the throttle off. Default `{ limit: 20, windowMs: 60_000 }`.
   */
  failedAttempts?: Partial<FailedAuthPolicy> | false;
  /** A connected node-redis or ioredis client: failed attempts are then counted across every process on it. */
  redis?: RedisClientLike;
  /** Prefix of the Redis keys. Default `'llm-shield:'` (keys under `<prefix>auth:`). */
  prefix?: string;
  /** How long a verify function may take, ms; then 503 `service_unavailable`. Default 5000. */
  verifyTimeoutMs?: number;
  /** Only `'enforce'`: authentication is enforced in monitor mode too. */
  mode?: 'enforce';
}

interface StoredKey {
  digest: Buffer;
  principal: Principal;
}

const FACTORY = 'apiKeyAuth';
const HEX_SHA256 = /^[0-9a-f]{64}$/i;
const DEFAULT_VERIFY_TIMEOUT_MS = 5_000;
/** How long a failed-attempt count in Redis may take before it is given up (the attempt fails anyway). */
const REDIS_TIMEOUT_MS = 1_000;

/** A principal that later middlewares (or a buggy handler) cannot change for every request after. */
function frozen(principal: Principal): Principal {
  if (principal.models) Object.freeze(principal.models);
  if (principal.tokens) Object.freeze(principal.tokens);
  return Object.freeze(principal);
}

/**
 * What a verify function returned, checked as the static keys are: a bad `limit` or
 * `tokens` must not silently switch a limit off. Extra fields are dropped.
 */
function principalFromVerify(value: unknown): Principal | null {
  if (value === null || value === undefined || value === false) return null;
  if (typeof value !== 'object') throw new TypeError('not an object');
  const picked: Record<string, unknown> = {};
  for (const name of Object.keys(POLICY_CHECKS))
    if ((value as Record<string, unknown>)[name] !== undefined) picked[name] = (value as Record<string, unknown>)[name];
  const where = 'verify() result';
  return frozen(principalOf(where, checkNested<Principal>(FACTORY, where, picked, POLICY_CHECKS)));
}

const idCheck: Check = (v) =>
  typeof v === 'string' && v.length > 0 && v.length <= 200 ? undefined : 'a non-empty string of at most 200 characters';
const tokensCheck: Check = (v) => {
  const t = v as Record<string, unknown>;
  return is.object(v) || is.positiveInt(t.limit) || (t.windowMs !== undefined && is.positiveInt(t.windowMs))
    ? 'an object { limit, windowMs? } of positive integers'
    : undefined;
};
/** A key's policy, as a static entry or a verify function gives it. */
const POLICY_CHECKS = { id: idCheck, models: is.stringArray, limit: is.positiveInt, tokens: tokensCheck };
/** A static entry: the policy, and exactly one of `key` or `sha256`, checked together in storeKeys. */
const ENTRY_CHECKS = { ...POLICY_CHECKS, key: is.any, sha256: is.any };

/** The principal of a checked entry: fresh copies, so the caller's arrays stay the caller's. */
function principalOf(where: string, entry: Partial<Principal>): Principal {
  checkOption(FACTORY, `${where}.id`, entry.id, idCheck);
  const principal: Principal = { id: entry.id! };
  if (entry.models !== undefined) principal.models = [...entry.models];
  if (entry.limit !== undefined) principal.limit = entry.limit;
  if (entry.tokens !== undefined)
    principal.tokens = {
      limit: entry.tokens.limit,
      ...(entry.tokens.windowMs === undefined ? {} : { windowMs: entry.tokens.windowMs }),
    };
  return principal;
}

function storeKeys(entries: ReadonlyArray<unknown>): StoredKey[] {
  if (entries.length === 0) throw optionError(FACTORY, 'keys', 'a non-empty array or a function', entries);
  const seenIds = new Set<string>();
  const seenDigests = new Set<string>();
  return entries.map((raw, i) => {
    const where = `keys[${i}]`;
    if (is.object(raw)) throw optionError(FACTORY, where, 'an object { id, key } or { id, sha256 }', raw);
    const entry = raw as Record<string, unknown>;
    const principal = principalOf(where, checkNested<Principal>(FACTORY, where, entry, ENTRY_CHECKS));
    let digest: Buffer;
    if (entry.key !== undefined && entry.sha256 === undefined) {
      // A short key is guessable: refuse it at startup rather than accept it silently.
      if (typeof entry.key !== 'string' || entry.key.length < 16)
        throw optionError(
          FACTORY,
          `${where}.key`,
          'a string of at least 16 characters',
          typeof entry.key === 'string' ? 'a short string' : entry.key,
        );
      digest = Buffer.from(sha256(entry.key), 'hex');
    } else if (entry.sha256 !== undefined && entry.key === undefined) {
      if (typeof entry.sha256 !== 'string' || !HEX_SHA256.test(entry.sha256))
        throw optionError(FACTORY, `${where}.sha256`, 'a 64-character hex SHA-256 digest', entry.sha256);
      digest = Buffer.from(entry.sha256, 'hex');
    } else if ('key' in entry && entry.key === undefined && entry.sha256 === undefined) {
      // `{ key: process.env.UNSET }`: the key was meant, but its value is missing.
      throw optionError(FACTORY, `${where}.key`, 'a string of at least 16 characters', undefined);
    } else {
      throw new TypeError(`${FACTORY}: \`${where}\` must have exactly one of \`key\` or \`sha256\``);
    }
    if (seenIds.has(principal.id)) throw new TypeError(`${FACTORY}: duplicate key id \`${principal.id}\` in \`keys\``);
    const hex = digest.toString('hex');
    if (seenDigests.has(hex)) throw new TypeError(`${FACTORY}: \`${where}\` repeats a key already listed`);
    seenIds.add(principal.id);
    seenDigests.add(hex);
    return { digest, principal: frozen(principal) };
  });
}

const keysCheck: Check = (v) =>
  typeof v === 'function' || Array.isArray(v) ? undefined : 'an array of keys or a function';
const failedAttemptsCheck: Check = is.either(is.literal(false), is.object);
const failedAttemptsChecks = { limit: is.positiveInt, windowMs: is.positiveInt };

/** apiKeyAuth's options, resolved once. */
interface ApiKeyAuthConfig {
  verify: VerifyKey | undefined;
  /** Static keys by the hex of their digest. */
  byDigest: ReadonlyMap<string, StoredKey>;
  verifyTimeoutMs: number;
  throttle: FailedAuthThrottle | undefined;
}

/** One request on its way through apiKeyAuth. */
interface AuthContext {
  req: Request;
  state: ShieldState;
  next: NextFunction;
  /** The client address failed attempts count against (only with the throttle on). */
  address: string;
}

const AUTH_CHECK = ['auth'];
const enforceOnly: Check = (v) =>
  v === 'enforce' ? undefined : '"enforce" (authentication is enforced in monitor mode too)';

function resolveApiKeyAuthOptions(options: Readonly<ApiKeyAuthOptions>): ApiKeyAuthConfig {
  const opts = checkOptions<ApiKeyAuthOptions>(FACTORY, options, {
    keys: keysCheck,
    failedAttempts: failedAttemptsCheck,
    redis: redisClientProblem,
    prefix: is.nonEmptyString,
    verifyTimeoutMs: is.positiveInt,
    mode: enforceOnly,
  });
  if (opts.keys === undefined) throw optionError(FACTORY, 'keys', 'an array of keys or a function', undefined);
  const verify = typeof opts.keys === 'function' ? opts.keys : undefined;
  const stored = verify ? [] : storeKeys(opts.keys as ReadonlyArray<unknown>);
  const failed =
    opts.failedAttempts === false
      ? undefined
      : {
          ...DEFAULT_FAILED_AUTH,
          ...checkNested<FailedAuthPolicy>(FACTORY, 'failedAttempts', opts.failedAttempts ?? {}, failedAttemptsChecks),
        };
  const runner = opts.redis ? redisRunner(opts.redis, REDIS_TIMEOUT_MS) : undefined;
  return {
    verify,
    // Indexed by the digest's hex: a lookup costs the same for 1 key or 100 000. Any timing a
    // hash lookup shows is about the SHA-256 of the presented key, which gives an attacker no
    // way to approach a valid key byte by byte; the final comparison is constant-time anyway.
    byDigest: new Map(stored.map((entry) => [entry.digest.toString('hex'), entry])),
    verifyTimeoutMs: opts.verifyTimeoutMs ?? DEFAULT_VERIFY_TIMEOUT_MS,
    throttle: failed && new FailedAuthThrottle(failed, runner, `${opts.prefix ?? 'llm-shield:'}auth:`),
  };
}

function unauthorized(): ShieldError {
  return new ShieldError(
    401,
    'invalid_api_key',
    'Missing or invalid API key. Send it as `Authorization: Bearer <key>` or `x-api-key`.',
    {
      headers: { 'WWW-Authenticate': 'Bearer' },
    },
  );
}

function tooManyFailures(waitMs: number): ShieldError {
  return new ShieldError(
    429,
    'rate_limit_exceeded',
    'Too many failed API key attempts from this address. Retry later.',
    { headers: retryHeaders(waitMs, DEFAULT_RETRY_WITHIN_MS) },
  );
}

function lookup(config: ApiKeyAuthConfig, key: string): Principal | undefined {
  const digest = sha256(key);
  const entry = config.byDigest.get(digest);
  return entry !== undefined && timingSafeEqual(entry.digest, Buffer.from(digest, 'hex')) ? entry.principal : undefined;
}

/** What a request is once its key is known: the principal in the state, or a 401 (429 once its address failed too often). */
function admit(config: ApiKeyAuthConfig, ctx: AuthContext, principal: Principal | null | undefined): void {
  const { state, next } = ctx;
  if (principal) {
    state.principal = principal;
    state.keyId = principal.id;
    return next();
  }
  if (!config.throttle) return next(unauthorized());
  config.throttle.failed(ctx.address).then((wait) => next(wait > 0 ? tooManyFailures(wait) : unauthorized()));
}

const verifyTimedOut = Symbol('verify timed out');

/** The verify function's answer, or `verifyTimedOut` after `ms`. */
async function withinTime(ms: number, run: () => unknown): Promise<unknown> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<typeof verifyTimedOut>((resolve) => {
    timer = setTimeout(() => resolve(verifyTimedOut), ms);
    timer.unref?.();
  });
  try {
    return await Promise.race([Promise.resolve().then(run), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** A verify function may be async and slow: only this path makes a promise, bounded by `verifyTimeoutMs`. */
async function verified(config: ApiKeyAuthConfig, verify: VerifyKey, key: string, ctx: AuthContext): Promise<void> {
  const { req, next } = ctx;
  let returned: unknown;
  try {
    returned = await withinTime(config.verifyTimeoutMs, () => verify(key, req));
  } catch (cause) {
    // A verifier that fails must not let the request through (fail closed).
    return next(new ShieldError(503, 'service_unavailable', 'The key store is unavailable.', { cause }));
  }
  if (returned === verifyTimedOut)
    return next(
      new ShieldError(503, 'service_unavailable', 'The key store did not answer in time.', {
        headers: { 'Retry-After': '1' },
      }),
    );
  let principal: Principal | null;
  try {
    principal = principalFromVerify(returned);
  } catch (cause) {
    return next(new ShieldError(500, 'internal_error', 'The key verifier returned an invalid principal.', { cause }));
  }
  admit(config, ctx, principal);
}

/**
 * Checks the client key (`Authorization: Bearer <key>` or `x-api-key`) and puts the
 * principal (`id`, `models`, `limit`, `tokens`) in the shield state. Keys are compared as
 * SHA-256 digests in constant time and never stored raw. Missing key: 401
 * `invalid_api_key`; a wrong key: 401, and once an address made `failedAttempts.limit`
 * wrong attempts in the window, 429 `rate_limit_exceeded` for every request from it until
 * the window ends (counted in Redis with `redis`, so all processes agree). With a verify
 * function (sync or async): a throw, a rejection or no answer within `verifyTimeoutMs`
 * gives 503 `service_unavailable` (fail closed), an invalid principal 500 `internal_error`.
 *
 * Defaults: `failedAttempts` `{ limit: 20, windowMs: 60_000 }`, `verifyTimeoutMs` 5000,
 * `prefix` `'llm-shield:'`, memory store. `keys` is required; configured principals are
 * frozen copies.
 *
 * @example
 * ```ts
 * app.use('/chat', apiKeyAuth({ keys: [{ id: 'team-a', key: process.env.TEAM_A_KEY!, models: ['gpt-4o-mini'] }] }))
 * ```
 */
export function apiKeyAuth(options: Readonly<ApiKeyAuthOptions>): RequestHandler {
  const config = resolveApiKeyAuthOptions(options);
  return function apiKeyAuthMiddleware(req: Request, res: Response, next: NextFunction): void | Promise<void> {
    const state = enterShield(req, res);
    recordChecks(state, AUTH_CHECK);
    let address = '';
    if (config.throttle) {
      address = attemptAddress(clientAddress(req));
      const wait = config.throttle.waitMs(address);
      if (wait > 0) return next(tooManyFailures(wait));
    }
    const key = presentedKey(req);
    if (key === undefined) return next(unauthorized());
    const ctx: AuthContext = { req, state, next, address };
    if (config.verify) return verified(config, config.verify, key, ctx);
    admit(config, ctx, lookup(config, key));
  };
}
