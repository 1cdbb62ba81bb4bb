import http from 'node:http';
import express, { type Request, type Response } from 'express';
import OpenAI from 'openai';
import request from 'supertest';
import { describe, expect, it, vi } from 'vitest';
import {
  apiKeyAuth,
  callLLM,
  createMockLLM,
  errorHandler,
  getShieldState,
  llmShield,
  rateLimitByKey,
} from '../../lib/index.js';
import { MemoryConcurrencyStore } from '../../lib/limits/concurrency.js';
import { estimateRequestTokens } from '../../lib/limits/estimate.js';
import { MemoryTokenBudgetStore } from '../../lib/limits/token-budget.js';
import { CLIENT_KEY, OTHER_KEY, listen } from '../helpers/app.js';
import { chat, keys, limitedApp } from '../helpers/redis.js';

const post = (app: Parameters<typeof request>[0], body: object = chat(), key: string | null = CLIENT_KEY) => {
  const r = request(app).post('/v1/chat/completions');
  if (key !== null) r.set('Authorization', `Bearer ${key}`);
  return r.send(body);
};

/** The `r=` of the draft-8 item `name` in a `RateLimit` header. */
function remaining(header: string | undefined, name: string): number {
  const m = new RegExp(`"${name}"; r=(\\d+)`).exec(header ?? '');
  if (!m) throw new Error(`no "${name}" item in ${header}`);
  return Number(m[1]);
}

describe('rateLimitByKey options', () => {
  const cases: Array<[unknown, string]> = [
    [5, 'rateLimitByKey: options must be an object (received 5)'],
    [
      { limits: 5 },
      'rateLimitByKey: unknown option `limits` (known options: concurrency, failOpen, identify, limit, maxCompletionTokens, minCompletionTokens, mode, prefix, redis, redisTimeoutMs, retryWithinMs, tokens, windowMs)',
    ],
    [{ limit: 0 }, 'rateLimitByKey: `limit` must be a positive integer or a function (received 0)'],
    [{ limit: '60' }, 'rateLimitByKey: `limit` must be a positive integer or a function (received "60")'],
    [{ windowMs: -1 }, 'rateLimitByKey: `windowMs` must be a positive integer (received -1)'],
    [{ tokens: 5 }, 'rateLimitByKey: `tokens` must be an object (received 5)'],
    [
      { tokens: {} },
      'rateLimitByKey: `tokens.limit` must be a positive integer (received undefined (is the environment variable set?))',
    ],
    [{ tokens: { limit: 0 } }, 'rateLimitByKey: `tokens.limit` must be a positive integer (received 0)'],
    [
      { tokens: { limit: 10, windowMs: 1.5 } },
      'rateLimitByKey: `tokens.windowMs` must be a positive integer (received 1.5)',
    ],
    [
      { tokens: { limit: 10, window: 1000 } },
      'rateLimitByKey: unknown option `tokens.window` (known options: limit, windowMs)',
    ],
    [{ concurrency: 0 }, 'rateLimitByKey: `concurrency` must be a positive integer or an object (received 0)'],
    [
      { concurrency: {} },
      'rateLimitByKey: `concurrency.limit` must be a positive integer (received undefined (is the environment variable set?))',
    ],
    [
      { concurrency: { limit: 2, leaseMs: 0 } },
      'rateLimitByKey: `concurrency.leaseMs` must be a positive integer (received 0)',
    ],
    [
      { concurrency: { limit: 2, lease: 10 } },
      'rateLimitByKey: unknown option `concurrency.lease` (known options: leaseMs, limit)',
    ],
    [{ maxCompletionTokens: 0 }, 'rateLimitByKey: `maxCompletionTokens` must be a positive integer (received 0)'],
    [{ redis: {} }, 'rateLimitByKey: `redis` must be a node-redis or ioredis client (received an object)'],
    [
      { redis: 'redis://127.0.0.1:6379' },
      'rateLimitByKey: `redis` must be a node-redis or ioredis client (received "redis://127.0.0.1:6379")',
    ],
    [{ prefix: '' }, 'rateLimitByKey: `prefix` must be a non-empty string (received "")'],
    [{ redisTimeoutMs: 0 }, 'rateLimitByKey: `redisTimeoutMs` must be a positive integer (received 0)'],
    [{ failOpen: 'yes' }, 'rateLimitByKey: `failOpen` must be a boolean (received "yes")'],
    [{ identify: 'user' }, 'rateLimitByKey: `identify` must be a function (received "user")'],
    [{ retryWithinMs: -1 }, 'rateLimitByKey: `retryWithinMs` must be a non-negative integer (received -1)'],
    [{ minCompletionTokens: 0 }, 'rateLimitByKey: `minCompletionTokens` must be a positive integer (received 0)'],
  ];
  for (const [options, message] of cases)
    it(`throws for ${JSON.stringify(options)}`, () => {
      expect(() => rateLimitByKey(options as never)).toThrow(new TypeError(message));
    });

  it('treats undefined as not set and never mutates the options', () => {
    const options = Object.freeze({
      limit: undefined,
      tokens: Object.freeze({ limit: 100, windowMs: undefined }),
      concurrency: Object.freeze({ limit: 2 }),
    });
    expect(() => rateLimitByKey(options)).not.toThrow();
  });

  it('llmShield checks its `redis` option', () => {
    expect(() => llmShield({ client: createMockLLM(), model: 'm', keys, redis: { get: () => 1 } as never })).toThrow(
      new TypeError('llmShield: `redis` must be a node-redis or ioredis client (received an object)'),
    );
  });
});

describe('estimateRequestTokens', () => {
  const messages = [{ role: 'user', content: 'Hello there' }];
  const prompt = estimateRequestTokens({ messages, max_tokens: 1 }, 4096) - 1;
  it('counts the prompt plus the requested completion, clamped to the cap', () => {
    expect(prompt).toBeGreaterThan(4);
    expect(estimateRequestTokens({ messages, max_tokens: 50 }, 4096)).toBe(prompt + 50);
    expect(estimateRequestTokens({ messages, max_completion_tokens: 70, max_tokens: 50 }, 4096)).toBe(prompt + 70);
    expect(estimateRequestTokens({ messages, max_tokens: 100_000 }, 4096)).toBe(prompt + 4096);
    expect(estimateRequestTokens({ messages }, 1000)).toBe(prompt + 1000);
    expect(estimateRequestTokens({ messages, max_tokens: -5 }, 1000)).toBe(prompt + 1000);
    expect(estimateRequestTokens({ messages, max_tokens: 10, n: 3 }, 1000)).toBe(prompt + 30);
  });
  it('reads text parts and the prompt shorthand, and copes with any body', () => {
    expect(
      estimateRequestTokens({ messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello there' }] }] }, 10),
    ).toBe(prompt + 10);
    expect(estimateRequestTokens({ prompt: 'Hello there' }, 10)).toBe(prompt + 10);
    expect(estimateRequestTokens(undefined, 10)).toBe(10);
    expect(estimateRequestTokens({ messages: [null, 5, 'x'] }, 10)).toBe(10);
  });
});

/** An ask for exactly `n` tokens, nothing less. */
const all = (n: number) => ({ most: n, least: n });

describe('memory stores', () => {
  it('drop expired token windows, so memory stays bounded', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const store = new MemoryTokenBudgetStore();
      for (let i = 0; i < 100; i++) await store.reserve(`k${i}`, all(1), 10, 1_000);
      expect(store.size).toBe(100);
      vi.setSystemTime(Date.now() + 1_001);
      await store.reserve('fresh', all(1), 10, 1_000);
      expect(store.size).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('refund only the window the reservation came from', async () => {
    const store = new MemoryTokenBudgetStore();
    const first = await store.reserve('k', all(8), 10, 5);
    await new Promise((r) => setTimeout(r, 20));
    const second = await store.reserve('k', all(6), 10, 60_000);
    expect(second.ok).toBe(true);
    await store.settle('k', -8, first.window, 60_000); // an old window: ignored
    expect((await store.reserve('k', all(5), 10, 60_000)).ok).toBe(false);
    await store.settle('k', -6, second.window, 60_000);
    expect((await store.reserve('k', all(10), 10, 60_000)).ok).toBe(true);
  });

  it('count in-flight requests and forget a key at zero; release is idempotent', async () => {
    const store = new MemoryConcurrencyStore();
    const a = await store.acquire('k', 2);
    const b = await store.acquire('k', 2);
    expect((await store.acquire('k', 2)).slot).toBeNull();
    a.slot!.release();
    a.slot!.release();
    expect(store.inFlight('k')).toBe(1);
    b.slot!.release();
    expect(store.inFlight('k')).toBe(0);
  });
});

describe('rateLimitByKey in memory', () => {
  it('allows 60 requests a minute per key by default, with draft-8 headers', async () => {
    const app = limitedApp(rateLimitByKey());
    const statuses: number[] = [];
    let last: request.Response | undefined;
    for (let i = 0; i < 61; i++) {
      last = await post(app);
      statuses.push(last.status);
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(60);
    expect(statuses[60]).toBe(429);
    expect(last!.body.error).toEqual({
      message: 'Too many requests for this key. Retry later.',
      type: 'rate_limit_error',
      code: 'rate_limit_exceeded',
      param: null,
    });
    expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
    expect(last!.headers['ratelimit-policy']).toMatch(/^"requests"; q=60; w=60; pk=:[A-Za-z0-9+/=]+:$/);
    // The other key is counted apart.
    expect((await post(app, chat(), OTHER_KEY)).status).toBe(200);
  });

  it("uses a key's own `limit` (tier) and a `limit` function", async () => {
    const auth = apiKeyAuth({
      keys: [
        { id: 'gold', key: CLIENT_KEY, limit: 3 },
        { id: 'basic', key: OTHER_KEY },
      ],
    });
    const app = limitedApp(rateLimitByKey({ limit: () => 1 }), createMockLLM(), auth);
    const gold = [];
    for (let i = 0; i < 4; i++) gold.push((await post(app)).status);
    expect(gold).toEqual([200, 200, 200, 429]);
    expect([(await post(app, chat(), OTHER_KEY)).status, (await post(app, chat(), OTHER_KEY)).status]).toEqual([
      200, 429,
    ]);
  });

  it('without apiKeyAuth counts by IP: an unverified key is not an identity', async () => {
    const app = express();
    app.post('/v1/chat/completions', express.json(), rateLimitByKey({ limit: 1 }), (_req, res) => {
      res.json({ keyId: getShieldState(res).keyId });
    });
    app.use(errorHandler());
    expect((await post(app, chat(), CLIENT_KEY)).status).toBe(200);
    expect((await post(app, chat(), CLIENT_KEY)).status).toBe(429);
    expect((await request(app).post('/v1/chat/completions').set('x-api-key', OTHER_KEY).send(chat())).status).toBe(429);
    expect((await post(app, chat(), null)).status).toBe(429);
  });

  it("counts by the app's own `identify(req)` when no principal is set, else by IP", async () => {
    const app = express();
    const identify = (req: Request) => (typeof req.headers['x-user'] === 'string' ? req.headers['x-user'] : undefined);
    app.post('/v1/chat/completions', express.json(), rateLimitByKey({ limit: 1, identify }), (_req, res) => {
      res.json({ ok: true });
    });
    app.use(errorHandler());
    const as = (user: string | null) => {
      const r = request(app).post('/v1/chat/completions');
      if (user !== null) r.set('x-user', user);
      return r.send(chat());
    };
    expect((await as('alice')).status).toBe(200);
    expect((await as('alice')).status).toBe(429);
    expect((await as('bob')).status).toBe(200);
    expect((await as(null)).status).toBe(200);
    expect((await as(null)).status).toBe(429);
  });

  it('reserves tokens, settles them from usage (JSON and stream), and says so in headers and state', async () => {
    const seen: Array<ReturnType<typeof getShieldState>['rateLimit']> = [];
    const app = express();
    app.post(
      '/v1/chat/completions',
      express.json(),
      apiKeyAuth({ keys }),
      rateLimitByKey({ tokens: { limit: 10_000, windowMs: 120_000 } }),
      (_req: Request, res: Response, next) => {
        seen.push({ ...getShieldState(res).rateLimit! });
        next();
      },
      callLLM({ client: createMockLLM(), model: 'mock-model' }),
    );
    app.use(errorHandler());
    const body = chat('Hello', { max_tokens: 40 });
    const first = await post(app, body);
    expect(first.status).toBe(200);
    expect(first.headers['ratelimit-policy']).toMatch(/"tokens"; q=10000; w=120; pk=:/);
    // Both items name the same partition.
    const pks = [...String(first.headers['ratelimit-policy']).matchAll(/pk=(:[^:]+:)/g)].map((m) => m[1]);
    expect(pks).toHaveLength(2);
    expect(pks[0]).toBe(pks[1]);
    const r1 = remaining(first.headers.ratelimit, 'tokens');
    const reserved = 10_000 - r1;
    expect(reserved).toBeGreaterThan(40);
    expect(seen[0]).toEqual({ limit: 60, remaining: 59, tokensRemaining: r1 });

    // The same body reserves the same amount: what changed is the settled first call.
    const second = await post(app, body);
    const used1 = first.body.usage.total_tokens as number;
    expect(remaining(second.headers.ratelimit, 'tokens')).toBe(10_000 - used1 - reserved);

    const server = await listen(app);
    try {
      const sdk = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: CLIENT_KEY, maxRetries: 0 });
      const stream = await sdk.chat.completions.create({ ...body, model: 'mock-model', stream: true } as never);
      let usage = 0;
      for await (const chunk of stream as unknown as AsyncIterable<OpenAI.ChatCompletionChunk>)
        usage = chunk.usage?.total_tokens ?? usage;
      expect(usage).toBe(0); // the client did not ask for usage; callLLM did, for the budget
      const third = await post(app, body);
      const used2 = second.body.usage.total_tokens as number;
      const left = remaining(third.headers.ratelimit, 'tokens');
      // The stream settled to its own usage, which the mock makes equal to the JSON call's.
      expect(left).toBe(10_000 - used1 - used2 - used1 - reserved);
    } finally {
      await server.close();
    }
  });

  it('refuses with 429 token_budget_exceeded, refunds failures, keeps the reservation of an unmetered answer', async () => {
    const mock = createMockLLM({ failures: [{ status: 400 }] });
    const app = express();
    app.post('/own', express.json(), apiKeyAuth({ keys }), rateLimitByKey({ tokens: { limit: 100 } }), (_q, res) =>
      res.json({ ok: true }),
    );
    app.post(
      '/v1/chat/completions',
      express.json(),
      apiKeyAuth({ keys }),
      rateLimitByKey({ tokens: { limit: 100 } }),
      callLLM({ client: mock, model: 'mock-model' }),
    );
    app.use(errorHandler());
    const failed = await post(app, chat('x', { max_tokens: 80 }));
    expect(failed.status).toBe(502);
    // Refunded: the same reservation fits again.
    expect((await post(app, chat('x', { max_tokens: 80 }))).status).toBe(200);

    const own = () =>
      request(app)
        .post('/own')
        .set('Authorization', `Bearer ${CLIENT_KEY}`)
        .send(chat('x', { max_tokens: 60 }));
    expect((await own()).status).toBe(200);
    const refused = await own(); // the first kept its reservation: no usage was reported
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('token_budget_exceeded');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  });

  it("applies a key's own `tokens` even when the middleware sets no budget", async () => {
    const auth = apiKeyAuth({ keys: [{ id: 'metered', key: CLIENT_KEY, tokens: { limit: 50, windowMs: 30_000 } }] });
    const app = limitedApp(rateLimitByKey(), createMockLLM(), auth);
    const res = await post(app, chat('Hi', { max_tokens: 10 }));
    expect(res.headers['ratelimit-policy']).toContain('"tokens"; q=50; w=30;');
    expect((await post(app, chat('Hi', { max_tokens: 100 }))).body.error.code).toBe('token_budget_exceeded');
  });

  it('releases a concurrency slot on finish, on error and on client disconnect, exactly once', async () => {
    let release = () => {};
    let gate = new Promise<void>((r) => (release = r));
    const mock = createMockLLM({ delayMs: 100, chunkSize: 2 });
    const held = {
      chat: {
        completions: {
          create: async (body: any, options?: any) => {
            await gate;
            return mock.chat.completions.create(body, options);
          },
        },
      },
    };
    const app = limitedApp(rateLimitByKey({ limit: 1000, concurrency: 1 }), held);
    const pending = post(app).then((r) => r); // supertest sends on then()
    await vi.waitFor(async () => {
      const busy = await post(app);
      expect(busy.status).toBe(429);
      expect(busy.body.error).toEqual({
        message: 'Too many requests in flight for this key. Retry when one finishes.',
        type: 'rate_limit_error',
        code: 'concurrency_limit_exceeded',
        param: null,
      });
    });
    release();
    expect((await pending).status).toBe(200);
    expect((await post(app)).status).toBe(200); // finish released it

    mock.fail({ status: 400 });
    expect((await post(app)).status).toBe(502);
    expect((await post(app)).status).toBe(200); // the error released it

    const server = await listen(app);
    try {
      const req = http.request(`${server.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${CLIENT_KEY}`, 'content-type': 'application/json' },
      });
      req.on('error', () => undefined);
      req.end(JSON.stringify(chat('a long enough message to stream slowly', { stream: true })));
      const res = await new Promise<http.IncomingMessage>((resolve) => req.on('response', resolve));
      await new Promise((resolve) => res.once('data', resolve));
      expect((await post(app)).status).toBe(429);
      req.destroy();
      await vi.waitFor(async () => expect((await post(app)).status).toBe(200));
      // Released once: two at a time is still refused.
      gate = new Promise<void>((r) => (release = r));
      const one = post(app).then((r) => r);
      await vi.waitFor(async () => expect((await post(app)).status).toBe(429));
      release();
      expect((await one).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
