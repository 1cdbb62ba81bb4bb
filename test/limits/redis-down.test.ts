import { Redis as IORedis } from 'ioredis';
import { createClient } from 'redis';
import request from 'supertest';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMockLLM, rateLimitByKey } from '../../lib/index.js';
import { CLIENT_KEY, presetApp } from '../helpers/app.js';
import { deadPort } from '../helpers/ports.js';
import { chat, limitedApp, uniquePrefix } from '../helpers/redis.js';

const DEAD_PORT = await deadPort();

// A Redis that is down, two ways: a node-redis client that gave up connecting (commands
// fail at once), and an ioredis client that keeps reconnecting (commands would wait in its
// offline queue forever: only the store timeout answers them).
async function closedNodeRedis() {
  const client = createClient({
    socket: { host: '127.0.0.1', port: DEAD_PORT, connectTimeout: 200, reconnectStrategy: false },
  });
  client.on('error', () => undefined);
  await client.connect().catch(() => undefined);
  return client;
}
function reconnectingIORedis() {
  const client = new IORedis({
    host: '127.0.0.1',
    port: DEAD_PORT,
    connectTimeout: 200,
    maxRetriesPerRequest: null,
    retryStrategy: () => 100,
  });
  client.on('error', () => undefined);
  return client;
}

const ioClients: IORedis[] = [];
afterAll(() => {
  for (const c of ioClients) c.disconnect();
});

let logged: string[];
beforeEach(() => {
  logged = [];
  for (const method of ['error', 'warn', 'log', 'info'] as const)
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(' ')));
});
afterEach(() => {
  vi.restoreAllMocks();
});

const post = (app: Parameters<typeof request>[0]) =>
  request(app).post('/v1/chat/completions').set('Authorization', `Bearer ${CLIENT_KEY}`).send(chat());

const clients = [
  ['node-redis (closed)', closedNodeRedis],
  [
    'ioredis (reconnecting)',
    async () => {
      const c = reconnectingIORedis();
      ioClients.push(c);
      return c;
    },
  ],
] as const;

describe('a dead Redis', () => {
  for (const [name, make] of clients) {
    it(`${name}: fails closed with 503 service_unavailable, for every kind of limit`, async () => {
      const redis = await make();
      const configs = [
        {},
        { tokens: { limit: 1000 } },
        { concurrency: 2 },
        { tokens: { limit: 1000 }, concurrency: { limit: 2, leaseMs: 5_000 } },
      ];
      for (const extra of configs) {
        const app = limitedApp(
          rateLimitByKey({ ...extra, redis, redisTimeoutMs: 300, prefix: uniquePrefix('dead') }),
          createMockLLM(),
        );
        const res = await post(app);
        expect(res.status).toBe(503);
        expect(res.body).toEqual({
          error: {
            message: 'The rate-limit store is unavailable. Retry later.',
            type: 'server_error',
            code: 'service_unavailable',
            param: null,
          },
        });
      }
      expect(logged.join('\n')).not.toContain(CLIENT_KEY);
    });

    it(`${name}: with failOpen the request passes, and that is logged loudly once`, async () => {
      const redis = await make();
      const app = limitedApp(
        rateLimitByKey({
          limit: 1,
          tokens: { limit: 10 },
          concurrency: 1,
          redis,
          redisTimeoutMs: 300,
          failOpen: true,
          prefix: uniquePrefix('open'),
        }),
      );
      for (let i = 0; i < 3; i++) expect((await post(app)).status).toBe(200);
      const loud = logged.filter((l) => l.includes('failOpen'));
      expect(loud).toHaveLength(1);
      expect(loud[0]).toContain('WITHOUT limits');
      expect(logged.join('\n')).not.toContain(CLIENT_KEY);
    });
  }

  it('the preset passes its top-level `redis` to rateLimitByKey (503 when it is down)', async () => {
    const { app, logger } = presetApp({ redis: await closedNodeRedis() });
    const res = await post(app);
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('service_unavailable');
    expect(logger.lines.join('\n')).not.toContain(CLIENT_KEY);
  });
});
