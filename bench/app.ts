// The apps compared by the benchmark, one per process:
//   bare   — Express + express.json + the openai SDK, no protection (the baseline)
//   shield — the llmShield preset with every middleware on, same SDK, same upstream
//   stream-bare / stream-filter — an app's own handler relaying a 500-chunk SSE stream, without and with filterOutput
//   only-<part> — the bare app plus one middleware (helmet, audit, auth, ratelimit, validate, filter, callllm)
// `SHIELD_OFF=audit+filter` turns preset parts off. The apps load the built package (dist), as users run it.

import { Session } from 'node:inspector';
import express from 'express';
import helmet from 'helmet';
import OpenAI from 'openai';
import type * as Shield from '../lib/index.js';

// The built package, as users run it (npm run bench builds it first): sources compiled on the
// fly by tsx carry esbuild's keepNames helper into every closure and misstate the cost.
const built: string = '../dist/esm/index.js';
const { apiKeyAuth, auditLog, callLLM, errorHandler, filterOutput, llmShield, rateLimitByKey, validatePrompt } =
  (await import(built)) as typeof Shield;

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
      // audit: the default logger, JSON lines on stdout (which run.ts points at /dev/null).
      rateLimit: { limit: 1_000_000_000, windowMs: 60_000 },
      ...Object.fromEntries(
        (process.env.SHIELD_OFF ?? '')
          .split('+')
          .filter(Boolean)
          .map((k) => [k, false]),
      ),
    }),
  );
} else if (mode.startsWith('only-')) {
  // One middleware at a time on the bare app, for bench/instructions.ts and bench/alloc.ts.
  const json = express.json({ limit: '100kb' });
  const parts: Record<string, Array<express.RequestHandler | express.ErrorRequestHandler>> = {
    'only-helmet': [helmet(), json, relay],
    'only-audit': [auditLog(), json, relay],
    'only-auth': [apiKeyAuth({ keys: [{ id: 'k0', key: 'bench-key-00000000' }] }), json, relay],
    'only-ratelimit': [json, rateLimitByKey({ limit: 1_000_000_000, windowMs: 60_000 }), relay],
    'only-validate': [json, validatePrompt(), relay],
    'only-filter': [json, filterOutput(), relay],
    'only-callllm': [json, callLLM({ client: client as never, model: 'bench-model' }), errorHandler()],
  };
  if (!parts[mode]) throw new Error(`unknown mode ${mode}`);
  app.post('/v1/chat/completions', ...parts[mode]);
} else if (mode === 'stream-bare') {
  app.post('/v1/chat/completions', express.json(), relay);
} else if (mode === 'stream-filter') {
  app.post('/v1/chat/completions', express.json(), filterOutput(), relay);
} else {
  throw new Error(`unknown mode ${mode}`);
}

// Allocation sampling for bench/alloc.ts, short-lived objects included (they are what the GC pays for).
const inspector = new Session();
inspector.connect();
app.get('/__alloc/start', (_req, res) => {
  inspector.post(
    'HeapProfiler.startSampling',
    {
      samplingInterval: Number(process.env.SAMPLING ?? 4096),
      includeObjectsCollectedByMajorGC: true,
      // PROMOTED=1 leaves out what a scavenge collects: what is left is what lived through
      // one, i.e. what the young-generation collector copied and promoted.
      includeObjectsCollectedByMinorGC: process.env.PROMOTED !== '1',
    },
    () => res.end('ok'),
  );
});
app.get('/__alloc/stop', (_req, res) => {
  inspector.post('HeapProfiler.stopSampling', (_err, result) => res.json(result));
});
// CPU time this process has used, read before and after a fixed-rate round by run.ts.
app.get('/__cpu', (_req, res) => {
  res.json(process.cpuUsage());
});

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
