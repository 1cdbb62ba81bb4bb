// The preset runs its middlewares as one router layer (lib/core/chain.ts); errors and the
// router's own `next('route')` must behave as if each middleware were its own layer.

import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { chain } from '../../lib/core/chain.js';

const mark =
  (name: string): RequestHandler =>
  (req, _res, next) => {
    ((req as unknown as { seen: string[] }).seen ??= []).push(name);
    next();
  };
const report: ErrorRequestHandler = (err, req, res, _next) => {
  res
    .status(500)
    .json({ error: String((err as Error)?.message ?? err), seen: (req as unknown as { seen?: string[] }).seen });
};

function app(...handlers: RequestHandler[]) {
  const a = express();
  a.get('/', chain(handlers), (req, res) =>
    res.json({ seen: (req as unknown as { seen: string[] }).seen, after: true }),
  );
  a.get('/', (_req, res) => res.json({ nextRoute: true }));
  a.use(report);
  return a;
}

describe('chain', () => {
  it('runs the middlewares in order, then the next layer', async () => {
    const res = await request(app(mark('a'), mark('b'), mark('c'))).get('/');
    expect(res.body).toEqual({ seen: ['a', 'b', 'c'], after: true });
  });

  it('stops at an error passed to next and skips the rest', async () => {
    const res = await request(app(mark('a'), (_req, _res, next) => next(new Error('boom')), mark('c'))).get('/');
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error: 'boom', seen: ['a'] });
  });

  it('turns a thrown error, even a falsy one, into next(err)', async () => {
    const thrower: RequestHandler = () => {
      throw new Error('thrown');
    };
    expect((await request(app(mark('a'), thrower, mark('c'))).get('/')).body).toEqual({ error: 'thrown', seen: ['a'] });
    const falsy: RequestHandler = () => {
      throw undefined;
    };
    expect((await request(app(falsy, mark('c'))).get('/')).status).toBe(500);
  });

  it('turns a rejected promise into next(err), on Express 4 too', async () => {
    const rejects: RequestHandler = async () => {
      await Promise.resolve();
      throw new Error('rejected');
    };
    expect((await request(app(mark('a'), rejects, mark('c'))).get('/')).body).toEqual({
      error: 'rejected',
      seen: ['a'],
    });
  });

  it("passes next('route') to the router", async () => {
    const res = await request(app(mark('a'), (_req, _res, next) => next('route'), mark('c'))).get('/');
    expect(res.body).toEqual({ nextRoute: true });
  });
});
