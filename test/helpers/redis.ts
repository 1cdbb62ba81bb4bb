// Real Redis clients for the limit tests (never skipped: a missing Redis fails the tests),
// unique key prefixes per test, and cleanup of only our own keys.

import { randomBytes } from 'node:crypto';
import express, { type RequestHandler } from 'express';
import { Redis as IORedis } from 'ioredis';
import { createClient } from 'redis';
import { apiKeyAuth, callLLM, createMockLLM, errorHandler, type LLMClient } from '../../lib/index.js';
import { CLIENT_KEY, OTHER_KEY } from './app.js';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export type NodeRedis = ReturnType<typeof createClient>;

export async function nodeRedis(): Promise<NodeRedis> {
  const client = createClient({ url: REDIS_URL, socket: { connectTimeout: 5_000 } });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

export async function ioRedis(): Promise<IORedis> {
  const client = new IORedis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 5_000 });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

export function uniquePrefix(name: string): string {
  return `llm-shield-test:${name}:${randomBytes(6).toString('hex')}:`;
}

/** Every key under `prefix` (SCAN, never KEYS). */
export async function keysUnder(client: NodeRedis, pattern: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const reply = (await client.sendCommand(['SCAN', cursor, 'MATCH', pattern, 'COUNT', '1000'])) as [string, string[]];
    cursor = String(reply[0]);
    found.push(...reply[1]);
  } while (cursor !== '0');
  return found;
}

export async function flushPrefix(client: NodeRedis, prefix: string): Promise<void> {
  const keys = await keysUnder(client, `${prefix}*`);
  if (keys.length > 0) await client.sendCommand(['DEL', ...keys]);
}

export const keys = [
  { id: 'team-a', key: CLIENT_KEY },
  { id: 'team-b', key: OTHER_KEY },
];

/** POST /v1/chat/completions behind apiKeyAuth and the given limiter, answered by callLLM. */
export function limitedApp(limiter: RequestHandler, client: LLMClient = createMockLLM(), auth = apiKeyAuth({ keys })) {
  const app = express();
  app.post('/v1/chat/completions', express.json(), auth, limiter, callLLM({ client, model: 'mock-model' }));
  app.use(errorHandler());
  return app;
}

export const chat = (content = 'Hello there', extra: Record<string, unknown> = {}) => ({
  messages: [{ role: 'user', content }],
  ...extra,
});
