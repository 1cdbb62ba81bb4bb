// Two server processes sharing one Redis: every limit (requests, tokens, concurrency) holds
// across both, whichever instance a request lands on.
//   REDIS_URL=redis://127.0.0.1:6379 npx tsx examples/multi-instance.ts
// It starts two instances (ports PORT and PORT+1; PORT=0 picks free ones) with a demo limit of
// 5 requests a minute per key, shared. The client key is DEMO_KEY, default
// multi-instance-key-0123456789, sent as `Authorization: Bearer <key>`.

import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { createClient } from 'redis';
import { createMockLLM, llmShield } from '../lib/index.js';

const KEY = process.env.DEMO_KEY ?? 'multi-instance-key-0123456789';

async function instance(): Promise<void> {
  const redis = createClient({ url: process.env.REDIS_URL, socket: { connectTimeout: 5_000 } });
  // Without an error listener node-redis crashes the process when Redis goes away; with one,
  // the shield answers 503 while it is down (fail closed).
  redis.on('error', (err: Error) => console.error(`instance ${process.env.INSTANCE}: Redis: ${err.message}`));
  await redis.connect();

  const app = express();
  app.use(
    '/v1',
    llmShield({
      client: createMockLLM(),
      model: 'mock-model',
      keys: [{ id: 'demo', key: KEY }],
      redis,
      rateLimit: { limit: 5, windowMs: 60_000, prefix: process.env.REDIS_PREFIX ?? 'llm-shield-demo:' },
      audit: false,
    }),
  );
  const server = app.listen(Number(process.env.PORT ?? 0), () => {
    const address = server.address();
    process.send?.({ port: typeof address === 'object' && address ? address.port : 0 });
  });
  process.on('SIGTERM', () => server.close(() => void redis.close().finally(() => process.exit(0))));
}

async function primary(): Promise<void> {
  if (!process.env.REDIS_URL) {
    console.error('Set REDIS_URL, e.g. REDIS_URL=redis://127.0.0.1:6379');
    process.exit(1);
  }
  const base = Number(process.env.PORT ?? 3000);
  const children = [1, 2].map((n) =>
    fork(fileURLToPath(import.meta.url), [], {
      env: { ...process.env, INSTANCE: String(n), PORT: String(base === 0 ? 0 : base + n - 1) },
    }),
  );
  const ports = await Promise.all(
    children.map((c) => new Promise<number>((resolve) => c.once('message', (m: { port: number }) => resolve(m.port)))),
  );
  console.log(`multi-instance example listening on http://localhost:${ports[0]} and http://localhost:${ports[1]}`);
  console.log(`Client key: ${KEY}. Send 6 requests to either instance: the 6th gets 429 rate_limit_exceeded.`);
  const stop = () => {
    for (const c of children) c.kill('SIGTERM');
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

await (process.env.INSTANCE ? instance() : primary());
