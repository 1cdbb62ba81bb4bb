// Response headers that do not depend on the request, worked out once. helmet with a fixed
// configuration (no nonces, no per-request callbacks) sets the same headers on every response;
// replaying what it did once saves running its dozen sub-middlewares on every request.

import type { NextFunction, Request, RequestHandler, Response } from 'express';

type HeaderOp = [name: string, value: string | undefined];

/**
 * A middleware that sets and removes the headers `middleware` set and removed when run once
 * on an empty request. Throws at startup when `middleware` does not call `next` at once, or
 * calls anything on the response but `setHeader` / `removeHeader` (that throws): such a
 * middleware is not fixed and must run per request.
 */
export function fixedHeaders(middleware: RequestHandler): RequestHandler {
  const ops: HeaderOp[] = [];
  const recorder = {
    setHeader(name: string, value: unknown) {
      ops.push([name, Array.isArray(value) ? value.join(', ') : String(value)]);
      return recorder;
    },
    removeHeader(name: string) {
      ops.push([name, undefined]);
    },
  };
  let called = false;
  void middleware({ headers: {} } as Request, recorder as unknown as Response, (err?: unknown) => {
    if (err === undefined) called = true;
  });
  if (!called) throw new Error('fixedHeaders: the middleware did not call next() at once; it cannot be replayed');
  return function securityHeaders(_req: Request, res: Response, next: NextFunction): void {
    for (const [name, value] of ops) {
      if (value === undefined) res.removeHeader(name);
      else res.setHeader(name, value);
    }
    next();
  };
}
