// POST /v1/responses through the preset, driven by the official SDK's client.responses.create,
// against a loopback Responses provider and against createMockLLM.

import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockLLM } from '../../lib/index.js';
import { listen, presetApp, sdk, type memoryLogger } from '../helpers/app.js';
import { RESPONSES_USAGE, startResponsesUpstream, type ResponsesUpstream } from '../helpers/responses-upstream.js';

type Logger = ReturnType<typeof memoryLogger>;

/** Every event of a stream, and the text its output_text deltas add up to. */
async function collect(stream: AsyncIterable<any>): Promise<{ events: any[]; text: string }> {
  const events: any[] = [];
  let text = '';
  for await (const e of stream) {
    events.push(e);
    if (e.type === 'response.output_text.delta') text += e.delta;
  }
  return { events, text };
}

/** The audit records once the request's record is written (it is written when the response finishes). */
async function records(logger: Logger, count: number): Promise<any[]> {
  for (let i = 0; i < 100 && logger.records.length < count; i++) await new Promise((r) => setTimeout(r, 10));
  return logger.records;
}

describe('POST /v1/responses with a Responses-speaking upstream', () => {
  let upstream: ResponsesUpstream;
  let server: Awaited<ReturnType<typeof listen>>;
  let logger: Logger;
  let client: OpenAI;

  beforeAll(async () => {
    upstream = await startResponsesUpstream();
    const built = presetApp({
      client: new OpenAI({ baseURL: upstream.baseURL, apiKey: 'sk-up', maxRetries: 0 }),
      model: 'up-model',
      systemPrompt: 'You answer questions about the weather.',
    });
    logger = built.logger;
    server = await listen(built.app);
    client = sdk(server.url);
  });
  afterAll(async () => {
    await server.close();
    await upstream.close();
  });

  it('answers JSON: the SDK gets a response with its output_text, the server prompt went as instructions', async () => {
    upstream.reply = { text: 'It is sunny.' };
    const before = logger.records.length;
    const response = await client.responses.create({ model: 'up-model', input: 'Weather in Paris?' });
    expect(response.object).toBe('response');
    expect(response.status).toBe('completed');
    expect(response.output_text).toBe('It is sunny.');
    const sent = upstream.requests.at(-1);
    expect(sent.instructions).toMatch(/^You answer questions about the weather\./);
    expect(sent.input).toBe('Weather in Paris?');
    expect(sent.max_output_tokens).toBe(4096);
    // The provider echoes instructions back: the server's system prompt never reaches the client.
    expect(response.instructions).toBeNull();
    const all = await records(logger, before + 1);
    expect(all.length).toBe(before + 1);
    expect(all.at(-1)).toMatchObject({
      path: '/v1/responses',
      status: 200,
      outcome: 'allowed',
      usage: { prompt_tokens: 13, completion_tokens: 9, total_tokens: 22 },
    });
  });

  it('streams: events in order, numbered, deltas joined equal the completed text; usage in the audit record', async () => {
    upstream.reply = { text: 'Sunny, 24 degrees, light wind from the west.' };
    const before = logger.records.length;
    const stream = await client.responses.create({ model: 'up-model', input: 'Weather?', stream: true });
    const { events, text } = await collect(stream);
    const completed = events.at(-1);
    expect(completed.type).toBe('response.completed');
    expect(completed.response.usage).toEqual(RESPONSES_USAGE);
    expect(JSON.stringify(events)).not.toContain('questions about the weather');
    expect(text).toBe('Sunny, 24 degrees, light wind from the west.');
    expect(completed.response.output[0].content[0].text).toBe(text);
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_e, n) => n));
    // The annotation event is not one the filter knows: not relayed.
    expect(events.some((e) => e.type === 'response.output_text.annotation.added')).toBe(false);
    const all = await records(logger, before + 1);
    expect(all.at(-1)).toMatchObject({ stream: true, outcome: 'allowed', usage: { total_tokens: 22 } });
  });

  it('works with the SDK stream helper (responses.stream), whose accumulator checks the event order', async () => {
    upstream.reply = { text: 'Cloudy later.' };
    const stream = client.responses.stream({ model: 'up-model', input: 'Weather?' });
    const final = await stream.finalResponse();
    expect(final.output_text).toBe('Cloudy later.');
  });

  it("retries a failing provider (500, then a dropped stream) with callLLM's policy", async () => {
    const count = upstream.requests.length;
    upstream.script.push({ status: 500 });
    upstream.reply = { text: 'Second time lucky.' };
    expect((await client.responses.create({ model: 'up-model', input: 'Hi' })).output_text).toBe('Second time lucky.');
    expect(upstream.requests.length).toBe(count + 2);
    upstream.script.push({ resetAfterEvents: 0 });
    const events = await collect(await client.responses.create({ model: 'up-model', input: 'Hi', stream: true }));
    expect(events.text).toBe('Second time lucky.');
    expect(upstream.requests.length).toBe(count + 4);
  });

  it('a client that leaves mid-stream aborts the provider request; one audit record, outcome aborted', async () => {
    upstream.reply = { text: 'word '.repeat(400), cuts: [5] };
    upstream.script.push({ dripMs: 5 });
    const before = logger.records.length;
    const controller = new AbortController();
    const stream = await client.responses.create(
      { model: 'up-model', input: 'Hi', stream: true },
      { signal: controller.signal },
    );
    let seen = 0;
    // The SDK ends an aborted stream quietly or with an abort error: either way the loop stops.
    try {
      for await (const e of stream) if (e.type === 'response.output_text.delta' && ++seen === 3) controller.abort();
    } catch {
      // aborted
    }
    expect(seen).toBe(3);
    const all = await records(logger, before + 1);
    expect(all.length).toBe(before + 1);
    expect(all.at(-1)).toMatchObject({ outcome: 'aborted', stream: true });
    for (let i = 0; i < 100 && upstream.openStreams() > 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(upstream.openStreams()).toBe(0);
  });

  it('a provider failure is 502 upstream_error, never its text', async () => {
    upstream.script.push({ status: 400 });
    const err = (await client.responses.create({ model: 'up-model', input: 'Hi' }).catch((e: unknown) => e)) as any;
    expect(err.status).toBe(502);
    expect(err.code).toBe('upstream_error');
    expect(String(err.message)).not.toContain('secret detail');
  });

  it('a provider error event mid-stream ends the stream with an in-band error, never its text', async () => {
    upstream.script.push({ errorEventAfter: 5 });
    const stream = await client.responses.create({ model: 'up-model', input: 'Hi', stream: true });
    const err = (await collect(stream).catch((e: unknown) => e)) as any;
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect(String(err.message)).not.toContain('secret detail');
  });

  it('a failed response (provider text inside) is never relayed: in-band upstream_error', async () => {
    upstream.reply = { text: 'partial', fail: true };
    const stream = await client.responses.create({ model: 'up-model', input: 'Hi', stream: true });
    const err = (await collect(stream).catch((e: unknown) => e)) as any;
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect(err.code).toBe('upstream_error');
    const json = await client.responses.create({ model: 'up-model', input: 'Hi' });
    expect(json.status).toBe('failed');
    expect(JSON.stringify(json)).not.toContain('secret detail');
    upstream.reply = { text: 'ok' };
  });

  it('a chat body on /responses and a Responses body on /chat/completions are refused', async () => {
    const a = (await client.responses
      .create({ model: 'up-model', messages: [{ role: 'user', content: 'x' }] } as any)
      .catch((e: unknown) => e)) as any;
    expect([a.status, a.code, a.param]).toEqual([400, 'invalid_request', 'input']);
    const b = (await client.chat.completions
      .create({ model: 'up-model', input: 'x' } as any)
      .catch((e: unknown) => e)) as any;
    expect([b.status, b.code, b.param]).toEqual([400, 'invalid_request', 'messages']);
  });
});

describe('POST /v1/responses with createMockLLM', () => {
  let server: Awaited<ReturnType<typeof listen>>;
  let client: OpenAI;
  const mock = createMockLLM({ reply: 'The mock speaks Responses too.', chunkSize: 3 });

  beforeAll(async () => {
    server = await listen(presetApp({ client: mock }).app);
    client = sdk(server.url);
  });
  afterAll(() => server.close());

  it('answers JSON and streams', async () => {
    const json = await client.responses.create({ model: 'mock-model', input: [{ role: 'user', content: 'Hi' }] });
    expect(json.output_text).toBe('The mock speaks Responses too.');
    expect(json.usage!.total_tokens).toBeGreaterThan(0);
    const { events, text } = await collect(
      await client.responses.create({ model: 'mock-model', input: 'Hi', stream: true }),
    );
    expect(text).toBe('The mock speaks Responses too.');
    expect(events.at(-1).type).toBe('response.completed');
    const final = await client.responses.stream({ model: 'mock-model', input: 'Hi' }).finalResponse();
    expect(final.output_text).toBe('The mock speaks Responses too.');
  });
});
