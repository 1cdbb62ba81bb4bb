// apiKeyAuth against key guessing: wrong keys from one address end in 429 (in memory and
// shared through Redis), a good key keeps working from other addresses, and a verify
// function that never answers gives a clear 503 instead of a hung request.

import { randomBytes } from 'node:crypto';
import express from 'express';
import OpenAI from 'openai';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyAuth, errorHandler, llmShield, createMockLLM, type ApiKeyAuthOptions } from '../../lib/index.js';
import { CLIENT_KEY, listen } from '../helpers/app.js';
import {
  chat,
  flushPrefix,
  ioRedis,
  keys,
  keysUnder,
  nodeRedis,
  uniquePrefix,
  type NodeRedis,
} from '../helpers/redis.js';

let redis: NodeRedis;
const prefixes: string[] = [];
const newPrefix = () => {
  const p = uniquePrefix('auth');
  prefixes.push(p);
  return p;
};
beforeAll(async () => {
  redis = await nodeRedis();
});
afterAll(async () => {
  for (const p of prefixes) await flushPrefix(redis, p);
  redis.destroy();
});

/** apiKeyAuth in front of a handler, with the client address taken from X-Forwarded-For. */
function authApp(options: Omit<ApiKeyAuthOptions, 'keys'> & { keys?: ApiKeyAuthOptions['keys'] } = {}) {
  const app = express();
  app.set('trust proxy', true);
  const auth = apiKeyAuth({ keys, ...options });
  app.get('/who', auth, (_req, res) => res.json({ ok: true }));
  app.get('/v1/models', auth, (_req, res) => res.json({ object: 'list', data: [] }));
  app.use(errorHandler());
  return app;
}

const attempt = (app: express.Express, key: string, from = '203.0.113.7') =>
  request(app).get('/who').set('X-Forwarded-For', from).set('Authorization', `Bearer ${key}`);

const wrongKey = (i: number) => `wrong-key-${i}-${'x'.repeat(20)}`;

for (const store of ['memory', 'redis'] as const) {
  describe(`failed key attempts (${store})`, () => {
    const options = () => (store === 'redis' ? { redis, prefix: newPrefix() } : {});

    it('100 wrong keys from one address end in 429s (default: 20 per minute); other addresses are not affected', async () => {
      const app = authApp(options());
      const statuses: number[] = [];
      for (let i = 0; i < 100; i++) statuses.push((await attempt(app, wrongKey(i))).status);
      expect(statuses.slice(0, 20)).toEqual(Array(20).fill(401));
      expect(statuses.slice(20)).toEqual(Array(80).fill(429));

      const refused = await attempt(app, CLIENT_KEY);
      expect(refused.status).toBe(429); // even a good key, from this address, until the window ends
      expect(refused.body.error.code).toBe('rate_limit_exceeded');
      expect(refused.headers['x-should-retry']).toBe('false');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(50);
      expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);

      expect((await attempt(app, CLIENT_KEY, '198.51.100.9')).status).toBe(200);
      expect((await attempt(app, wrongKey(0), '198.51.100.9')).status).toBe(401);
      // An IPv6 client is grouped by its /56, as rateLimitByKey groups it.
      expect((await attempt(app, CLIENT_KEY, '2001:db8:0:1::5')).status).toBe(200);
    });

    it('takes its own limit, and `false` turns it off', async () => {
      const small = authApp({ ...options(), failedAttempts: { limit: 3, windowMs: 1_000 } });
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await attempt(small, wrongKey(i))).status);
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
      const short = await attempt(small, CLIENT_KEY);
      expect(short.headers['x-should-retry']).toBeUndefined(); // a wait under 2 s: the SDK may retry
      expect(Number(short.headers['retry-after-ms'])).toBeLessThanOrEqual(1_000);

      const off = authApp({ ...options(), failedAttempts: false });
      for (let i = 0; i < 30; i++) expect((await attempt(off, wrongKey(i))).status).toBe(401);
    });
  });
}

describe('failed key attempts shared through Redis', () => {
  it('two instances (node-redis and ioredis) count one address together, hashed', async () => {
    const prefix = newPrefix();
    const other = await ioRedis();
    try {
      const a = authApp({ redis, prefix, failedAttempts: { limit: 10 } });
      const b = authApp({ redis: other, prefix, failedAttempts: { limit: 10 } });
      const statuses: number[] = [];
      for (let i = 0; i < 14; i++) statuses.push((await attempt(i % 2 ? a : b, wrongKey(i))).status);
      expect(statuses).toEqual([...Array(10).fill(401), ...Array(4).fill(429)]);
      const stored = await keysUnder(redis, `${prefix}*`);
      expect(stored).toHaveLength(1);
      expect(stored[0]).toMatch(/auth:\{[0-9a-f]{32}\}$/);
      expect(stored[0]).not.toContain('203.0.113.7');
    } finally {
      other.disconnect();
    }
  });

  it('the preset counts failed attempts in its `redis`', async () => {
    // The preset has no prefix option for this: its keys are under the default prefix.
    const before = new Set(await keysUnder(redis, 'llm-shield:auth:*'));
    const app = express();
    app.set('trust proxy', true);
    app.use('/v1', llmShield({ client: createMockLLM(), model: 'mock-model', keys, redis, audit: false }));
    const from = `2001:db8:${randomBytes(2).toString('hex')}::1`;
    const r = await request(app)
      .post('/v1/chat/completions')
      .set('X-Forwarded-For', from)
      .set('x-api-key', wrongKey(1))
      .send(chat());
    expect(r.status).toBe(401);
    const fresh = (await keysUnder(redis, 'llm-shield:auth:*')).filter((k) => !before.has(k));
    for (const k of fresh) await redis.sendCommand(['DEL', k]);
    expect(fresh).toHaveLength(1);
  });
});

describe('verify functions', () => {
  it('that never answer give 503 service_unavailable after verifyTimeoutMs, not a hang', async () => {
    const app = authApp({ keys: () => new Promise(() => undefined), verifyTimeoutMs: 150 });
    const started = performance.now();
    const r = await attempt(app, CLIENT_KEY);
    const ms = performance.now() - started;
    expect(r.status).toBe(503);
    expect(r.body.error).toEqual({
      message: 'The key store did not answer in time.',
      type: 'server_error',
      code: 'service_unavailable',
      param: null,
    });
    expect(ms).toBeGreaterThanOrEqual(140);
    expect(ms).toBeLessThan(1_500);
  });

  it('that say "unknown" count as failed attempts', async () => {
    const app = authApp({ keys: async () => null, failedAttempts: { limit: 2 } });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await attempt(app, wrongKey(i))).status);
    expect(statuses).toEqual([401, 401, 429, 429]);
  });

  it('the official SDK gets AuthenticationError, then RateLimitError at once', async () => {
    const app = authApp({ failedAttempts: { limit: 1 } });
    const server = await listen(app);
    try {
      const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: wrongKey(0) });
      await expect(client.models.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
      const started = performance.now();
      await expect(client.models.list()).rejects.toBeInstanceOf(OpenAI.RateLimitError);
      expect(performance.now() - started).toBeLessThan(1_500);
    } finally {
      await server.close();
    }
  });
});
