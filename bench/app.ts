// The apps compared by the benchmark, one per process:
//   bare   — Express + express.json + the openai SDK, no protection (the baseline)
//   shield — the llmShield preset with every middleware on, same SDK, same upstream
//   stream-bare / stream-filter — an app's own handler relaying a 500-chunk SSE stream, without and with filterOutput

import { createWriteStream } from 'node:fs';
import express from 'express';
import winston from 'winston';
import OpenAI from 'openai';
import { filterOutput, llmShield } from '../lib/index.js';

const mode = process.argv[2] ?? 'bare';
const upstream = process.env.UPSTREAM_URL!;
const keyCount = Number(process.env.KEYS ?? 1);
const client = new OpenAI({ apiKey: 'sk-bench-upstream', baseURL: upstream, maxRetries: 0 });
const app = express();
app.disable('x-powered-by');

const relay = async (req: express.Request, res: express.Response) => {
  try {
    const body = { ...req.body, model: 'bench-model' };
    if (body.stream) {
      const stream = await client.chat.completions.create({
        ...body,
        stream: true,
      } as OpenAI.ChatCompletionCreateParamsStreaming);
      res.setHeader('content-type', 'text/event-stream');
      for await (const chunk of stream) res.write(`data: ${JSON.stringify(chunk)}\n\n`);
      res.end('data: [DONE]\n\n');
      return;
    }
    res.json(await client.chat.completions.create(body as OpenAI.ChatCompletionCreateParamsNonStreaming));
  } catch {
    if (!res.headersSent) res.status(502).json({ error: { message: 'upstream failed' } });
  }
};

if (mode === 'bare') {
  app.post('/v1/chat/completions', express.json({ limit: '100kb' }), relay);
} else if (mode === 'shield') {
  const keys = Array.from({ length: keyCount }, (_, i) => ({
    id: `k${i}`,
    key: `bench-key-${String(i).padStart(8, '0')}`,
  }));
  app.use(
    '/v1',
    llmShield({
      client: client as never,
      model: 'bench-model',
      keys,
      systemPrompt: 'You are a helpful assistant.',
      // The real default logger (winston JSON lines), written where a terminal won't slow it.
      audit: {
        logger: winston.createLogger({
          format: winston.format.json(),
          transports: [new winston.transports.Stream({ stream: createWriteStream('/dev/null') })],
        }),
      },
      rateLimit: { limit: 1_000_000_000, windowMs: 60_000 },
    }),
  );
} else if (mode === 'stream-bare') {
  app.post('/v1/chat/completions', express.json(), relay);
} else if (mode === 'stream-filter') {
  app.post('/v1/chat/completions', express.json(), filterOutput(), relay);
} else {
  throw new Error(`unknown mode ${mode}`);
}

app.get('/__heap', (_req, res) => {
  (globalThis as { gc?: () => void }).gc?.();
  res.json(process.memoryUsage());
});

const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.send?.({ port: typeof address === 'object' && address ? address.port : 0 });
});
server.keepAliveTimeout = 60_000;

// Exit cleanly on a signal so `--cpu-prof` can write its profile.
process.on('SIGINT', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
