import http from 'node:http';
import type { Redis as IORedis } from 'ioredis';
import OpenAI from 'openai';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createMockLLM, rateLimitByKey } from '../../lib/index.js';
import { CLIENT_KEY, OTHER_KEY, listen } from '../helpers/app.js';
import { startUpstream, type Upstream } from '../helpers/upstream.js';
import {
  chat,
  flushPrefix,
  ioRedis,
  keysUnder,
  limitedApp,
  nodeRedis,
  uniquePrefix,
  type NodeRedis,
} from '../helpers/redis.js';

const post = (app: Parameters<typeof request>[0], body: object = chat(), key = CLIENT_KEY) =>
  request(app).post('/v1/chat/completions').set('Authorization', `Bearer ${key}`).send(body);

let admin: NodeRedis;
const prefixes: string[] = [];
const prefix = (name: string) => {
  const p = uniquePrefix(name);
  prefixes.push(p);
  return p;
};
const opened: Array<NodeRedis | IORedis> = [];
async function open<T extends NodeRedis | IORedis>(make: () => Promise<T>): Promise<T> {
  const c = await make();
  opened.push(c);
  return c;
}

beforeAll(async () => {
  admin = await nodeRedis();
});
afterAll(async () => {
  for (const p of prefixes) await flushPrefix(admin, p);
  for (const c of opened) c.disconnect();
  admin.destroy();
});

/** The used-token count stored for the one budget under `p`. */
async function usedTokens(p: string): Promise<number> {
  const [key] = await keysUnder(admin, `${p}tok:*`);
  if (key === undefined) return 0;
  return Number(await admin.sendCommand(['HGET', key, 'used']));
}

describe('request limits shared through Redis', () => {
  for (const kind of ['node-redis', 'ioredis', 'mixed'] as const) {
    it(`two app instances (${kind}) let exactly \`limit\` requests through, alternating`, async () => {
      const p = prefix(`two-${kind}`);
      const a = kind === 'ioredis' ? await open(ioRedis) : await open(nodeRedis);
      const b = kind === 'node-redis' ? await open(nodeRedis) : await open(ioRedis);
      const app1 = limitedApp(rateLimitByKey({ limit: 5, windowMs: 60_000, redis: a, prefix: p }));
      const app2 = limitedApp(rateLimitByKey({ limit: 5, windowMs: 60_000, redis: b, prefix: p }));
      const statuses: number[] = [];
      for (let i = 0; i < 10; i++) statuses.push((await post(i % 2 === 0 ? app1 : app2)).status);
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429, 429, 429]);
      // Another key has its own count.
      expect((await post(app2, chat(), OTHER_KEY)).status).toBe(200);
    });
  }

  it('a concurrent burst over two instances lets exactly `limit` through', async () => {
    const p = prefix('burst');
    const app1 = limitedApp(rateLimitByKey({ limit: 7, redis: await open(nodeRedis), prefix: p }));
    const app2 = limitedApp(rateLimitByKey({ limit: 7, redis: await open(ioRedis), prefix: p }));
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => post(i % 2 ? app1 : app2)));
    const ok = results.filter((r) => r.status === 200).length;
    expect(ok).toBe(7);
    const refused = results.filter((r) => r.status === 429);
    expect(refused).toHaveLength(13);
    for (const r of refused) {
      expect(r.body.error.code).toBe('rate_limit_exceeded');
      expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
    }
    expect(results[0]!.headers['ratelimit-policy']).toMatch(/"requests"; q=7; w=60/);
  });

  it('concurrency caps are shared: a burst over two instances has at most `concurrency` in flight', async () => {
    const p = prefix('conc-burst');
    // An upstream that holds every call until the gate opens: in-flight is then exact, whatever the machine speed.
    let open_ = () => {};
    const gate = new Promise<void>((resolve) => (open_ = resolve));
    const mock = createMockLLM();
    let calls = 0;
    const held = {
      chat: {
        completions: {
          create: async (body: any, options?: any) => {
            calls++;
            await gate;
            return mock.chat.completions.create(body, options);
          },
        },
      },
    };
    const app1 = limitedApp(
      rateLimitByKey({ limit: 100, concurrency: 2, redis: await open(nodeRedis), prefix: p }),
      held,
    );
    const app2 = limitedApp(
      rateLimitByKey({ limit: 100, concurrency: 2, redis: await open(ioRedis), prefix: p }),
      held,
    );
    const settled: number[] = [];
    const pending = Array.from({ length: 6 }, (_, i) =>
      post(i % 2 ? app1 : app2).then((r) => {
        settled.push(r.status);
        return r;
      }),
    );
    await vi.waitFor(() => expect(settled.length).toBe(4));
    expect(settled).toEqual([429, 429, 429, 429]);
    expect(calls).toBe(2);
    open_();
    const results = await Promise.all(pending);
    expect(results.filter((r) => r.status === 200)).toHaveLength(2);
    for (const r of results.filter((x) => x.status !== 200))
      expect(r.body.error.code).toBe('concurrency_limit_exceeded');
    // Every slot came back: the sorted set is empty (or gone).
    await vi.waitFor(async () => {
      const [key] = await keysUnder(admin, `${p}conc:*`);
      expect(key === undefined ? 0 : Number(await admin.sendCommand(['ZCARD', key]))).toBe(0);
    });
    expect((await post(app1)).status).toBe(200);
  });
});

describe('token budgets in Redis', () => {
  let upstream: Upstream;
  beforeAll(async () => {
    upstream = await startUpstream('The loopback upstream answers with a few words.');
  });
  afterAll(() => upstream.close());

  it('reserve then settle to the provider usage, for JSON and for a stream (real OpenAI client upstream)', async () => {
    const p = prefix('settle');
    const client = new OpenAI({ apiKey: 'sk-test', baseURL: upstream.baseURL, maxRetries: 0 });
    const mw = rateLimitByKey({
      tokens: { limit: 100_000, windowMs: 60_000 },
      redis: await open(nodeRedis),
      prefix: p,
    });
    const app = limitedApp(mw, client);

    const json = await post(app, chat('Hello', { max_tokens: 50 }));
    expect(json.status).toBe(200);
    expect(json.body.usage.total_tokens).toBe(18);
    expect(json.headers['ratelimit-policy']).toMatch(/"tokens"; q=100000; w=60; pk=:[^:]+:/);
    expect(json.headers.ratelimit).toMatch(/"tokens"; r=\d+; t=\d+/);
    await vi.waitFor(async () => expect(await usedTokens(p)).toBe(18));

    const server = await listen(app);
    try {
      const sdk = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: CLIENT_KEY, maxRetries: 0 });
      const stream = await sdk.chat.completions.create({
        model: 'mock-model',
        messages: [{ role: 'user', content: 'Stream it' }],
        stream: true,
      });
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
      expect(text).toContain('loopback');
      // The usage chunk was requested by callLLM, not by the client: it settles all the same.
      await vi.waitFor(async () => expect(await usedTokens(p)).toBe(36));
    } finally {
      await server.close();
    }
  });

  it('a failed call that used nothing refunds the whole reservation', async () => {
    const p = prefix('refund');
    upstream.script.push({ status: 400 });
    const client = new OpenAI({ apiKey: 'sk-test', baseURL: upstream.baseURL, maxRetries: 0 });
    const app = limitedApp(
      rateLimitByKey({ tokens: { limit: 10_000 }, redis: await open(ioRedis), prefix: p }),
      client,
    );
    const res = await post(app, chat('Hello', { max_tokens: 500 }));
    expect(res.status).toBe(502);
    // The reservation (over 500) was taken before the call...
    expect(res.headers.ratelimit).toMatch(/"tokens"; r=9[0-4]\d\d;/);
    // ...and given back after it.
    await vi.waitFor(async () => expect(await usedTokens(p)).toBe(0));
  });

  it('refuses with 429 token_budget_exceeded and Retry-After once usage spent the budget, across instances', async () => {
    const p = prefix('budget');
    const long = createMockLLM({ reply: 'word '.repeat(600) });
    const app1 = limitedApp(
      rateLimitByKey({
        tokens: { limit: 1000, windowMs: 60_000 },
        minCompletionTokens: 400,
        redis: await open(nodeRedis),
        prefix: p,
      }),
      long,
    );
    const app2 = limitedApp(
      rateLimitByKey({
        tokens: { limit: 1000, windowMs: 60_000 },
        minCompletionTokens: 400,
        redis: await open(ioRedis),
        prefix: p,
      }),
      long,
    );
    const first = await post(app1, chat('Talk a lot', { max_tokens: 300 }));
    expect(first.status).toBe(200);
    const spent = first.body.usage.total_tokens as number;
    expect(spent).toBeGreaterThan(600);
    await vi.waitFor(async () => expect(await usedTokens(p)).toBe(spent));
    const second = await post(app2, chat('More', { max_tokens: 400 }));
    expect(second.status).toBe(429);
    expect(second.body.error.code).toBe('token_budget_exceeded');
    expect(second.body.error.type).toBe('rate_limit_error');
    expect(Number(second.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(second.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(second.headers.ratelimit).toContain(`"tokens"; r=${1000 - spent};`);
    // A smaller request still fits in what is left.
    expect((await post(app2, chat('Hi', { max_tokens: 5 }))).status).toBe(200);
  });

  it("a key's own `tokens` from apiKeyAuth (tier) overrides the default budget", async () => {
    const { apiKeyAuth } = await import('../../lib/index.js');
    const p = prefix('tier');
    const auth = apiKeyAuth({
      keys: [
        { id: 'small', key: CLIENT_KEY, tokens: { limit: 40 } },
        { id: 'big', key: OTHER_KEY },
      ],
    });
    const app = limitedApp(
      rateLimitByKey({ tokens: { limit: 100_000 }, redis: await open(nodeRedis), prefix: p }),
      createMockLLM(),
      auth,
    );
    const small = await post(app, chat('Hi', { max_tokens: 20 }), CLIENT_KEY);
    expect(small.status).toBe(200);
    expect(small.headers['ratelimit-policy']).toContain('"tokens"; q=40;');
    const big = await post(app, chat('Hi', { max_tokens: 100 }), OTHER_KEY);
    expect(big.headers['ratelimit-policy']).toContain('"tokens"; q=100000;');
  });
});

describe('concurrency slots in Redis', () => {
  it('a slot comes back when a streaming client disconnects mid-stream', async () => {
    const p = prefix('disconnect');
    const client = createMockLLM({ delayMs: 200, chunkSize: 2, reply: 'a slow and steady stream of words' });
    const app = limitedApp(
      rateLimitByKey({ limit: 100, concurrency: 1, redis: await open(ioRedis), prefix: p }),
      client,
    );
    const server = await listen(app);
    try {
      const req = http.request(`${server.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${CLIENT_KEY}`, 'content-type': 'application/json' },
      });
      req.end(JSON.stringify(chat('stream', { stream: true })));
      const res = await new Promise<http.IncomingMessage>((resolve) => req.on('response', resolve));
      expect(res.statusCode).toBe(200);
      await new Promise((resolve) => res.once('data', resolve)); // mid-stream
      const busy = await post(app);
      expect(busy.status).toBe(429);
      expect(busy.body.error.code).toBe('concurrency_limit_exceeded');
      req.destroy();
      await vi.waitFor(async () => {
        const [key] = await keysUnder(admin, `${p}conc:*`);
        expect(key === undefined ? 0 : Number(await admin.sendCommand(['ZCARD', key]))).toBe(0);
      });
      expect((await post(app)).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('a slot comes back after an upstream error', async () => {
    const p = prefix('conc-error');
    const client = createMockLLM({ failures: [{ status: 400 }] });
    const app = limitedApp(rateLimitByKey({ concurrency: 1, redis: await open(nodeRedis), prefix: p }), client);
    expect((await post(app)).status).toBe(502);
    await vi.waitFor(async () => expect((await post(app)).status).toBe(200));
  });

  it('a lease left by a crashed server expires by itself', async () => {
    const p = prefix('crash');
    const redis = await open(nodeRedis);
    // A slot held by a "crashed" process: its lease (score) already in the past.
    const { createHash } = await import('node:crypto');
    const id = createHash('sha256').update('id:team-a').digest('hex').slice(0, 32);
    await admin.sendCommand(['ZADD', `${p}conc:{${id}}`, '1', 'dead-lease']);
    const app = limitedApp(rateLimitByKey({ concurrency: 1, redis, prefix: p }));
    expect((await post(app)).status).toBe(200);
  });
});

describe('no raw key in Redis', () => {
  it('stores only hashed identities, for principals, presented keys and IPs', async () => {
    const p = prefix('raw');
    const redis = await open(nodeRedis);
    const express = (await import('express')).default;
    const { callLLM, errorHandler } = await import('../../lib/index.js');
    const mw = rateLimitByKey({ tokens: { limit: 50_000 }, concurrency: 3, redis, prefix: p });
    // Without apiKeyAuth: presented keys are no identity, the client IP is (hashed).
    const bare = express();
    bare.post('/v1/chat/completions', express.json(), mw, callLLM({ client: createMockLLM(), model: 'mock-model' }));
    bare.use(errorHandler());
    expect((await post(bare, chat(), CLIENT_KEY)).status).toBe(200);
    expect((await request(bare).post('/v1/chat/completions').set('x-api-key', OTHER_KEY).send(chat())).status).toBe(
      200,
    );
    expect((await request(bare).post('/v1/chat/completions').send(chat())).status).toBe(200);
    const app = limitedApp(rateLimitByKey({ tokens: { limit: 50_000 }, concurrency: 3, redis, prefix: p }));
    expect((await post(app)).status).toBe(200);

    const ours = await keysUnder(admin, `${p}*`);
    expect(ours.length).toBeGreaterThanOrEqual(4);
    const everything = await keysUnder(admin, '*');
    const secrets = [CLIENT_KEY, OTHER_KEY, 'team-a', '127.0.0.1', '::ffff'];
    for (const key of everything) for (const s of secrets) expect(key).not.toContain(s);
    for (const key of ours) {
      expect(key).toMatch(new RegExp(`^${p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(req|tok|conc):\\{[0-9a-f]{32}\\}$`));
      const type = String(await admin.sendCommand(['TYPE', key]));
      const dump =
        type === 'hash'
          ? await admin.sendCommand(['HGETALL', key])
          : type === 'zset'
            ? await admin.sendCommand(['ZRANGE', key, '0', '-1', 'WITHSCORES'])
            : await admin.sendCommand(['GET', key]);
      for (const s of secrets) expect(JSON.stringify(dump)).not.toContain(s);
    }
  });
});
