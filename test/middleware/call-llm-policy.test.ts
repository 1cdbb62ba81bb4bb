import express from 'express';
import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { callLLM, createMockLLM, errorHandler } from '../../lib/index.js';
import { listen } from '../helpers/app.js';
import { startUpstream, UPSTREAM_KEY, type Upstream } from '../helpers/upstream.js';
import { lastState, startLLMApp, userMessage, type LLMHarness } from '../helpers/llm-harness.js';

describe('callLLM policy: what reaches the provider', () => {
  let h: LLMHarness;
  const post = (body: object) => request(h.url).post('/v1/chat/completions').send(body);
  const sent = () => h.upstream.requests.at(-1)!.body;
  beforeAll(
    async () =>
      (h = await startLLMApp({
        allowedModels: ['up-model', 'up-big'],
        systemPrompt: 'You are a terse assistant.',
        maxTokens: 256,
      })),
  );
  afterAll(() => h.close());
  beforeEach(() => void (h.upstream.requests.length = 0));

  it('uses the default model when the request names none', async () => {
    expect((await post({ messages: userMessage() })).status).toBe(200);
    expect(sent().model).toBe('up-model');
  });

  it('passes an allowed model on', async () => {
    expect((await post({ model: 'up-big', messages: userMessage() })).status).toBe(200);
    expect(sent().model).toBe('up-big');
  });

  it.each([['gpt-4o'], [''], [42]])(
    'refuses model %j with 400 model_not_allowed, without calling out',
    async (model) => {
      const res = await post({ model, messages: userMessage() });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({
        code: 'model_not_allowed',
        param: 'model',
        type: 'invalid_request_error',
      });
      expect(h.upstream.requests).toHaveLength(0);
    },
  );

  it('puts the server system prompt first, with a canary, ahead of client messages', async () => {
    await post({
      messages: [
        { role: 'user', content: 'one' },
        { role: 'assistant', content: 'two' },
        { role: 'user', content: 'three' },
      ],
    });
    const messages = sent().messages as Array<{ role: string; content: string }>;
    expect(messages[0]!.role).toBe('system');
    expect(messages[0]!.content.startsWith('You are a terse assistant.')).toBe(true);
    expect(messages[0]!.content).toMatch(/cnry-[A-Za-z0-9_-]{12}/);
    expect(messages.slice(1).map((m) => m.content)).toEqual(['one', 'two', 'three']);
  });

  it('gives every request its own random canary', async () => {
    const canaries = new Set<string>();
    // More requests than one refill of the canary pool (400), so the refill is crossed too.
    for (let i = 0; i < 450; i++) {
      await post({ messages: userMessage() });
      const system = String((sent().messages as Array<{ content: string }>)[0]!.content);
      const [canary] = system.match(/cnry-[0-9a-f]+/) ?? [''];
      expect(canary).toMatch(/^cnry-[0-9a-f]{20}$/);
      canaries.add(canary);
    }
    expect(canaries.size).toBe(450);
  });

  it.each([
    [{}, { max_tokens: 256 }],
    [{ max_tokens: 10 }, { max_tokens: 10 }],
    [{ max_tokens: 100_000 }, { max_tokens: 256 }],
    [{ max_completion_tokens: 100_000 }, { max_completion_tokens: 256 }],
    [{ max_completion_tokens: 50 }, { max_completion_tokens: 50 }],
    [
      { max_tokens: 9_999, max_completion_tokens: 9_999 },
      { max_tokens: 256, max_completion_tokens: 256 },
    ],
  ])('caps tokens: %j goes up as %j', async (asked, expected) => {
    await post({ messages: userMessage(), ...asked });
    const body = sent();
    expect({ max_tokens: body.max_tokens, max_completion_tokens: body.max_completion_tokens }).toEqual({
      max_tokens: undefined,
      max_completion_tokens: undefined,
      ...expected,
    });
  });

  it('never sends stream_options on a JSON request, and keeps other fields', async () => {
    await post({ messages: userMessage(), stream_options: { include_usage: true }, temperature: 0.2, stream: false });
    expect(sent().stream_options).toBeUndefined();
    expect(sent().temperature).toBe(0.2);
    expect(sent().stream).toBe(false);
  });

  it('accepts the { prompt } shorthand when used alone', async () => {
    expect((await post({ prompt: 'Tell me a joke' })).status).toBe(200);
    expect(sent().prompt).toBeUndefined();
    expect(sent().messages.at(-1)).toEqual({ role: 'user', content: 'Tell me a joke' });
  });

  it.each([[{}], [{ messages: [] }], [{ messages: 'hi' }], [{ prompt: '' }]])(
    'refuses %j with 400 invalid_request on messages',
    async (body) => {
      const res = await post(body);
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'invalid_request', param: 'messages' });
    },
  );

  it('leaves no upstream handle in the state once the call is over (JSON and stream)', async () => {
    // The state stays on res.locals after the response; a closure left there would keep the
    // whole call reachable from the response object (and promoted by the garbage collector).
    for (const stream of [false, true]) {
      const before = h.states.length;
      expect((await post({ messages: userMessage(), stream })).status).toBe(200);
      const state = await lastState(h, before + 1);
      expect(state.stream).toBe(stream);
      expect(state.usage).toBeDefined();
      expect(state.upstreamAbort).toBeUndefined();
      expect(Object.values(state).filter((v) => typeof v === 'function')).toEqual([]);
      expect(await state.settled).toEqual(state.usage);
    }
  });

  it('sends the server key upstream, never the client key', async () => {
    await request(h.url)
      .post('/v1/chat/completions')
      .set('authorization', 'Bearer client-key-abc')
      .send({ messages: userMessage() });
    expect(h.upstream.requests.at(-1)!.headers.authorization).toBe(`Bearer ${UPSTREAM_KEY}`);
  });
});

describe('callLLM per-key model allow-list (state.principal.models)', () => {
  let h: LLMHarness;
  beforeAll(
    async () =>
      (h = await startLLMApp(
        { allowedModels: ['up-model', 'up-big'], fallbackModels: ['up-big'], retries: 0 },
        { id: 'team-a', models: ['up-model'] },
      )),
  );
  afterAll(() => h.close());

  it('lets the key use its own model', async () => {
    const res = await request(h.url).post('/v1/chat/completions').send({ messages: userMessage() });
    expect(res.status).toBe(200);
  });

  it('refuses a model the server allows but the key does not', async () => {
    const res = await request(h.url).post('/v1/chat/completions').send({ model: 'up-big', messages: userMessage() });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('model_not_allowed');
  });

  it('never falls back to a model the key may not use', async () => {
    h.upstream.requests.length = 0;
    h.upstream.script.push({ status: 500 });
    const res = await request(h.url).post('/v1/chat/completions').send({ messages: userMessage() });
    expect(res.status).toBe(502);
    expect(h.upstream.requests.map((r) => r.body.model)).toEqual(['up-model']);
  });
});

describe('callLLM client from the environment', () => {
  let upstream: Upstream;
  const saved = { key: process.env.OPENAI_API_KEY, url: process.env.OPENAI_BASE_URL };
  beforeAll(async () => (upstream = await startUpstream()));
  afterAll(async () => {
    await upstream.close();
    if (saved.key === undefined) delete process.env.OPENAI_API_KEY;
    else process.env.OPENAI_API_KEY = saved.key;
    if (saved.url === undefined) delete process.env.OPENAI_BASE_URL;
    else process.env.OPENAI_BASE_URL = saved.url;
  });

  it('throws a clear startup error when OPENAI_API_KEY is not set', () => {
    delete process.env.OPENAI_API_KEY;
    expect(() => callLLM({ model: 'm' })).toThrow(
      'callLLM: no `client` given and OPENAI_API_KEY is not set (pass a client, e.g. `new OpenAI()` or `createMockLLM()`, or set OPENAI_API_KEY)',
    );
  });

  it('builds a client from OPENAI_API_KEY / OPENAI_BASE_URL, with no SDK retries', async () => {
    process.env.OPENAI_API_KEY = UPSTREAM_KEY;
    process.env.OPENAI_BASE_URL = upstream.baseURL;
    const app = express();
    app.post('/chat', express.json(), callLLM({ model: 'up-model', retries: 0 }));
    app.use(errorHandler());
    const server = await listen(app);
    try {
      const ok = await request(server.url).post('/chat').send({ messages: userMessage() });
      expect(ok.status).toBe(200);
      expect(upstream.requests.at(-1)!.headers.authorization).toBe(`Bearer ${UPSTREAM_KEY}`);
      upstream.script.push({ status: 500 }, { status: 500 });
      const before = upstream.requests.length;
      const failed = await request(server.url).post('/chat').send({ messages: userMessage() });
      expect(failed.status).toBe(502);
      expect(upstream.requests.length - before).toBe(1);
      // Malformed provider output is not logged by the SDK (it would print the raw line).
      const spies = (['error', 'warn', 'log', 'info'] as const).map((m) => vi.spyOn(console, m));
      upstream.script.push({ malformedSse: true });
      const broken = await request(server.url).post('/chat').send({ messages: userMessage(), stream: true });
      expect(broken.text).toContain('upstream_error');
      for (const spy of spies) {
        expect(spy).not.toHaveBeenCalled();
        spy.mockRestore();
      }
    } finally {
      upstream.script.length = 0;
      await server.close();
    }
  });
});

describe('callLLM option validation', () => {
  const client = createMockLLM();
  it.each([
    [{ client, retries: -1 }, 'callLLM: `retries` must be a non-negative integer (received -1)'],
    [{ client, retries: 1.5 }, 'callLLM: `retries` must be a non-negative integer (received 1.5)'],
    [{ client, timeoutMs: 0 }, 'callLLM: `timeoutMs` must be a positive integer (received 0)'],
    [{ client, idleTimeoutMs: -5 }, 'callLLM: `idleTimeoutMs` must be a positive integer (received -5)'],
    [{ client, maxTokens: '100' }, 'callLLM: `maxTokens` must be a positive integer (received "100")'],
    [{ client, backoffMs: -1 }, 'callLLM: `backoffMs` must be a non-negative integer (received -1)'],
    [{ client, maxBackoffMs: null }, 'callLLM: `maxBackoffMs` must be a non-negative integer (received null)'],
    [{ client, maxRetryAfterMs: -1 }, 'callLLM: `maxRetryAfterMs` must be a non-negative integer (received -1)'],
    [
      { client, allowedModels: [] },
      'callLLM: `allowedModels` must be a non-empty array of non-empty strings (received an array)',
    ],
    [
      { client, fallbackModels: 'b' },
      'callLLM: `fallbackModels` must be a non-empty array of non-empty strings (received "b")',
    ],
    [{ client, systemPrompt: '' }, 'callLLM: `systemPrompt` must be a non-empty string (received "")'],
    [{ client, canary: 'yes' }, 'callLLM: `canary` must be a boolean (received "yes")'],
    [{ client, canary: true }, 'callLLM: `canary` needs a `systemPrompt` to hide the canary in'],
    [{ client: {} }, 'callLLM: `client` must be an OpenAI client (with chat.completions.create) (received an object)'],
    [{ client, allowedModels: ['other'] }, 'callLLM: `model` ("m") must be one of `allowedModels`'],
    [{ client, retrys: 2 }, 'callLLM: unknown option `retrys`'],
  ])('%#: %j throws', (extra, message) => {
    expect(() => callLLM({ model: 'm', ...(extra as object) })).toThrow(message);
  });

  it('requires a model', () => {
    expect(() => callLLM({ client })).toThrow(
      'callLLM: `model` must be a non-empty string (received undefined (is the environment variable set?))',
    );
  });

  it('rejects a non-object', () => {
    expect(() => callLLM('gpt' as never)).toThrow('callLLM: options must be an object (received "gpt")');
  });

  it('does not mutate the options object', () => {
    const options = Object.freeze({ client, model: 'm', fallbackModels: Object.freeze(['f']) });
    expect(() => callLLM(options)).not.toThrow();
  });
});
