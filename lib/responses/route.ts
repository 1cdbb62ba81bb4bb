// The preset's `POST /responses` route: which requests it answers, and that the body sent
// there is a Responses body (and one sent to `/chat/completions` is not), since the
// middlewares tell the two APIs apart by shape.

import type { NextFunction, Request, Response } from 'express';
import { ShieldError } from '../core/errors.js';
import { isResponsesBody } from './types.js';

const RESPONSES_PATH = /^\/responses\/?$/i;

/** `POST /responses` under the preset's mount, matched as the router would (any case, one trailing slash). */
export function isResponsesRoute(req: Request): boolean {
  return req.method === 'POST' && RESPONSES_PATH.test(req.path);
}

/** Refuses a body of the other API than the route's: a 400 naming the field the route needs. */
export function bodyMatchesRoute(req: Request, _res: Response, next: NextFunction): void {
  const responses = isResponsesBody(req.body);
  if (isResponsesRoute(req)) {
    if (responses) return next();
    return next(
      new ShieldError(400, 'invalid_request', '`input` must be a non-empty string or array.', { param: 'input' }),
    );
  }
  if (!responses) return next();
  next(new ShieldError(400, 'invalid_request', '`messages` must be a non-empty array.', { param: 'messages' }));
}
