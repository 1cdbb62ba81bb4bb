import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, rateLimit, type Options as ExpressRateLimitOptions } from 'express-rate-limit';
import { ShieldError } from '../core/errors.js';
import { checkOptions, is, type Check } from '../core/options.js';
import { enterShield, keyFingerprint, presentedKey } from '../core/request.js';
import { getShieldState } from '../core/state.js';

export interface RateLimitByKeyOptions {
  /** Requests per `windowMs` per key, or a function of the request. Default 60. A key's own `limit` from `apiKeyAuth` wins. */
  limit?: number | ((req: Request) => number | Promise<number>);
  /** The window in milliseconds. Default 60 000. */
  windowMs?: number;
}

const FACTORY = 'rateLimitByKey';
const limitCheck: Check = is.either(is.positiveInt, is.function);

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

/**
 * Per-key request limits on express-rate-limit, with IETF draft-8 `RateLimit-Policy` /
 * `RateLimit` headers. Over the limit: 429 `rate_limit_exceeded` with `Retry-After`.
 *
 * @example
 * ```ts
 * app.post('/chat', apiKeyAuth({ keys }), rateLimitByKey({ limit: 60, windowMs: 60_000 }), handler)
 * ```
 */
export function rateLimitByKey(options: Readonly<RateLimitByKeyOptions> = {}): RequestHandler {
  const opts = checkOptions<RateLimitByKeyOptions>(FACTORY, options, { limit: limitCheck, windowMs: is.positiveInt });
  const windowMs = opts.windowMs ?? 60_000;
  const baseLimit = opts.limit ?? 60;

  const limiterOptions: Partial<ExpressRateLimitOptions> = {
    windowMs,
    limit: async (req: Request, res: Response) => {
      const own = getShieldState(res).principal?.limit;
      if (own !== undefined) return own;
      return typeof baseLimit === 'function' ? await baseLimit(req) : baseLimit;
    },
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: limitIdentity,
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
    // Ours are derived from the principal or hashed: express-rate-limit's IP checks don't apply.
    validate: { keyGeneratorIpFallback: false, trustProxy: false, xForwardedForHeader: false },
  };
  const limiter = rateLimit(limiterOptions);

  return function rateLimitByKeyMiddleware(req: Request, res: Response, next: NextFunction): void {
    const state = enterShield(req, res);
    void limiter(req, res, (err?: unknown) => {
      if (err === undefined || err === null) {
        const info = (req as unknown as { rateLimit?: { limit: number; remaining: number } }).rateLimit;
        if (info) state.rateLimit = { limit: info.limit, remaining: info.remaining };
        return next();
      }
      if (err instanceof ShieldError) return next(err);
      // The store failed: fail closed.
      next(new ShieldError(503, 'service_unavailable', 'The rate-limit store is unavailable.', { cause: err }));
    });
  };
}
