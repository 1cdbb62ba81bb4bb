import OpenAI from 'openai';
import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { callLLM, createMockLLM, errorHandler } from '../../lib/index.js';
import { UPSTREAM_KEY } from '../helpers/upstream.js';
import { lastState, startLLMApp, userMessage, type LLMHarness } from '../helpers/llm-harness.js';
import express from 'express';

const PROVIDER_TEXT = 'upstream secret detail';

/** Nothing of the provider's error, or our upstream key, may reach the client. */
function expectNoProviderLeak(body: unknown): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  expect(text).not.toContain(PROVIDER_TEXT);
  expect(text).not.toContain(UPSTREAM_KEY);
  expect(text).not.toContain(UPSTREAM_KEY.slice(0, 12));
}

describe('callLLM resilience against a fault-injecting upstream', () => {
  let h: LLMHarness;
  const post = (body: object = { messages: userMessage() }) => request(h.url).post('/v1/chat/completions').send(body);
  beforeAll(async () => (h = await startLLMApp({ retries: 2, fallbackModels: ['up-fallback'] })));
  afterAll(() => h.close());
  beforeEach(() => {
    h.upstream.script.length = 0;
    h.upstream.requests.length = 0;
  });

  it('answers 200 after two 500s, in three attempts', async () => {
    h.upstream.script.push({ status: 500 }, { status: 500 });
    const seen = h.states.length;
    const res = await post();
    expect(res.status).toBe(200);
    expect(res.body.choices[0].message.content).toBe('Hello from the loopback upstream.');
    expect(h.upstream.requests).toHaveLength(3);
    expect(h.upstream.requests.map((r) => r.body.model)).toEqual(['up-model', 'up-model', 'up-model']);
    const state = await lastState(h, seen + 1);
    expect(state.attempts).toBe(3);
    expect(state.usage).toEqual({ prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 });
    expect(state.upstreamMs).toBeGreaterThan(0);
  });

  it.each([408, 409, 502, 503, 504, 529])('retries a %i', async (status) => {
    h.upstream.script.push({ status });
    const res = await post();
    expect(res.status).toBe(200);
    expect(h.upstream.requests).toHaveLength(2);
  });

  it('waits at least Retry-After: 1 before retrying a 429', async () => {
    h.upstream.script.push({ status: 429, headers: { 'retry-after': '1' } });
    const res = await post();
    expect(res.status).toBe(200);
    const [first, second] = h.upstream.requests;
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(1000);
    expect(second!.at - first!.at).toBeLessThan(4000);
  });

  it('honours retry-after-ms', async () => {
    h.upstream.script.push({ status: 429, headers: { 'retry-after-ms': '300' } });
    const res = await post();
    expect(res.status).toBe(200);
    const [first, second] = h.upstream.requests;
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(300);
  });

  it('answers 503 upstream_unavailable with Retry-After for a persistent 429, on every model', async () => {
    for (let i = 0; i < 6; i++) h.upstream.script.push({ status: 429 });
    const res = await post();
    expect(res.status).toBe(503);
    expect(res.body.error).toMatchObject({ code: 'upstream_unavailable', type: 'upstream_error' });
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(h.upstream.requests.map((r) => r.body.model)).toEqual([
      'up-model',
      'up-model',
      'up-model',
      'up-fallback',
      'up-fallback',
      'up-fallback',
    ]);
    expectNoProviderLeak(res.body);
  });

  it('gives up at once (next model, then 503) when Retry-After is over the cap', async () => {
    h.upstream.script.push({ status: 429, headers: { 'retry-after': '3600' } });
    h.upstream.script.push({ status: 429, headers: { 'retry-after': '3600' } });
    const started = Date.now();
    const res = await post();
    expect(res.status).toBe(503);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(h.upstream.requests).toHaveLength(2);
  });

  it('answers a provider 401 with 502 upstream_error, none of its text, no retry, no fallback', async () => {
    h.upstream.script.push({ status: 401, headers: { 'x-provider': 'secret' } });
    const res = await post();
    expect(res.status).toBe(502);
    expect(res.body.error).toEqual({
      message: 'The model provider failed to answer.',
      type: 'upstream_error',
      code: 'upstream_error',
      param: null,
    });
    expect(res.headers['x-provider']).toBeUndefined();
    expect(h.upstream.requests).toHaveLength(1);
    expectNoProviderLeak(res.text);
  });

  it.each([400, 403, 422])('answers a provider %i with 502, without retrying', async (status) => {
    h.upstream.script.push({ status });
    const res = await post();
    expect(res.status).toBe(502);
    expect(h.upstream.requests).toHaveLength(1);
    expectNoProviderLeak(res.text);
  });

  it('falls back to the next model when the primary keeps failing', async () => {
    h.upstream.script.push({ status: 500 }, { status: 500 }, { status: 500 });
    const seen = h.states.length;
    const res = await post();
    expect(res.status).toBe(200);
    expect(res.body.model).toBe('up-fallback');
    expect(h.upstream.requests.map((r) => r.body.model)).toEqual(['up-model', 'up-model', 'up-model', 'up-fallback']);
    const state = await lastState(h, seen + 1);
    expect(state.model).toBe('up-fallback');
    expect(state.attempts).toBe(4);
  });

  it('falls back at once when the provider does not know the model (404)', async () => {
    h.upstream.script.push({ status: 404 });
    const res = await post();
    expect(res.status).toBe(200);
    expect(h.upstream.requests.map((r) => r.body.model)).toEqual(['up-model', 'up-fallback']);
  });

  it('reuses keep-alive connections to the provider', async () => {
    const before = h.upstream.connections;
    for (let i = 0; i < 6; i++) expect((await post()).status).toBe(200);
    expect(h.upstream.connections - before).toBeLessThanOrEqual(1);
  });
});

describe('callLLM timeouts', () => {
  let h: LLMHarness;
  beforeAll(async () => (h = await startLLMApp({ timeoutMs: 300, retries: 2 })));
  afterAll(() => h.close());

  it('answers 504 upstream_timeout close to timeoutMs when the provider hangs, and closes that connection', async () => {
    h.upstream.script.push({ hang: true });
    const closedBefore = h.upstream.closedConnections;
    const started = performance.now();
    const res = await request(h.url).post('/v1/chat/completions').send({ messages: userMessage() });
    const elapsed = performance.now() - started;
    expect(res.status).toBe(504);
    expect(res.body.error).toMatchObject({ code: 'upstream_timeout', type: 'upstream_error' });
    expect(elapsed).toBeGreaterThanOrEqual(300);
    expect(elapsed).toBeLessThan(300 + 3000);
    // Not retried: a hung provider would otherwise hold the client for (retries + 1) × timeoutMs.
    expect(h.upstream.requests).toHaveLength(1);
    await expect.poll(() => h.upstream.closedConnections, { timeout: 2000 }).toBeGreaterThan(closedBefore);
  });

  it('answers 504 when a stream never sends its first chunk', async () => {
    h.upstream.script.push({ stallAfterChunks: 0 });
    const started = performance.now();
    const res = await request(h.url).post('/v1/chat/completions').send({ messages: userMessage(), stream: true });
    expect(res.status).toBe(504);
    expect(res.body.error.code).toBe('upstream_timeout');
    expect(performance.now() - started).toBeLessThan(300 + 3000);
  });

  it('a slow but steady JSON answer within timeoutMs succeeds', async () => {
    h.upstream.script.push({ delayMs: 100 });
    const res = await request(h.url).post('/v1/chat/completions').send({ messages: userMessage() });
    expect(res.status).toBe(200);
  });
});

describe('callLLM through the SDK as the client', () => {
  let h: LLMHarness;
  beforeAll(async () => (h = await startLLMApp({ retries: 0 })));
  afterAll(() => h.close());

  it.each([
    [{ status: 401 }, OpenAI.InternalServerError, 502, 'upstream_error'],
    [{ status: 429 }, OpenAI.InternalServerError, 503, 'upstream_unavailable'],
    [{ status: 500 }, OpenAI.InternalServerError, 502, 'upstream_error'],
  ] as const)('a provider %j raises the SDK error %#', async (fault, Class, status, code) => {
    h.upstream.script.push(fault);
    const err = await h
      .sdk()
      .chat.completions.create({ model: 'up-model', messages: userMessage() })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Class);
    expect((err as InstanceType<typeof OpenAI.APIError>).status).toBe(status);
    expect((err as InstanceType<typeof OpenAI.APIError>).code).toBe(code);
    expectNoProviderLeak((err as Error).message);
  });
});

describe('callLLM with createMockLLM', () => {
  it('retries scripted failures and connection errors, then answers', async () => {
    const client = createMockLLM({ failures: [{ status: 500 }, { type: 'connection' }] });
    const app = express();
    app.post('/chat', express.json(), callLLM({ client, model: 'mock-model', backoffMs: 1 }));
    app.use(errorHandler());
    const res = await request(app)
      .post('/chat')
      .send({ messages: userMessage('mock') });
    expect(res.status).toBe(200);
    expect(client.requests).toHaveLength(3);
  });

  it('times out a scripted hang with 504', async () => {
    const client = createMockLLM({ failures: [{ type: 'timeout' }] });
    const app = express();
    app.post('/chat', express.json(), callLLM({ client, model: 'mock-model', timeoutMs: 100 }));
    app.use(errorHandler());
    const res = await request(app).post('/chat').send({ messages: userMessage() });
    expect(res.status).toBe(504);
  });
});
