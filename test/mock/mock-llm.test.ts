import express from 'express';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callLLM, createMockLLM, errorHandler, type MockLLM } from '../../lib/index.js';
import { listen } from '../helpers/app.js';
import { waitFor, userMessage } from '../helpers/llm-harness.js';

describe('createMockLLM behind callLLM, through the SDK', () => {
  let mock: MockLLM;
  let server: Awaited<ReturnType<typeof listen>>;
  const sdk = () => new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'k', maxRetries: 0 });
  beforeAll(async () => {
    mock = createMockLLM({ reply: 'The quick brown fox jumps over the lazy dog.', chunkSize: 4, delayMs: 5 });
    const app = express();
    app.post(
      '/v1/chat/completions',
      express.json(),
      callLLM({ client: mock, model: 'mock-model', backoffMs: 1, timeoutMs: 1_000 }),
    );
    app.use(errorHandler());
    server = await listen(app);
  });
  afterAll(() => server.close());

  it('streams the reply with usage on request', async () => {
    const stream = await sdk().chat.completions.create({
      model: 'mock-model',
      messages: userMessage(),
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      usage ??= chunk.usage;
    }
    expect(text).toBe('The quick brown fox jumps over the lazy dog.');
    expect(usage!.total_tokens).toBeGreaterThan(0);
  });

  it('retries a stream that fails before its first chunk', async () => {
    mock.fail({ type: 'stream_error', afterChunks: 0 });
    const before = mock.requests.length;
    const stream = await sdk().chat.completions.create({ model: 'mock-model', messages: userMessage(), stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('The quick brown fox jumps over the lazy dog.');
    expect(mock.requests.length - before).toBe(2);
  });

  it('ends a stream failing mid-way with an in-band error the SDK raises', async () => {
    mock.fail({ type: 'stream_error', afterChunks: 3 });
    const stream = await sdk().chat.completions.create({ model: 'mock-model', messages: userMessage(), stream: true });
    const err = await (async () => {
      for await (const _ of stream) void _;
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect((err as InstanceType<typeof OpenAI.APIError>).code).toBe('upstream_error');
  });

  it('fails a JSON request scripted with stream_error as a dropped connection (retried)', async () => {
    mock.fail({ type: 'stream_error', afterChunks: 1 });
    const completion = await sdk().chat.completions.create({ model: 'mock-model', messages: userMessage() });
    expect(completion.choices[0]!.message.content).toBe('The quick brown fox jumps over the lazy dog.');
  });

  it('answers 503 after scripted persistent 429s, and 502 for a scripted 401', async () => {
    mock.fail({ status: 429 }, { status: 429 }, { status: 429 });
    await expect(sdk().chat.completions.create({ model: 'mock-model', messages: userMessage() })).rejects.toMatchObject(
      { status: 503, code: 'upstream_unavailable' },
    );
    mock.fail({ status: 401, message: 'Incorrect API key provided: sk-mock' });
    const err = await sdk()
      .chat.completions.create({ model: 'mock-model', messages: userMessage() })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 502, code: 'upstream_error' });
    expect((err as Error).message).not.toContain('sk-mock');
  });

  it('stops the mock stream when the client leaves', async () => {
    const slow = createMockLLM({ reply: 'x'.repeat(400), chunkSize: 1, delayMs: 20 });
    let pulled = 0;
    const counting = {
      chat: {
        completions: {
          async create(body: never, options: never) {
            const stream = (await slow.chat.completions.create(body, options)) as AsyncIterable<unknown>;
            return (async function* () {
              for await (const c of stream) {
                pulled++;
                yield c;
              }
            })();
          },
        },
      },
    };
    const app = express();
    app.post('/v1/chat/completions', express.json(), callLLM({ client: counting, model: 'mock-model' }));
    const own = await listen(app);
    try {
      const stream = await new OpenAI({ baseURL: `${own.url}/v1`, apiKey: 'k', maxRetries: 0 }).chat.completions.create(
        { model: 'mock-model', messages: userMessage(), stream: true },
      );
      const it = stream[Symbol.asyncIterator]();
      await it.next();
      await it.next();
      stream.controller.abort();
      await waitFor(() => pulled > 0, 1000);
      const at = pulled;
      await new Promise((r) => setTimeout(r, 200));
      expect(pulled - at).toBeLessThanOrEqual(1);
      expect(pulled).toBeLessThan(50);
    } finally {
      await own.close();
    }
  });
});

describe('createMockLLM option validation', () => {
  it.each([
    [{ chunkSize: 0 }, 'createMockLLM: `chunkSize` must be a positive integer (received 0)'],
    [{ delayMs: -1 }, 'createMockLLM: `delayMs` must be a non-negative integer (received -1)'],
    [{ failures: 'x' }, 'createMockLLM: `failures` must be an array of failures (received "x")'],
    [{ reply: '' }, 'createMockLLM: `reply` must be a non-empty string or a function (received "")'],
    [{ replies: 'x' }, 'createMockLLM: unknown option `replies`'],
  ])('%j throws', (options, message) => {
    expect(() => createMockLLM(options as never)).toThrow(message);
  });
});

describe('callLLM backpressure', () => {
  it('stops pulling from the provider while the client does not read', async () => {
    const chunkSize = 64 * 1024;
    const total = 512; // 32 MB: far more than loopback socket buffers hold
    const mock = createMockLLM({ reply: 'y'.repeat(chunkSize * total), chunkSize });
    let pulled = 0;
    const counting = {
      chat: {
        completions: {
          async create(body: never, options: never) {
            const stream = (await mock.chat.completions.create(body, options)) as AsyncIterable<unknown>;
            return (async function* () {
              for await (const c of stream) {
                pulled++;
                yield c;
              }
            })();
          },
        },
      },
    };
    const app = express();
    app.post('/chat', express.json(), callLLM({ client: counting, model: 'mock-model' }));
    const own = await listen(app);
    try {
      const { request: httpRequest } = await import('node:http');
      const req = httpRequest(`${own.url}/chat`, { method: 'POST', headers: { 'content-type': 'application/json' } });
      const response = new Promise<import('node:http').IncomingMessage>((resolve) => req.on('response', resolve));
      req.end(JSON.stringify({ messages: userMessage(), stream: true }));
      const res = await response;
      res.pause(); // a client that stops reading
      await new Promise((r) => setTimeout(r, 500));
      const stalled = pulled;
      await new Promise((r) => setTimeout(r, 300));
      expect(pulled).toBe(stalled);
      expect(pulled).toBeLessThan(total / 2);
      res.destroy();
    } finally {
      await own.close();
    }
  });
});
