import type { NextFunction, Request, RequestHandler, Response } from 'express';

/**
 * Middlewares run in order as one router layer. Each layer costs the router a path match,
 * its bookkeeping and allocations on every request; the preset's chain is fixed, so it pays
 * for one. Errors, passed to `next`, thrown, or a rejected promise (as Express 5 handles
 * them), go to the router's `next`, as do `'route'` and `'router'`.
 */
export function chain(handlers: readonly RequestHandler[]): RequestHandler {
  return function shieldChain(req: Request, res: Response, done: NextFunction): void {
    let i = 0;
    const next = (err?: unknown): void => {
      if (err) return done(err);
      const handler = handlers[i++];
      if (handler === undefined) return done();
      try {
        const returned: unknown = handler(req, res, next);
        if (returned instanceof Promise)
          returned.then(undefined, (reason: unknown) => next(reason ?? new Error('Rejected promise')));
      } catch (thrown) {
        next(thrown || new Error('A middleware threw a falsy value'));
      }
    };
    next();
  };
}
