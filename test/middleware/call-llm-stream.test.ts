import OpenAI from 'openai';
import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { UPSTREAM_KEY } from '../helpers/upstream.js';
import { lastState, startLLMApp, userMessage, waitFor, type LLMHarness } from '../helpers/llm-harness.js';

const FULL_TEXT = 'Hello from the loopback upstream.';

/** Reads an SDK stream to its end or its error. */
async function consume(stream: AsyncIterable<OpenAI.ChatCompletionChunk>) {
  let text = '';
  let usage: OpenAI.CompletionUsage | null | undefined;
  let finish: string | null = null;
  let error: unknown;
  try {
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
  } catch (err) {
    error = err;
  }
  return { text, usage, finish, error };
}

/** The `data:` payloads of a raw SSE body. */
const events = (body: string) =>
  body
    .split('\n\n')
    .filter((e) => e.startsWith('data: '))
    .map((e) => e.slice(6));

describe('callLLM streaming', () => {
  let h: LLMHarness;
  const streamOf = (extra: object = {}) =>
    h.sdk().chat.completions.create({ model: 'up-model', messages: userMessage(), stream: true, ...extra });
  const raw = () =>
    request(h.url)
      .post('/v1/chat/completions')
      .send({ messages: userMessage(), stream: true })
      .buffer(true)
      .parse((res, done) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => done(null, body));
      });
  beforeAll(async () => (h = await startLLMApp({ retries: 1, timeoutMs: 2_000, idleTimeoutMs: 5_000 })));
  afterAll(() => h.close());
  beforeEach(() => {
    h.upstream.script.length = 0;
    h.upstream.requests.length = 0;
  });

  it('relays the stream, asks the provider for usage and keeps it from a client that did not ask', async () => {
    const seen = h.states.length;
    const out = await consume(await streamOf());
    expect(out).toMatchObject({ text: FULL_TEXT, finish: 'stop', usage: undefined, error: undefined });
    expect(h.upstream.requests[0]!.body.stream_options).toEqual({ include_usage: true });
    const state = await lastState(h, seen + 1);
    expect(state).toMatchObject({ stream: true, attempts: 1, model: 'up-model' });
    expect(state.usage).toEqual({ prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 });
    expect(state.upstreamMs).toBeGreaterThan(0);
  });

  it('passes usage on when the client asked for it', async () => {
    const out = await consume(await streamOf({ stream_options: { include_usage: true } }));
    expect(out.usage).toEqual({ prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 });
  });

  it('sends OpenAI wire format: event-stream headers, chunks without usage nulls, then [DONE]', async () => {
    const res = await raw();
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(res.headers['cache-control']).toContain('no-cache');
    const data = events(res.body as string);
    expect(data.at(-1)).toBe('[DONE]');
    for (const d of data.slice(0, -1)) expect(JSON.parse(d)).not.toHaveProperty('usage');
  });

  it('retries a stream that fails before its first chunk', async () => {
    h.upstream.script.push({ resetAfterChunks: 0 });
    const out = await consume(await streamOf());
    expect(out.text).toBe(FULL_TEXT);
    expect(h.upstream.requests).toHaveLength(2);
  });

  it('retries a 500 on a stream request', async () => {
    h.upstream.script.push({ status: 500 });
    const out = await consume(await streamOf());
    expect(out.text).toBe(FULL_TEXT);
  });

  it('never retries after the first byte: a reset mid-stream ends with an in-band error the SDK raises', async () => {
    h.upstream.script.push({ resetAfterChunks: 3 });
    const seen = h.states.length;
    const out = await consume(await streamOf());
    expect(out.error).toBeInstanceOf(OpenAI.APIError);
    expect((out.error as InstanceType<typeof OpenAI.APIError>).code).toBe('upstream_error');
    expect(FULL_TEXT.startsWith(out.text)).toBe(true);
    expect(out.text.length).toBeGreaterThan(0);
    expect(h.upstream.requests).toHaveLength(1);
    const state = await lastState(h, seen + 1);
    expect(state.error).toEqual({ status: 502, code: 'upstream_error' });
    // Usage is estimated when the provider never sent it, so budgets still see the cost.
    expect(state.usage!.total_tokens).toBeGreaterThan(0);
  });

  it('ends a reset stream cleanly on the wire: an error event, no [DONE]', async () => {
    h.upstream.script.push({ resetAfterChunks: 3 });
    const res = await raw();
    const data = events(res.body as string);
    expect(JSON.parse(data.at(-1)!)).toEqual({
      error: {
        message: 'The model provider failed to answer.',
        type: 'upstream_error',
        code: 'upstream_error',
        param: null,
      },
    });
    expect(data).not.toContain('[DONE]');
  });

  it('turns malformed SSE from the provider into an in-band error', async () => {
    h.upstream.script.push({ malformedSse: true });
    const res = await raw();
    const body = res.body as string;
    expect(body).not.toContain('not json');
    expect(JSON.parse(events(body).at(-1)!).error.code).toBe('upstream_error');
  });

  it('hides a provider error event sent mid-stream', async () => {
    h.upstream.script.push({ sseErrorAfterChunks: 2 });
    const res = await raw();
    const body = res.body as string;
    expect(body).not.toContain('upstream secret detail');
    expect(body).not.toContain(UPSTREAM_KEY.slice(0, 12));
    expect(JSON.parse(events(body).at(-1)!).error.code).toBe('upstream_error');
  });

  it('reports a stream cut without finish_reason rather than faking an end', async () => {
    h.upstream.script.push({ truncateAfterChunks: 3 });
    const out = await consume(await streamOf());
    expect((out.error as InstanceType<typeof OpenAI.APIError>).code).toBe('upstream_error');
  });

  it('relays a slow drip chunk by chunk, as it arrives', async () => {
    h.upstream.script.push({ dripMs: 40 });
    const started = performance.now();
    const stream = await streamOf();
    let firstAt = 0;
    let text = '';
    for await (const chunk of stream) {
      if (firstAt === 0 && chunk.choices[0]?.delta.content) firstAt = performance.now() - started;
      text += chunk.choices[0]?.delta.content ?? '';
    }
    const total = performance.now() - started;
    expect(text).toBe(FULL_TEXT);
    // 9 frames 40 ms apart: the first text arrived long before the end (no buffering).
    expect(total).toBeGreaterThanOrEqual(300);
    expect(firstAt).toBeLessThan(total - 200);
  });

  it('closes the upstream connection within a second when the client leaves mid-stream', async () => {
    h.upstream.script.push({ stallAfterChunks: 3 });
    const seen = h.states.length;
    const stream = await streamOf();
    const it = stream[Symbol.asyncIterator]();
    expect((await it.next()).done).toBe(false);
    await waitFor(() => h.upstream.openConnections() > 0, 1000);
    const closedBefore = h.upstream.closedConnections;
    stream.controller.abort();
    const took = await waitFor(() => h.upstream.closedConnections > closedBefore, 1000);
    expect(took).toBeLessThan(1000);
    const state = await lastState(h, seen + 1);
    expect(state.attempts).toBe(1);
    // The lifecycle contract rateLimitByKey relies on: `settled` resolves once the aborted
    // call is over, with the usage then recorded (estimated here), and no controller is kept.
    const usage = await state.settled;
    expect(usage).toBe(state.usage);
    expect(usage!.total_tokens).toBeGreaterThan(0);
    expect(state.upstreamAbort).toBeUndefined();
  });

  it('stops the upstream when the client leaves during a slow drip', async () => {
    h.upstream.script.push({ dripMs: 200 });
    const stream = await streamOf();
    const it = stream[Symbol.asyncIterator]();
    await it.next();
    const closedBefore = h.upstream.closedConnections;
    stream.controller.abort();
    await waitFor(() => h.upstream.closedConnections > closedBefore, 1000);
  });
});

describe('callLLM stream idle timeout', () => {
  let h: LLMHarness;
  beforeAll(async () => (h = await startLLMApp({ timeoutMs: 1_000, idleTimeoutMs: 300 })));
  afterAll(() => h.close());

  it('ends a stream that goes silent with an in-band upstream_timeout', async () => {
    h.upstream.script.push({ stallAfterChunks: 3 });
    const closedBefore = h.upstream.closedConnections;
    const started = performance.now();
    const out = await consume(
      await h.sdk().chat.completions.create({ model: 'up-model', messages: userMessage(), stream: true }),
    );
    const elapsed = performance.now() - started;
    expect((out.error as InstanceType<typeof OpenAI.APIError>).code).toBe('upstream_timeout');
    expect(out.text.length).toBeGreaterThan(0);
    expect(elapsed).toBeGreaterThanOrEqual(300);
    expect(elapsed).toBeLessThan(300 + 3000);
    await waitFor(() => h.upstream.closedConnections > closedBefore, 1000);
  });

  it('a drip slower overall than timeoutMs but steady is fine', async () => {
    h.upstream.script.push({ dripMs: 150 });
    const out = await consume(
      await h.sdk().chat.completions.create({ model: 'up-model', messages: userMessage(), stream: true }),
    );
    expect(out.error).toBeUndefined();
    expect(out.text).toBe(FULL_TEXT);
  });
});

describe('callLLM client disconnects outside a stream', () => {
  let h: LLMHarness;
  beforeAll(async () => (h = await startLLMApp({ retries: 2, timeoutMs: 5_000 })));
  afterAll(() => h.close());

  it('aborts an in-flight JSON request upstream when the client leaves', async () => {
    h.upstream.script.push({ hang: true });
    const controller = new AbortController();
    const pending = h
      .sdk()
      .chat.completions.create({ model: 'up-model', messages: userMessage() }, { signal: controller.signal })
      .catch((e: unknown) => e);
    await waitFor(() => h.upstream.requests.length === 1, 1000);
    const closedBefore = h.upstream.closedConnections;
    controller.abort();
    expect(await pending).toBeInstanceOf(OpenAI.APIUserAbortError);
    const took = await waitFor(() => h.upstream.closedConnections > closedBefore, 1000);
    expect(took).toBeLessThan(1000);
  });

  it('makes no further attempt when the client leaves during a backoff wait', async () => {
    h.upstream.requests.length = 0;
    h.upstream.script.push({ status: 429, headers: { 'retry-after': '1' } });
    const controller = new AbortController();
    const pending = h
      .sdk()
      .chat.completions.create({ model: 'up-model', messages: userMessage() }, { signal: controller.signal })
      .catch((e: unknown) => e);
    await waitFor(() => h.upstream.requests.length === 1, 1000);
    controller.abort();
    await pending;
    await new Promise((r) => setTimeout(r, 1300));
    expect(h.upstream.requests).toHaveLength(1);
  });
});
