// The middlewares one by one, around an app's own LLM handler that knows nothing of them.
// filterOutput protects what the handler sends, JSON or a stream written with res.write.
//   npx tsx examples/existing-app.ts   (PORT, OPENAI_API_KEY, SHIELD_API_KEYS as for server.ts)
// Then, with the default key:
//   curl http://localhost:3001/chat -H "Authorization: Bearer existing-app-key-0123456789" \
//     -H "Content-Type: application/json" -d '{"messages":[{"role":"user","content":"Hello"}]}'

import express from 'express';
import OpenAI from 'openai';
import {
  apiKeyAuth,
  auditLog,
  createMockLLM,
  errorHandler,
  filterOutput,
  getShieldState,
  rateLimitByKey,
  validatePrompt,
  type LLMClient,
} from '../lib/index.js';

const client: LLMClient = process.env.OPENAI_API_KEY ? (new OpenAI() as unknown as LLMClient) : createMockLLM();
const model = process.env.OPENAI_API_KEY ? (process.env.OPENAI_MODEL ?? 'gpt-4o-mini') : 'mock-model';
const keys = (process.env.SHIELD_API_KEYS ?? 'app:existing-app-key-0123456789').split(',').map((pair) => {
  const [id, key] = pair.split(':');
  return { id: id!, key: key! };
});

// The app's own handler: it calls the provider and sends the answer its own way.
async function askModel(req: express.Request, res: express.Response, next: express.NextFunction) {
  try {
    const messages = req.body.messages; // already sanitized by validatePrompt
    if (req.body.stream === true) {
      const stream = await client.chat.completions.create({ model, messages, stream: true });
      res.setHeader('Content-Type', 'text/event-stream');
      for await (const chunk of stream as AsyncIterable<unknown>) res.write(`data: ${JSON.stringify(chunk)}\n\n`);
      res.end('data: [DONE]\n\n');
      return;
    }
    const completion = await client.chat.completions.create({ model, messages });
    res.json(completion);
  } catch (err) {
    next(err);
  }
}

const app = express();
app.post(
  '/chat',
  // First, before the JSON parser too: one JSON line per request on stdout, the parser's
  // refusals included (Express skips later middlewares once the parser raises an error).
  auditLog(),
  express.json({ limit: '100kb' }),
  apiKeyAuth({ keys }),
  rateLimitByKey({ limit: 30, windowMs: 60_000 }),
  validatePrompt({ injection: 'block', pii: 'redact', secrets: 'redact' }),
  filterOutput({ pii: 'redact', secrets: 'block' }), // before the handler: it wraps res.json / res.write
  askModel,
);
// Per-request state is there for the app's own routes too.
app.post('/whoami', express.json(), apiKeyAuth({ keys }), (_req, res) => {
  res.json({ keyId: getShieldState(res).keyId });
});
app.use(errorHandler());

const server = app.listen(Number(process.env.PORT ?? 3001), () => {
  const address = server.address();
  console.log(
    `existing-app example listening on http://localhost:${typeof address === 'object' && address ? address.port : ''}`,
  );
});
