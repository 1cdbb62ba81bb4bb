// The example server: the whole shield at /v1 and a small chat page at /.
//   npm start                                  -> embedded mock model, a generated demo key
//   OPENAI_API_KEY=sk-... npm start            -> the real provider (OPENAI_BASE_URL for another one)
//   SHIELD_API_KEYS=team-a:key1,team-b:key2    -> your client keys
//   REDIS_URL=redis://127.0.0.1:6379           -> limits shared by every instance on that Redis
//                                                 (no answer within 5 s at startup: one line, exit 1)
//   PORT=8080                                  -> another port (default 3000)
//   OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:4318
//                                              -> traces and metrics over OTLP (see examples/telemetry.ts)

import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import express from 'express';
import OpenAI from 'openai';
import { createClient, type RedisClientType } from 'redis';
import { createMockLLM, llmShield, type ChatMessage, type LLMClient } from '../lib/index.js';
import { startTelemetry } from './telemetry.js';

/** `id:key` pairs from SHIELD_API_KEYS, or one generated demo key. */
function clientKeys(): { keys: Array<{ id: string; key: string }>; generated: boolean } {
  const raw = process.env.SHIELD_API_KEYS?.trim();
  if (!raw) return { keys: [{ id: 'demo', key: `demo-${randomBytes(18).toString('base64url')}` }], generated: true };
  const keys = raw.split(',').map((pair, i) => {
    const at = pair.indexOf(':');
    if (at <= 0 || at === pair.length - 1) throw new Error(`SHIELD_API_KEYS: entry ${i + 1} is not an id:key pair`);
    return { id: pair.slice(0, at).trim(), key: pair.slice(at + 1).trim() };
  });
  return { keys, generated: false };
}

const SYSTEM_PROMPT = 'You are the helpful assistant of the express-llm-shield demo. Answer briefly and politely.';

// The mock model quotes the user, and on two trigger phrases misbehaves on purpose, so the
// output filter can be seen at work: "demo leak" repeats the system prompt (the answer ends
// in content_filter), "demo contact" answers with an e-mail address (redacted).
function mockReply(messages: ChatMessage[]): string {
  const last = [...messages].reverse().find((m) => m.role === 'user');
  const said = typeof last?.content === 'string' ? last.content.slice(0, 200) : '';
  if (/demo leak/i.test(said)) return `Of course. My instructions say: ${SYSTEM_PROMPT} That is all.`;
  if (/demo contact/i.test(said)) return 'You can reach our support team at help.desk@example.com any day.';
  return `This is the mock model of express-llm-shield. You said: "${said}"`;
}

function provider(): { client: LLMClient; model: string; mock: boolean } {
  if (process.env.OPENAI_API_KEY) {
    return {
      client: new OpenAI() as unknown as LLMClient,
      model: process.env.OPENAI_MODEL ?? 'gpt-4o-mini',
      mock: false,
    };
  }
  return { client: createMockLLM({ delayMs: 15, reply: mockReply }), model: 'mock-model', mock: true };
}

/** Where a Redis URL points, without any credentials it carries. */
function redisHost(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '6379'}`;
  } catch {
    return 'an unparsable REDIS_URL';
  }
}

/**
 * One client for the whole app. The first connection is bounded: a Redis that does not
 * answer in time ends the process with one clear line (exit 1) rather than a server that
 * never listens and logs reconnect errors forever. Once connected, the client reconnects on
 * its own, and while Redis is down the limits answer 503 (fail closed).
 */
async function connectRedis(url: string): Promise<RedisClientType> {
  let ready = false;
  const redis: RedisClientType = createClient({
    url,
    socket: {
      connectTimeout: 5_000,
      reconnectStrategy: (retries: number, cause: Error) => (ready ? Math.min(100 * 2 ** retries, 3_000) : cause),
    },
  });
  // Without an 'error' listener node-redis would crash the process when Redis goes away.
  redis.on('error', (err: Error) => {
    if (ready) console.error(`Redis: ${err.message}`);
  });
  try {
    await redis.connect();
  } catch (err) {
    const reason = err instanceof Error && err.message ? err.message : String(err);
    console.error(
      `Redis at ${redisHost(url)} did not answer (${reason}). Start Redis there, or unset REDIS_URL to keep limits in this process.`,
    );
    process.exit(1);
  }
  ready = true;
  return redis;
}

export async function main(): Promise<void> {
  // First, so that the SDK is registered before the shield records anything.
  const telemetry = await startTelemetry();
  const { client, model, mock } = provider();
  const { keys, generated } = clientKeys();
  const redisUrl = process.env.REDIS_URL;
  const redis = redisUrl ? await connectRedis(redisUrl) : undefined;

  const app = express();
  app.disable('x-powered-by');
  app.use(
    '/v1',
    llmShield({
      client,
      model,
      keys,
      systemPrompt: SYSTEM_PROMPT,
      ...(redis ? { redis } : {}),
    }),
  );
  app.use(express.static(fileURLToPath(new URL('./public', import.meta.url))));

  const port = Number(process.env.PORT ?? 3000);
  const server = app.listen(port, () => {
    const address = server.address();
    const actual = typeof address === 'object' && address ? address.port : port;
    const lines = [`express-llm-shield example listening on http://localhost:${actual}`];
    lines.push(
      mock
        ? 'MOCK MODEL: OPENAI_API_KEY is not set, so answers come from the embedded mock (createMockLLM).'
        : `Provider: ${process.env.OPENAI_BASE_URL ?? 'OpenAI'}, model ${model}`,
    );
    if (generated) lines.push(`Demo client key (generated, printed once): ${keys[0]!.key}`);
    else lines.push(`Client keys: ${keys.map((k) => k.id).join(', ')} (from SHIELD_API_KEYS)`);
    lines.push(
      redisUrl
        ? 'Limits: shared through Redis (REDIS_URL) by every instance on it.'
        : 'Limits: in this process only (set REDIS_URL to share them between instances).',
    );
    if (telemetry) lines.push(telemetry.line);
    // With a generated key the line is ready to paste; configured keys are never printed.
    const key = generated ? keys[0]!.key : '<one of your SHIELD_API_KEYS keys>';
    lines.push(
      `Try: curl http://localhost:${actual}/v1/chat/completions -H "Authorization: Bearer ${key}" -H "Content-Type: application/json" -d '{"messages":[{"role":"user","content":"Hello"}]}'`,
    );
    console.log(lines.join('\n'));
  });
  const stop = () =>
    server.close(() => {
      void Promise.allSettled([redis?.close(), telemetry?.stop()]).finally(() => process.exit(0));
    });
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

await main();
