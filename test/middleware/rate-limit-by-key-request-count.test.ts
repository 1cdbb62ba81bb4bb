// The request-counting step of rateLimitByKey, which drives express-rate-limit's stores
// itself: what it owns beyond the shared tests — the reset time in `t` and `Retry-After`,
// `req.rateLimit`, the partition key, `limit` functions (async or failing), one count per
// request per limiter, and a store that fails and recovers.

import express, { type NextFunction, type Request, type Response } from 'express';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { apiKeyAuth, callLLM, createMockLLM, errorHandler, rateLimitByKey } from '../../lib/index.js';
import { CLIENT_KEY, OTHER_KEY } from '../helpers/app.js';
import { chat, flushPrefix, keys, limitedApp, nodeRedis, uniquePrefix, type NodeRedis } from '../helpers/redis.js';

const post = (app: Parameters<typeof request>[0], key = CLIENT_KEY) =>
  request(app).post('/v1/chat/completions').set('Authorization', `Bearer ${key}`).send(chat());

/** The `"requests"` item of a `RateLimit` or `RateLimit-Policy` header, as its parameters. */
function requestsItem(header: string | undefined): Record<string, string> {
  const item = /"requests"((?:; [a-z]+=[^;,]+)+)/.exec(header ?? '');
  if (!item) throw new Error(`no "requests" item in ${header}`);
  return Object.fromEntries(
    item[1]!
      .split('; ')
      .slice(1)
      .map((p) => p.split('=') as [string, string]),
  );
}

describe('the request count in memory', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("gives the store's reset time as `t` and `Retry-After`, and a fresh window after it", async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const app = limitedApp(rateLimitByKey({ limit: 1, windowMs: 10_000 }));
    const first = await post(app);
    expect(first.status).toBe(200);
    expect(requestsItem(first.headers.ratelimit)).toEqual({ r: '0', t: '10' });
    expect(requestsItem(first.headers['ratelimit-policy'])).toMatchObject({ q: '1', w: '10' });
    expect(first.headers['retry-after']).toBeUndefined();

    vi.setSystemTime(Date.now() + 3_500);
    const refused = await post(app);
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('rate_limit_exceeded');
    // 6.5 s left in the window, rounded up.
    expect(refused.headers['retry-after']).toBe('7');
    expect(requestsItem(refused.headers.ratelimit)).toEqual({ r: '0', t: '7' });

    vi.setSystemTime(Date.now() + 6_500);
    const fresh = await post(app);
    expect(fresh.status).toBe(200);
    expect(requestsItem(fresh.headers.ratelimit)).toEqual({ r: '0', t: '10' });
  });

  it('sets req.rateLimit as express-rate-limit does, on refused requests too', async () => {
    const seen: unknown[] = [];
    const keep = (req: Request) => seen.push({ ...(req as Request & { rateLimit: object }).rateLimit });
    const app = express();
    app.post(
      '/v1/chat/completions',
      express.json(),
      apiKeyAuth({ keys }),
      rateLimitByKey({ limit: 1 }),
      (req: Request, res: Response) => {
        keep(req);
        res.json({ ok: true });
      },
    );
    app.use((err: unknown, req: Request, _res: Response, next: NextFunction) => {
      keep(req);
      next(err);
    });
    app.use(errorHandler());
    expect((await post(app)).status).toBe(200);
    expect((await post(app)).status).toBe(429);
    const info = { limit: 1, resetTime: expect.any(Date), key: expect.stringMatching(/^[0-9a-f]{32}$/) };
    expect(seen).toEqual([
      { ...info, used: 1, remaining: 0 },
      { ...info, used: 2, remaining: 0 },
    ]);
  });

  it('names one partition per key, the same on a refusal, and never the key itself', async () => {
    const app = limitedApp(rateLimitByKey({ limit: 1 }));
    const pk = async (key: string) => {
      const res = await post(app, key);
      return { status: res.status, pk: requestsItem(res.headers['ratelimit-policy']).pk! };
    };
    const a1 = await pk(CLIENT_KEY);
    const a2 = await pk(CLIENT_KEY);
    const b = await pk(OTHER_KEY);
    expect([a1.status, a2.status, b.status]).toEqual([200, 429, 200]);
    expect(a1.pk).toMatch(/^:[A-Za-z0-9+/]+=*:$/);
    expect(a2.pk).toBe(a1.pk);
    expect(b.pk).not.toBe(a1.pk);
    for (const p of [a1.pk, b.pk]) {
      const decoded = Buffer.from(p.slice(1, -1), 'base64').toString();
      for (const secret of [CLIENT_KEY, OTHER_KEY, 'team-a', 'team-b']) expect(decoded).not.toContain(secret);
    }
  });

  it('waits for a `limit` function that answers with a promise, counting each request as it came', async () => {
    // The answer comes after every request of the burst was counted: each must still be
    // judged on its own count, not on the count the store holds by then.
    const limit = () => new Promise<number>((resolve) => setTimeout(() => resolve(2), 50));
    const app = limitedApp(rateLimitByKey({ limit }));
    const statuses = (await Promise.all(Array.from({ length: 6 }, () => post(app)))).map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(2);
    expect(statuses.filter((s) => s === 429)).toHaveLength(4);
  });

  it('passes an error of a `limit` function on as it is: a 500, not a store failure', async () => {
    const thrown = limitedApp(
      rateLimitByKey({
        limit: () => {
          throw new Error('no tier');
        },
        failOpen: true,
      }),
    );
    const rejected = limitedApp(rateLimitByKey({ limit: () => Promise.reject(new Error('no tier')) }));
    for (const app of [thrown, rejected]) {
      const res = await post(app);
      expect(res.status).toBe(500);
      expect(res.body.error.code).toBe('internal_error');
    }
  });

  it('counts a request once when it meets the same limiter twice', async () => {
    const limiter = rateLimitByKey({ limit: 2, concurrency: 1 });
    const app = express();
    app.use('/v1', express.json(), apiKeyAuth({ keys }), limiter);
    app.post('/v1/chat/completions', limiter, callLLM({ client: createMockLLM(), model: 'mock-model' }));
    app.use(errorHandler());
    const first = await post(app);
    // Not refused by its own in-flight slot, and one "requests" item, not two.
    expect(first.status).toBe(200);
    expect(first.headers.ratelimit).toBe('"requests"; r=1; t=60');
    expect((await post(app)).status).toBe(200);
    expect((await post(app)).status).toBe(429);
  });
});

describe('the request count in Redis', () => {
  let real: NodeRedis;
  let down = false;
  // A client that fails on demand, in front of a real Redis.
  const flaky = {
    sendCommand: (args: string[], options?: unknown) =>
      down ? Promise.reject(new Error('connection lost')) : real.sendCommand(args, options as never),
  };
  const prefixes: string[] = [];
  const prefix = (name: string) => {
    const p = uniquePrefix(name);
    prefixes.push(p);
    return p;
  };
  let logged: string[];

  beforeAll(async () => {
    real = await nodeRedis();
  });
  afterAll(async () => {
    for (const p of prefixes) await flushPrefix(real, p);
    real.destroy();
  });
  beforeEach(() => {
    down = false;
    logged = [];
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void logged.push(args.join(' ')));
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('gives the key expiry as `t`, refuses with 503 while Redis fails, and a failed request is not counted', async () => {
    const app = limitedApp(rateLimitByKey({ limit: 3, windowMs: 60_000, redis: flaky, prefix: prefix('count') }));
    const first = await post(app);
    expect(first.status).toBe(200);
    expect(requestsItem(first.headers.ratelimit)).toEqual({ r: '2', t: '60' });

    down = true;
    const failed = await post(app);
    expect(failed.status).toBe(503);
    expect(failed.body.error.code).toBe('service_unavailable');
    expect(failed.headers['retry-after']).toBe('1');
    expect(failed.headers.ratelimit).toBeUndefined();

    down = false;
    expect(requestsItem((await post(app)).headers.ratelimit).r).toBe('1');
    expect((await post(app)).status).toBe(200);
    const refused = await post(app);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(59);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(logged).toEqual([]);
  });

  it('with failOpen, passes while Redis fails, says so once, and says when limits apply again', async () => {
    const app = limitedApp(rateLimitByKey({ limit: 1, redis: flaky, failOpen: true, prefix: prefix('open') }));
    expect((await post(app)).status).toBe(200);
    expect((await post(app)).status).toBe(429);

    down = true;
    const passed = await post(app);
    expect(passed.status).toBe(200);
    expect(passed.headers.ratelimit).toBeUndefined();
    expect((await post(app)).status).toBe(200);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain('WITHOUT limits');

    down = false;
    expect((await post(app, OTHER_KEY)).status).toBe(200);
    expect(logged).toHaveLength(2);
    expect(logged[1]).toContain('answers again');
    expect((await post(app)).status).toBe(429);
  });
});
