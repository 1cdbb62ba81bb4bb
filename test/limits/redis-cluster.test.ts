// Every limit on a real three-master Redis Cluster (started on loopback by the test), through
// node-redis `createCluster` and ioredis `Cluster`: two app instances, several keys whose
// Redis keys land on different masters.

import { Cluster as IORedisCluster } from 'ioredis';
import request from 'supertest';
import { createClient, createCluster } from 'redis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { apiKeyAuth, createMockLLM, rateLimitByKey, type RedisClientLike } from '../../lib/index.js';
import { startCluster, type TestCluster } from '../helpers/redis-cluster.js';
import { chat, keysUnder, limitedApp, uniquePrefix, type NodeRedis } from '../helpers/redis.js';

// Six principals: their hashed identities fall on all three masters (checked below).
const principals = Array.from({ length: 6 }, (_, i) => ({
  id: `cluster-team-${i}`,
  key: `shield-cluster-key-${i}-0123456789abcdef`,
}));
const auth = () => apiKeyAuth({ keys: principals });

const post = (app: Parameters<typeof request>[0], key: string, body: object = chat()) =>
  request(app).post('/v1/chat/completions').set('Authorization', `Bearer ${key}`).send(body);

let cluster: TestCluster;
/** A plain client on each master, to look at what each one holds. */
let masters: NodeRedis[] = [];
const closers: Array<() => unknown> = [];

beforeAll(async () => {
  cluster = await startCluster();
  masters = await Promise.all(
    cluster.urls.map(async (url) => {
      const c = createClient({ url });
      c.on('error', () => undefined);
      await c.connect();
      return c as NodeRedis;
    }),
  );
});

afterAll(async () => {
  for (const close of closers) await close();
  for (const m of masters) m.destroy();
  await cluster?.stop();
});

async function nodeRedisCluster(): Promise<RedisClientLike> {
  const c = createCluster({ rootNodes: [{ url: cluster.urls[0]! }] });
  c.on('error', () => undefined);
  await c.connect();
  closers.push(() => c.destroy());
  return c;
}

async function ioredisCluster(): Promise<RedisClientLike> {
  const c = new IORedisCluster([{ host: '127.0.0.1', port: cluster.ports[0]! }], {
    lazyConnect: true,
    redisOptions: { maxRetriesPerRequest: 1 },
  });
  c.on('error', () => undefined);
  await c.connect();
  closers.push(() => c.disconnect());
  return c;
}

const clients = { 'node-redis': nodeRedisCluster, ioredis: ioredisCluster } as const;
type Kind = keyof typeof clients;

/** Every key under `prefix` on each master, in master order. */
const keysByMaster = (prefix: string) => Promise.all(masters.map((m) => keysUnder(m, `${prefix}*`)));

/** `command(key)` for every key under `under`, each sent to the master that holds it. */
async function askEach(under: string, command: (key: string) => string[]): Promise<unknown[]> {
  const held = await keysByMaster(under);
  return Promise.all(held.flatMap((keys, i) => keys.map((k) => masters[i]!.sendCommand(command(k)))));
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Two rateLimitByKey instances on two clients of the cluster (of `kinds`), sharing `prefix`. */
async function twoInstances(
  kinds: [Kind, Kind],
  options: Parameters<typeof rateLimitByKey>[0],
  client = createMockLLM(),
) {
  const [a, b] = [await clients[kinds[0]](), await clients[kinds[1]]()];
  return [
    limitedApp(rateLimitByKey({ ...options, redis: a }), client, auth()),
    limitedApp(rateLimitByKey({ ...options, redis: b }), client, auth()),
  ] as const;
}

const pairs: Array<[Kind, Kind]> = [
  ['node-redis', 'node-redis'],
  ['ioredis', 'ioredis'],
  ['node-redis', 'ioredis'],
];

describe.each(pairs)('a Redis Cluster through %s and %s', (kindA, kindB) => {
  it('two app instances let exactly `limit` requests through for every key, keys spread over the masters', async () => {
    const prefix = uniquePrefix('cluster-req');
    const [app1, app2] = await twoInstances([kindA, kindB], { limit: 3, windowMs: 60_000, prefix });
    for (const p of principals) {
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) statuses.push((await post(i % 2 === 0 ? app1 : app2, p.key)).status);
      expect(statuses, p.id).toEqual([200, 200, 200, 429, 429, 429, 429]);
    }
    const held = await keysByMaster(prefix);
    // One counter per principal, hash-tagged, and every master holds some of them.
    expect(held.flat()).toHaveLength(principals.length);
    for (const key of held.flat()) expect(key).toMatch(new RegExp(`^${escape(prefix)}req:\\{[0-9a-f]{32}\\}$`));
    for (const onMaster of held) expect(onMaster.length).toBeGreaterThan(0);
  });

  it('a concurrent burst over both instances lets exactly `limit` through per key', async () => {
    const prefix = uniquePrefix('cluster-burst');
    const [app1, app2] = await twoInstances([kindA, kindB], { limit: 4, windowMs: 60_000, prefix });
    const burst = principals.flatMap((p) => Array.from({ length: 10 }, (_, i) => post(i % 2 ? app1 : app2, p.key)));
    const results = await Promise.all(burst);
    for (let k = 0; k < principals.length; k++) {
      const mine = results.slice(k * 10, k * 10 + 10);
      expect(mine.filter((r) => r.status === 200)).toHaveLength(4);
      for (const r of mine.filter((x) => x.status !== 200)) expect(r.body.error.code).toBe('rate_limit_exceeded');
    }
  });

  it('token budgets settle exactly to the provider usage, across instances and masters', async () => {
    const prefix = uniquePrefix('cluster-tok');
    const [app1, app2] = await twoInstances([kindA, kindB], { tokens: { limit: 100_000, windowMs: 60_000 }, prefix });
    // Principal k sends k + 1 requests, so each principal's total differs from the others'.
    const spent = new Map<string, number>();
    for (const [k, p] of principals.entries())
      for (let i = 0; i <= k; i++) {
        // max_tokens far above what is used: only a settle brings the reservation down to usage.
        const res = await post(i % 2 ? app2 : app1, p.key, chat(`Hello ${i}`, { max_tokens: 500 }));
        expect(res.status).toBe(200);
        spent.set(p.id, (spent.get(p.id) ?? 0) + (res.body.usage.total_tokens as number));
      }
    const expected = [...spent.values()].sort((x, y) => x - y);
    await vi.waitFor(async () => {
      const held = await keysByMaster(`${prefix}tok:`);
      for (const onMaster of held) expect(onMaster.length).toBeGreaterThan(0);
      const used = (await askEach(`${prefix}tok:`, (k) => ['HGET', k, 'used'])).map(Number);
      expect(used.sort((x, y) => x - y)).toEqual(expected);
    });
  });

  it('a spent budget is refused on the other instance with 429 token_budget_exceeded', async () => {
    const prefix = uniquePrefix('cluster-spent');
    const long = createMockLLM({ reply: 'word '.repeat(600) });
    const [app1, app2] = await twoInstances(
      [kindA, kindB],
      { tokens: { limit: 1000, windowMs: 60_000 }, prefix },
      long,
    );
    const key = principals[1]!.key;
    expect((await post(app1, key, chat('Talk a lot', { max_tokens: 300 }))).status).toBe(200);
    await vi.waitFor(async () => {
      const second = await post(app2, key, chat('More', { max_tokens: 400 }));
      expect(second.status).toBe(429);
      expect(second.body.error.code).toBe('token_budget_exceeded');
    });
    // Another key, on its own budget, still passes.
    expect((await post(app2, principals[2]!.key, chat('Hi', { max_tokens: 5 }))).status).toBe(200);
  });

  it('concurrency slots are shared by both instances and all come back', async () => {
    const prefix = uniquePrefix('cluster-conc');
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const mock = createMockLLM();
    const held: any = {
      chat: {
        completions: {
          create: async (body: any, options?: any) => {
            await gate;
            return mock.chat.completions.create(body, options);
          },
        },
      },
    };
    const [app1, app2] = await twoInstances([kindA, kindB], { limit: 100, concurrency: 2, prefix }, held);
    const settled: number[] = [];
    const pending = principals.flatMap((p) =>
      Array.from({ length: 5 }, (_, i) =>
        post(i % 2 ? app1 : app2, p.key).then((r) => {
          settled.push(r.status);
          return r;
        }),
      ),
    );
    // Two in flight per key, the other three refused at once.
    await vi.waitFor(() => expect(settled.length).toBe(3 * principals.length));
    expect(settled.every((s) => s === 429)).toBe(true);
    release();
    const results = await Promise.all(pending);
    expect(results.filter((r) => r.status === 200)).toHaveLength(2 * principals.length);
    // Every lease was removed from its sorted set, on whichever master holds it.
    await vi.waitFor(async () => {
      const inFlight = (await askEach(`${prefix}conc:`, (k) => ['ZCARD', k])).map(Number);
      expect(inFlight.reduce((x, y) => x + y, 0)).toBe(0);
    });
    for (const p of principals) expect((await post(app1, p.key)).status).toBe(200);
  });
});

describe('Redis keys on a cluster', () => {
  it("one key's request count, token budget and slots share a hash tag, so one slot", async () => {
    const prefix = uniquePrefix('cluster-tag');
    const [app] = await twoInstances(['node-redis', 'ioredis'], {
      limit: 10,
      tokens: { limit: 10_000 },
      concurrency: 2,
      prefix,
    });
    expect((await post(app, principals[0]!.key)).status).toBe(200);
    const held = (await keysByMaster(prefix)).filter((k) => k.length > 0);
    // The lease may already be gone; the count and the budget are there, on one master.
    expect(held).toHaveLength(1);
    const tags = new Set(held[0]!.map((k) => k.slice(k.indexOf('{'))));
    expect(tags.size).toBe(1);
    const slots = await Promise.all(held[0]!.map((k) => masters[0]!.sendCommand(['CLUSTER', 'KEYSLOT', k])));
    expect(new Set(slots).size).toBe(1);
  });

  it('keeps counting after every master forgot its scripts (SCRIPT FLUSH): each node reloads them itself', async () => {
    const prefix = uniquePrefix('cluster-flush');
    const [app1, app2] = await twoInstances(['node-redis', 'ioredis'], {
      limit: 3,
      tokens: { limit: 10_000 },
      concurrency: 2,
      prefix,
    });
    const statuses: number[] = [];
    for (const p of principals) statuses.push((await post(app1, p.key)).status);
    for (const m of masters) await m.sendCommand(['SCRIPT', 'FLUSH']);
    for (const p of principals) statuses.push((await post(app2, p.key)).status);
    for (const p of principals) statuses.push((await post(app1, p.key)).status);
    for (const p of principals) statuses.push((await post(app2, p.key)).status);
    expect(statuses).toEqual([...Array(18).fill(200), ...Array(6).fill(429)]);
  });

  for (const kind of ['node-redis', 'ioredis'] as const)
    it(`a master that stops answering (${kind}) gives 503 within redisTimeoutMs for its keys only`, async () => {
      const prefix = uniquePrefix(`cluster-pause-${kind}`);
      const redis = await clients[kind]();
      const app = limitedApp(
        rateLimitByKey({ limit: 100, redis, prefix, redisTimeoutMs: 300 }),
        createMockLLM(),
        auth(),
      );
      // Which master holds which principal's counter: the one that gains a key on its first request.
      const home = new Map<string, number>();
      for (const p of principals) {
        const before = (await keysByMaster(prefix)).map((k) => k.length);
        expect((await post(app, p.key)).status).toBe(200);
        const after = (await keysByMaster(prefix)).map((k) => k.length);
        home.set(
          p.key,
          after.findIndex((n, i) => n > before[i]!),
        );
      }
      const paused = home.get(principals[0]!.key)!;
      const elsewhere = principals.find((p) => home.get(p.key) !== paused)!;
      await masters[paused]!.sendCommand(['CLIENT', 'PAUSE', '1500', 'ALL']);
      const started = Date.now();
      const stuck = await post(app, principals[0]!.key);
      expect(stuck.status).toBe(503);
      expect(stuck.body.error.code).toBe('service_unavailable');
      expect(Date.now() - started).toBeLessThan(1200);
      expect((await post(app, elsewhere.key)).status).toBe(200);
      // Once the master answers again, so do its keys.
      await vi.waitFor(async () => expect((await post(app, principals[0]!.key)).status).toBe(200), { timeout: 5_000 });
    });
});
