// rateLimitByKey as the official `openai` SDK meets it, at its default settings
// (maxRetries 2): refusals it should not sleep through, OpenAI's x-ratelimit headers,
// who a request counts against, and token budgets that one request cannot overspend.
// Every case runs against the memory store and against Redis.

import express, { type RequestHandler } from 'express';
import OpenAI from 'openai';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyAuth, callLLM, errorHandler, rateLimitByKey, type RateLimitByKeyOptions } from '../../lib/index.js';
import { requestTokenParts } from '../../lib/limits/estimate.js';
import { openAIDuration, retryHeaders } from '../../lib/limits/headers.js';
import { CLIENT_KEY, listen } from '../helpers/app.js';
import { chat, flushPrefix, keys, keysUnder, nodeRedis, uniquePrefix, type NodeRedis } from '../helpers/redis.js';
import { startUpstream, type Upstream } from '../helpers/upstream.js';

describe('openAIDuration (Go duration strings, as OpenAI sends them)', () => {
  const cases: Array<[number, string]> = [
    [0, '0s'],
    [-5, '0s'],
    [20, '20ms'],
    [0.2, '1ms'],
    [999, '999ms'],
    [1000, '1s'],
    [1500, '1.5s'],
    [8640, '8.64s'],
    [59_999, '59.999s'],
    [60_000, '1m0s'],
    [360_000, '6m0s'],
    [361_500, '6m1.5s'],
    [3_600_000, '1h0m0s'],
    [86_400_000, '24h0m0s'],
  ];
  for (const [ms, text] of cases) it(`${ms} ms is ${text}`, () => expect(openAIDuration(ms)).toBe(text));
});

describe('retryHeaders', () => {
  it('invites a retry within the bound, and says not to beyond it', () => {
    expect(retryHeaders(800, 2000)).toEqual({ 'Retry-After': '1', 'retry-after-ms': '800' });
    expect(retryHeaders(2000, 2000)).toEqual({ 'Retry-After': '2', 'retry-after-ms': '2000' });
    expect(retryHeaders(2001, 2000)).toEqual({
      'Retry-After': '3',
      'retry-after-ms': '2001',
      'x-should-retry': 'false',
    });
    expect(retryHeaders(0, 2000)).toEqual({ 'Retry-After': '1', 'retry-after-ms': '1' });
  });
});

let redis: NodeRedis;
const prefixes: string[] = [];
beforeAll(async () => {
  redis = await nodeRedis();
});
afterAll(async () => {
  for (const p of prefixes) await flushPrefix(redis, p);
  redis.destroy();
});

/** A chat.completion without usage: a reservation it answers keeps its whole size. */
function completion(text: string) {
  return {
    id: 'chatcmpl-own',
    object: 'chat.completion',
    created: 1_700_000_000,
    model: 'own-model',
    choices: [{ index: 0, message: { role: 'assistant', content: text, refusal: null }, finish_reason: 'stop' }],
  };
}

/**
 * The app's own handler behind apiKeyAuth (optional) and the limiter: it answers with the
 * completion limit it was handed, so a test sees what would go upstream.
 */
function ownApp(limiter: RequestHandler, auth = true) {
  const app = express();
  const chain: RequestHandler[] = [express.json()];
  if (auth) chain.push(apiKeyAuth({ keys }));
  chain.push(limiter, (req, res) => {
    res.json(completion(JSON.stringify({ max_tokens: req.body.max_tokens, mct: req.body.max_completion_tokens })));
  });
  app.post('/v1/chat/completions', ...chain);
  app.use(errorHandler());
  return app;
}

/** A client exactly as users build it: only the base URL and key are ours. */
const defaultSdk = (url: string, apiKey = CLIENT_KEY) => new OpenAI({ baseURL: `${url}/v1`, apiKey });

async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; error: unknown }> {
  const started = performance.now();
  try {
    await run();
    return { ms: performance.now() - started, error: undefined };
  } catch (error) {
    return { ms: performance.now() - started, error };
  }
}

const stores = ['memory', 'redis'] as const;

for (const store of stores) {
  /** The limiter with this store (a fresh Redis prefix each time). */
  const limiter = (options: RateLimitByKeyOptions) => {
    if (store === 'memory') return rateLimitByKey(options);
    const prefix = uniquePrefix('sdk');
    prefixes.push(prefix);
    return rateLimitByKey({ ...options, redis, prefix });
  };

  describe(`rateLimitByKey and the official SDK (${store})`, () => {
    it('a key over its request limit gets RateLimitError at once, not after sleeping through Retry-After', async () => {
      const server = await listen(ownApp(limiter({ limit: 2, windowMs: 60_000 })));
      try {
        const client = defaultSdk(server.url);
        const ask = () => client.chat.completions.create({ model: 'own-model', messages: chat().messages as never });
        await ask();
        await ask();
        const { ms, error } = await timed(ask);
        expect(error).toBeInstanceOf(OpenAI.RateLimitError);
        const e = error as InstanceType<typeof OpenAI.RateLimitError>;
        expect(e.code).toBe('rate_limit_exceeded');
        expect(e.headers.get('x-should-retry')).toBe('false');
        expect(Number(e.headers.get('retry-after'))).toBeGreaterThan(2);
        expect(ms).toBeLessThan(1500);
      } finally {
        await server.close();
      }
    });

    it('a key over its token budget gets RateLimitError at once', async () => {
      const server = await listen(ownApp(limiter({ tokens: { limit: 200, windowMs: 3_600_000 } })));
      try {
        const client = defaultSdk(server.url);
        const messages = chat().messages as never;
        await client.chat.completions.create({ model: 'own-model', messages, max_tokens: 150 });
        const { ms, error } = await timed(() =>
          client.chat.completions.create({ model: 'own-model', messages, max_tokens: 150 }),
        );
        expect(error).toBeInstanceOf(OpenAI.RateLimitError);
        const e = error as InstanceType<typeof OpenAI.RateLimitError>;
        expect(e.code).toBe('token_budget_exceeded');
        expect(e.headers.get('x-should-retry')).toBe('false');
        expect(ms).toBeLessThan(1500);
      } finally {
        await server.close();
      }
    });

    it('a short wait is retried by the SDK (Retry-After and retry-after-ms, no x-should-retry)', async () => {
      const app = ownApp(limiter({ limit: 1, windowMs: 1000 }));
      const first = await request(app)
        .post('/v1/chat/completions')
        .set('Authorization', `Bearer ${CLIENT_KEY}`)
        .send(chat());
      expect(first.status).toBe(200);
      const refused = await request(app)
        .post('/v1/chat/completions')
        .set('Authorization', `Bearer ${CLIENT_KEY}`)
        .send(chat());
      expect(refused.status).toBe(429);
      expect(refused.headers['retry-after']).toBe('1');
      expect(Number(refused.headers['retry-after-ms'])).toBeLessThanOrEqual(1000);
      expect(refused.headers['x-should-retry']).toBeUndefined();
      const server = await listen(app);
      try {
        // Still refused now; the SDK waits retry-after-ms and its retry lands in a fresh window.
        const { ms, error } = await timed(() =>
          defaultSdk(server.url).chat.completions.create({ model: 'own-model', messages: chat().messages as never }),
        );
        expect(error).toBeUndefined();
        expect(ms).toBeLessThan(3000);
      } finally {
        await server.close();
      }
    });

    it('sends OpenAI x-ratelimit-* headers beside the IETF ones, on success and on 429', async () => {
      const app = ownApp(limiter({ limit: 3, windowMs: 360_000, tokens: { limit: 4_000, windowMs: 60_000 } }));
      const post = (max: number) =>
        request(app)
          .post('/v1/chat/completions')
          .set('Authorization', `Bearer ${CLIENT_KEY}`)
          .send(chat('Hello', { max_tokens: max }));
      const reserved = requestTokenParts(chat('Hello', { max_tokens: 100 }), 4096).prompt + 100;
      const ok = await post(100);
      expect(ok.status).toBe(200);
      expect(ok.headers['x-ratelimit-limit-requests']).toBe('3');
      expect(ok.headers['x-ratelimit-remaining-requests']).toBe('2');
      expect(ok.headers['x-ratelimit-reset-requests']).toMatch(/^[56]m[\d.]+s$/);
      expect(ok.headers['x-ratelimit-limit-tokens']).toBe('4000');
      expect(ok.headers['x-ratelimit-remaining-tokens']).toBe(String(4_000 - reserved));
      expect(ok.headers['x-ratelimit-reset-tokens']).toMatch(/^(59\.\d+s|1m0s|[1-5]\d(\.\d+)?s)$/);
      expect(ok.headers.ratelimit).toContain(`"tokens"; r=${4_000 - reserved}`);

      // Over the tokens: the requests set says this request was counted, the tokens set what is left.
      const overTokens = await post(3_990);
      expect(overTokens.status).toBe(200); // lowered to what is left, not refused
      expect(overTokens.headers['x-ratelimit-remaining-tokens']).toBe('0');
      const refused = await post(100);
      expect(refused.status).toBe(429);
      expect(refused.body.error.code).toBe('token_budget_exceeded');
      expect(refused.headers['x-ratelimit-remaining-requests']).toBe('0');
      expect(refused.headers['x-ratelimit-remaining-tokens']).toBe('0');
      expect(refused.headers['x-ratelimit-limit-tokens']).toBe('4000');
      const overRequests = await post(1);
      expect(overRequests.status).toBe(429);
      expect(overRequests.body.error.code).toBe('rate_limit_exceeded');
      expect(overRequests.headers['x-ratelimit-limit-requests']).toBe('3');
      expect(overRequests.headers['x-ratelimit-remaining-requests']).toBe('0');
      expect(overRequests.headers['x-ratelimit-reset-requests']).toMatch(/^[56]m[\d.]+s$/);
      expect(overRequests.headers['x-should-retry']).toBe('false');
    });

    it('10 made-up keys from one address share one bucket', async () => {
      const app = ownApp(limiter({ limit: 5, windowMs: 60_000 }), false);
      const statuses: number[] = [];
      for (let i = 0; i < 10; i++)
        statuses.push(
          (
            await request(app)
              .post('/v1/chat/completions')
              .set('Authorization', `Bearer made-up-key-${i}-${Math.random()}`)
              .send(chat())
          ).status,
        );
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429, 429, 429]);
    });

    it('a 4,000-token request against 1,500 tokens left is lowered to fit; one whose prompt alone is over is refused', async () => {
      const upstream: Upstream = await startUpstream();
      const limit = limiter({ tokens: { limit: 5_000, windowMs: 60_000 } });
      const app = express();
      // The same limiter on an own handler (keeps its whole reservation) and on callLLM.
      app.post('/spend', express.json(), apiKeyAuth({ keys }), limit, (_req, res) => res.json(completion('ok')));
      const client = new OpenAI({ baseURL: upstream.baseURL, apiKey: 'sk-test', maxRetries: 0 });
      app.post(
        '/v1/chat/completions',
        express.json(),
        apiKeyAuth({ keys }),
        limit,
        callLLM({ client, model: 'up-model' }),
      );
      app.use(errorHandler());
      try {
        const small = chat('Hello');
        const prompt = requestTokenParts(small, 4096).prompt;
        const spend = await request(app)
          .post('/spend')
          .set('Authorization', `Bearer ${CLIENT_KEY}`)
          .send({ ...small, max_tokens: 3_500 - prompt });
        expect(spend.headers['x-ratelimit-remaining-tokens']).toBe('1500');

        const big = await request(app)
          .post('/v1/chat/completions')
          .set('Authorization', `Bearer ${CLIENT_KEY}`)
          .send({ ...small, max_tokens: 4_000 });
        expect(big.status).toBe(200);
        expect(upstream.requests.at(-1)!.body.max_tokens).toBe(1_500 - prompt);
        // The reservation was 1500 and settled to the provider's usage (18).
        const after = await request(app)
          .post('/spend')
          .set('Authorization', `Bearer ${CLIENT_KEY}`)
          .send({ ...small, max_tokens: 1 });
        expect(after.headers['x-ratelimit-remaining-tokens']).toBe(String(1_500 - 18 - prompt - 1));

        const long = 'lorem ipsum dolor sit amet '.repeat(1_000);
        expect(requestTokenParts(chat(long), 4096).prompt).toBeGreaterThan(1_500);
        const refused = await request(app)
          .post('/v1/chat/completions')
          .set('Authorization', `Bearer ${CLIENT_KEY}`)
          .send(chat(long, { max_tokens: 10 }));
        expect(refused.status).toBe(429);
        expect(refused.body.error.code).toBe('token_budget_exceeded');
        expect(upstream.requests).toHaveLength(1);
      } finally {
        await upstream.close();
      }
    });

    it('refuses when fewer than minCompletionTokens would be left, and a small ask still fits', async () => {
      const app = ownApp(limiter({ tokens: { limit: 300, windowMs: 60_000 }, minCompletionTokens: 100 }));
      const post = (body: object) =>
        request(app).post('/v1/chat/completions').set('Authorization', `Bearer ${CLIENT_KEY}`).send(body);
      const prompt = requestTokenParts(chat(), 4096).prompt;
      expect((await post(chat('Hello there', { max_tokens: 200 - prompt }))).status).toBe(200); // 100 left
      expect((await post(chat('Hello there'))).status).toBe(429); // 100 - prompt < 100
      const small = await post(chat('Hello there', { max_completion_tokens: 20 }));
      expect(small.status).toBe(200);
      expect(JSON.parse(small.body.choices[0].message.content)).toEqual({ mct: 20 });
    });
  });
}

describe('rateLimitByKey identities in Redis', () => {
  it('stores one request count for made-up keys from one address', async () => {
    const prefix = uniquePrefix('ident');
    prefixes.push(prefix);
    const app = ownApp(rateLimitByKey({ limit: 50, redis, prefix }), false);
    for (let i = 0; i < 10; i++)
      await request(app).post('/v1/chat/completions').set('x-api-key', `invented-${i}`).send(chat());
    expect(await keysUnder(redis, `${prefix}req:*`)).toHaveLength(1);
  });
});
