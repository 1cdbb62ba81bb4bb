import { createHash } from 'node:crypto';
import express, { type Request } from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import {
  apiKeyAuth,
  callLLM,
  createMockLLM,
  errorHandler,
  getShieldState,
  type ApiKeyAuthOptions,
} from '../../lib/index.js';
import { CLIENT_KEY, OTHER_KEY, memoryLogger, presetApp } from '../helpers/app.js';

const hex = (key: string) => createHash('sha256').update(key).digest('hex');

/** apiKeyAuth in front of a handler that shows the principal. */
function authApp(keys: ApiKeyAuthOptions['keys']) {
  const app = express();
  app.get('/who', apiKeyAuth({ keys }), (_req, res) => {
    const state = getShieldState(res);
    res.json({ keyId: state.keyId, principal: state.principal });
  });
  app.use(errorHandler());
  return app;
}

const UNAUTHORIZED = {
  error: {
    message: 'Missing or invalid API key. Send it as `Authorization: Bearer <key>` or `x-api-key`.',
    type: 'authentication_error',
    code: 'invalid_api_key',
    param: null,
  },
};

describe('apiKeyAuth with a static key list', () => {
  const app = authApp([
    { id: 'team-a', key: CLIENT_KEY, models: ['mock-model'], limit: 5, tokens: { limit: 1000, windowMs: 60_000 } },
    { id: 'team-b', sha256: hex(OTHER_KEY).toUpperCase() },
  ]);

  it('accepts { id, key } as a Bearer token or x-api-key, and puts the principal in state', async () => {
    for (const req of [
      request(app).get('/who').set('Authorization', `Bearer ${CLIENT_KEY}`),
      request(app).get('/who').set('Authorization', `bearer   ${CLIENT_KEY} `),
      request(app).get('/who').set('x-api-key', CLIENT_KEY),
    ]) {
      const res = await req;
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        keyId: 'team-a',
        principal: { id: 'team-a', models: ['mock-model'], limit: 5, tokens: { limit: 1000, windowMs: 60_000 } },
      });
    }
  });

  it('accepts { id, sha256 } (hex digest of the key, any case)', async () => {
    const res = await request(app).get('/who').set('Authorization', `Bearer ${OTHER_KEY}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ keyId: 'team-b', principal: { id: 'team-b' } });
  });

  for (const [name, headers] of [
    ['no key', {}],
    ['a wrong key', { authorization: 'Bearer wrong-key-wrong-key-wrong' }],
    ['the digest instead of the key', { authorization: `Bearer ${hex(OTHER_KEY)}` }],
    ['a key prefix', { authorization: `Bearer ${CLIENT_KEY.slice(0, -1)}` }],
    ['an empty bearer', { authorization: 'Bearer ' }],
    ['another scheme', { authorization: `Basic ${CLIENT_KEY}` }],
    ['an over-long key', { authorization: `Bearer ${'k'.repeat(5000)}` }],
  ] as const)
    it(`answers ${name} with 401 invalid_api_key in OpenAI's envelope`, async () => {
      const res = await request(app)
        .get('/who')
        .set(headers as Record<string, string>);
      expect(res.status).toBe(401);
      expect(res.body).toEqual(UNAUTHORIZED);
      expect(res.headers['www-authenticate']).toBe('Bearer');
      expect(res.headers['x-request-id']).toBeTruthy();
    });

  it('keeps the configured principals immutable for later requests', async () => {
    const keys = [{ id: 'team-a', key: CLIENT_KEY, models: ['mock-model'] }];
    const mutating = express();
    mutating.get('/who', apiKeyAuth({ keys }), (_req, res) => {
      const p = getShieldState(res).principal as unknown as { models: string[] };
      let threw = false;
      try {
        p.models.push('gpt-4o');
      } catch {
        threw = true;
      }
      res.json({ threw, models: p.models });
    });
    const res = await request(mutating).get('/who').set('x-api-key', CLIENT_KEY);
    expect(res.body).toEqual({ threw: true, models: ['mock-model'] });
    // The caller's own array was copied, never frozen or changed.
    expect(Object.isFrozen(keys[0]!.models)).toBe(false);
  });
});

describe('apiKeyAuth with a verify function', () => {
  it('accepts a sync or an async verifier, which gets the key and the request', async () => {
    const seen: string[] = [];
    const sync = (key: string, req: Request) => {
      seen.push(`${req.method} ${key === CLIENT_KEY}`);
      return key === CLIENT_KEY ? { id: 'sync-user', models: ['mock-model'] } : null;
    };
    const asyncVerify = async (key: string) => (key === OTHER_KEY ? { id: 'async-user', limit: 7 } : undefined);
    expect((await request(authApp(sync)).get('/who').set('x-api-key', CLIENT_KEY)).body).toEqual({
      keyId: 'sync-user',
      principal: { id: 'sync-user', models: ['mock-model'] },
    });
    expect(seen).toEqual(['GET true']);
    expect((await request(authApp(sync)).get('/who').set('x-api-key', OTHER_KEY)).status).toBe(401);
    expect((await request(authApp(asyncVerify)).get('/who').set('x-api-key', OTHER_KEY)).body).toEqual({
      keyId: 'async-user',
      principal: { id: 'async-user', limit: 7 },
    });
    expect((await request(authApp(asyncVerify)).get('/who').set('x-api-key', CLIENT_KEY)).body).toEqual(UNAUTHORIZED);
  });

  it('is not called without a key', async () => {
    let calls = 0;
    const res = await request(
      authApp(() => {
        calls++;
        return { id: 'x' };
      }),
    ).get('/who');
    expect(res.status).toBe(401);
    expect(calls).toBe(0);
  });

  it('fails closed: a verifier that throws or rejects gives 503 service_unavailable', async () => {
    for (const verify of [
      () => {
        throw new Error(`db down for ${CLIENT_KEY}`);
      },
      async () => Promise.reject(new Error('timeout')),
    ]) {
      const res = await request(authApp(verify)).get('/who').set('x-api-key', CLIENT_KEY);
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('service_unavailable');
      expect(JSON.stringify(res.body)).not.toContain(CLIENT_KEY);
    }
  });

  it('refuses an invalid principal with 500 rather than dropping its limits', async () => {
    for (const bad of [
      { id: '' },
      { id: 'a', limit: 0 },
      { id: 'a', tokens: { limit: -1 } },
      { id: 'a', models: [] },
      'a',
    ]) {
      const res = await request(authApp(() => bad as never))
        .get('/who')
        .set('x-api-key', CLIENT_KEY);
      expect(res.status).toBe(500);
      expect(res.body.error).toEqual({
        message: 'The key verifier returned an invalid principal.',
        type: 'server_error',
        code: 'internal_error',
        param: null,
      });
    }
  });

  it('keeps only the principal fields a verifier returns', async () => {
    const res = await request(authApp(() => ({ id: 'u', secret: 'x', limit: 3 }) as never))
      .get('/who')
      .set('x-api-key', CLIENT_KEY);
    expect(res.body.principal).toEqual({ id: 'u', limit: 3 });
  });
});

describe('apiKeyAuth and the per-key models allow-list', () => {
  it('lets callLLM refuse a model outside the key’s list with 400 model_not_allowed', async () => {
    const app = express();
    app.post(
      '/chat',
      express.json(),
      apiKeyAuth({
        keys: [
          { id: 'narrow', key: CLIENT_KEY, models: ['mock-model'] },
          { id: 'wide', key: OTHER_KEY },
        ],
      }),
      callLLM({ client: createMockLLM(), model: 'mock-model', allowedModels: ['mock-model', 'mock-large'] }),
    );
    app.use(errorHandler());
    const body = { model: 'mock-large', messages: [{ role: 'user', content: 'hi' }] };
    const narrow = await request(app).post('/chat').set('x-api-key', CLIENT_KEY).send(body);
    expect(narrow.status).toBe(400);
    expect(narrow.body.error.code).toBe('model_not_allowed');
    expect(narrow.body.error.param).toBe('model');
    expect((await request(app).post('/chat').set('x-api-key', OTHER_KEY).send(body)).status).toBe(200);
  });

  it('lists only the key’s models under the preset, and never logs a key', async () => {
    const logger = memoryLogger();
    const { app } = presetApp({
      allowedModels: ['mock-model', 'mock-large'],
      keys: [
        { id: 'narrow', key: CLIENT_KEY, models: ['mock-large'] },
        { id: 'wide', key: OTHER_KEY },
      ],
      audit: { logger },
    });
    const narrow = await request(app).get('/v1/models').set('Authorization', `Bearer ${CLIENT_KEY}`);
    expect(narrow.body.data.map((m: { id: string }) => m.id)).toEqual(['mock-large']);
    const wide = await request(app).get('/v1/models').set('Authorization', `Bearer ${OTHER_KEY}`);
    expect(wide.body.data.map((m: { id: string }) => m.id)).toEqual(['mock-model', 'mock-large']);
    await request(app).post('/v1/chat/completions').set('Authorization', 'Bearer not-a-real-key-000000').send({});
    await request(app)
      .post('/v1/chat/completions')
      .set('Authorization', `Bearer ${CLIENT_KEY}`)
      .send({ model: 'mock-large', messages: [{ role: 'user', content: 'hi' }] });
    expect(logger.lines.length).toBeGreaterThanOrEqual(2);
    for (const line of logger.lines) {
      expect(line).not.toContain(CLIENT_KEY);
      expect(line).not.toContain('not-a-real-key-000000');
    }
  });
});

describe('apiKeyAuth options', () => {
  const cases: Array<[unknown, string]> = [
    [
      undefined,
      'apiKeyAuth: `keys` must be an array of keys or a function (received undefined (is the environment variable set?))',
    ],
    [
      {},
      'apiKeyAuth: `keys` must be an array of keys or a function (received undefined (is the environment variable set?))',
    ],
    [{ keys: 'k' }, 'apiKeyAuth: `keys` must be an array of keys or a function (received "k")'],
    [{ keys: [] }, 'apiKeyAuth: `keys` must be a non-empty array or a function (received an array)'],
    [
      { keys: [], extra: 1 },
      'apiKeyAuth: unknown option `extra` (known options: failedAttempts, keys, mode, prefix, redis, verifyTimeoutMs)',
    ],
    [
      { keys: () => null, failedAttempts: true },
      'apiKeyAuth: `failedAttempts` must be false or an object (received true)',
    ],
    [
      { keys: () => null, failedAttempts: { limit: 0 } },
      'apiKeyAuth: `failedAttempts.limit` must be a positive integer (received 0)',
    ],
    [
      { keys: () => null, failedAttempts: { max: 3 } },
      'apiKeyAuth: unknown option `failedAttempts.max` (known options: limit, windowMs)',
    ],
    [{ keys: () => null, verifyTimeoutMs: 0 }, 'apiKeyAuth: `verifyTimeoutMs` must be a positive integer (received 0)'],
    [
      { keys: () => null, redis: {} },
      'apiKeyAuth: `redis` must be a node-redis or ioredis client (received an object)',
    ],
    [{ keys: ['k'] }, 'apiKeyAuth: `keys[0]` must be an object { id, key } or { id, sha256 } (received "k")'],
    [
      { keys: [{ id: 'a', key: CLIENT_KEY, role: 'admin' }] },
      'apiKeyAuth: unknown option `keys[0].role` (known options: id, key, limit, models, sha256, tokens)',
    ],
    [
      { keys: [{ key: CLIENT_KEY }] },
      'apiKeyAuth: `keys[0].id` must be a non-empty string of at most 200 characters (received undefined (is the environment variable set?))',
    ],
    [
      { keys: [{ id: 'a', key: 'short' }] },
      'apiKeyAuth: `keys[0].key` must be a string of at least 16 characters (received "a short string")',
    ],
    [
      { keys: [{ id: 'a', key: 12345 }] },
      'apiKeyAuth: `keys[0].key` must be a string of at least 16 characters (received 12345)',
    ],
    [
      { keys: [{ id: 'a', sha256: 'abc' }] },
      'apiKeyAuth: `keys[0].sha256` must be a 64-character hex SHA-256 digest (received "abc")',
    ],
    [
      { keys: [{ id: 'a', key: CLIENT_KEY, sha256: hex(CLIENT_KEY) }] },
      'apiKeyAuth: `keys[0]` must have exactly one of `key` or `sha256`',
    ],
    [{ keys: [{ id: 'a' }] }, 'apiKeyAuth: `keys[0]` must have exactly one of `key` or `sha256`'],
    [
      { keys: [{ id: 'a', key: process.env.SURELY_UNSET_LLM_SHIELD_KEY }] },
      'apiKeyAuth: `keys[0].key` must be a string of at least 16 characters (received undefined (is the environment variable set?))',
    ],
    [
      { keys: [{ id: 'a', key: CLIENT_KEY, models: [] }] },
      'apiKeyAuth: `keys[0].models` must be a non-empty array of non-empty strings (received an array)',
    ],
    [
      { keys: [{ id: 'a', key: CLIENT_KEY, limit: 0 }] },
      'apiKeyAuth: `keys[0].limit` must be a positive integer (received 0)',
    ],
    [
      { keys: [{ id: 'a', key: CLIENT_KEY, tokens: { limit: 0 } }] },
      'apiKeyAuth: `keys[0].tokens` must be an object { limit, windowMs? } of positive integers (received an object)',
    ],
    [
      { keys: [{ id: 'a', key: CLIENT_KEY, tokens: 100 }] },
      'apiKeyAuth: `keys[0].tokens` must be an object { limit, windowMs? } of positive integers (received 100)',
    ],
    [
      {
        keys: [
          { id: 'a', key: CLIENT_KEY },
          { id: 'a', key: OTHER_KEY },
        ],
      },
      'apiKeyAuth: duplicate key id `a` in `keys`',
    ],
    [
      {
        keys: [
          { id: 'a', key: CLIENT_KEY },
          { id: 'b', sha256: hex(CLIENT_KEY) },
        ],
      },
      'apiKeyAuth: `keys[1]` repeats a key already listed',
    ],
  ];
  for (const [options, message] of cases)
    it(`throws for ${JSON.stringify(options)?.replace(CLIENT_KEY, '<key>') ?? 'undefined'}`, () => {
      expect(() => apiKeyAuth(options as never)).toThrow(new TypeError(message));
    });

  it('never puts a configured key in an error message', () => {
    try {
      apiKeyAuth({ keys: [{ id: 'a', key: 'tiny-secret' }] });
    } catch (err) {
      expect(String(err)).not.toContain('tiny-secret');
    }
  });
});
