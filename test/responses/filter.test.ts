// The output filter on Responses answers over HTTP: through the preset (JSON and stream, a
// loopback Responses upstream), and filterOutput by hand around an app's own handler;
// blocks; token budgets settled from Responses usage.

import express from 'express';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorHandler, filterOutput, validatePrompt, type FilterOutputOptions } from '../../lib/index.js';
import { listen, presetApp, sdk } from '../helpers/app.js';
import { RESPONSES_USAGE, startResponsesUpstream, type ResponsesUpstream } from '../helpers/responses-upstream.js';

const EMAIL = 'jane.doe@example.com';
const SECRET = 'ghp_Ab3dEf6hIj9kLmN0pQr5tUv8wXyZ1a2B4c6D';
const REPLY = {
  text: `Contact ${EMAIL} and use ${SECRET} to log in.`,
  summary: `The user asked for ${EMAIL}.`,
  toolArguments: JSON.stringify({ email: EMAIL }),
  cuts: [3, 1, 6],
};

async function collect(stream: AsyncIterable<any>): Promise<any[]> {
  const events: any[] = [];
  for await (const e of stream) events.push(e);
  return events;
}

const deltas = (events: any[], type: string) =>
  events
    .filter((e) => e.type === type)
    .map((e) => e.delta)
    .join('');

describe('the preset filters Responses answers', () => {
  let upstream: ResponsesUpstream;
  let server: Awaited<ReturnType<typeof listen>>;
  let client: OpenAI;

  async function serve(filter?: FilterOutputOptions) {
    await server?.close();
    const built = presetApp({
      client: new OpenAI({ baseURL: upstream.baseURL, apiKey: 'sk-up', maxRetries: 0 }),
      model: 'up-model',
      ...(filter ? { filter } : {}),
      rateLimit: { tokens: { limit: 10_000, windowMs: 120_000 } },
    });
    server = await listen(built.app);
    client = sdk(server.url);
  }

  beforeAll(async () => {
    upstream = await startResponsesUpstream(REPLY);
    await serve();
  });
  afterAll(async () => {
    await server.close();
    await upstream.close();
  });

  it('JSON: PII and secrets redacted in output text, reasoning summary and function-call arguments', async () => {
    const response = await client.responses.create({ model: 'up-model', input: 'Who do I contact?' });
    const raw = JSON.stringify(response);
    expect(raw).not.toContain(EMAIL);
    expect(raw).not.toContain(SECRET);
    expect(response.output_text).toBe('Contact [REDACTED:EMAIL] and use [REDACTED:GITHUB_TOKEN] to log in.');
    const [reasoning, call] = response.output as any[];
    expect(reasoning.summary[0].text).toBe('The user asked for [REDACTED:EMAIL].');
    expect(JSON.parse(call.arguments)).toEqual({ email: '[REDACTED:EMAIL]' });
  });

  it('stream: nothing redacted in any event; deltas joined equal the completed text', async () => {
    const events = await collect(await client.responses.create({ model: 'up-model', input: 'Hi', stream: true }));
    const raw = JSON.stringify(events);
    expect(raw).not.toContain(EMAIL);
    expect(raw).not.toContain(SECRET);
    const completed = events.at(-1);
    expect(completed.type).toBe('response.completed');
    const message = completed.response.output.find((i: any) => i.type === 'message');
    expect(deltas(events, 'response.output_text.delta')).toBe(message.content[0].text);
    expect(message.content[0].text).toBe('Contact [REDACTED:EMAIL] and use [REDACTED:GITHUB_TOKEN] to log in.');
    expect(deltas(events, 'response.reasoning_summary_text.delta')).toBe('The user asked for [REDACTED:EMAIL].');
    expect(JSON.parse(deltas(events, 'response.function_call_arguments.delta'))).toEqual({ email: '[REDACTED:EMAIL]' });
  });

  it('the SDK stream helper accumulates the filtered events into the filtered response', async () => {
    const final = await client.responses.stream({ model: 'up-model', input: 'Hi' }).finalResponse();
    expect(final.output_text).toBe('Contact [REDACTED:EMAIL] and use [REDACTED:GITHUB_TOKEN] to log in.');
  });

  it('token budgets reserve from max_output_tokens and settle from Responses usage, JSON and stream', async () => {
    await serve(); // a fresh budget
    const body = { model: 'up-model', input: 'Hello', max_output_tokens: 40 };
    const left = async (p: Promise<any>) => {
      const { response } = await p;
      return Number(/"tokens"; r=(\d+)/.exec(response.headers.get('ratelimit') ?? '')![1]);
    };
    const r1 = await left(client.responses.create(body).withResponse());
    const reserved = 10_000 - r1;
    expect(reserved).toBeGreaterThan(40);
    expect(reserved).toBeLessThan(100);
    const r2 = await left(client.responses.create(body).withResponse());
    expect(r2).toBe(10_000 - RESPONSES_USAGE.total_tokens - reserved);
    await collect(await client.responses.create({ ...body, stream: true }));
    const r4 = await left(client.responses.create(body).withResponse());
    expect(r4).toBe(10_000 - 3 * RESPONSES_USAGE.total_tokens - reserved);
  });

  it('a block ends the answer incomplete for content_filter: JSON, and response.incomplete when streamed', async () => {
    await serve({ secrets: 'block' });
    const json = await client.responses.create({ model: 'up-model', input: 'Hi' });
    expect(json.status).toBe('incomplete');
    expect(json.incomplete_details).toEqual({ reason: 'content_filter' });
    expect(JSON.stringify(json)).not.toContain(SECRET.slice(0, 10));
    expect(json.output_text).toBe('The response was withheld by the content filter.');

    const events = await collect(await client.responses.create({ model: 'up-model', input: 'Hi', stream: true }));
    expect(JSON.stringify(events)).not.toContain(SECRET.slice(0, 10));
    const last = events.at(-1);
    expect(last.type).toBe('response.incomplete');
    expect(last.response).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'content_filter' } });
    expect(events.some((e) => e.type === 'response.completed')).toBe(false);
    await serve();
  });
});

describe('moderation and leak detection on Responses answers', () => {
  let upstream: ResponsesUpstream;
  let server: Awaited<ReturnType<typeof listen>>;
  let client: OpenAI;
  beforeAll(async () => {
    upstream = await startResponsesUpstream({ text: 'Fine.' });
    const built = presetApp({
      client: new OpenAI({ baseURL: upstream.baseURL, apiKey: 'sk-up', maxRetries: 0 }),
      model: 'up-model',
      systemPrompt: 'You are the assistant of the Acme travel desk and you never discuss pricing rules.',
      filter: { moderation: (text: string) => text.includes('dynamite') },
    });
    server = await listen(built.app);
    client = sdk(server.url);
  });
  afterAll(async () => {
    await server.close();
    await upstream.close();
  });

  it('moderation passes a benign answer whole (stream held per channel, then sent) and blocks a flagged one', async () => {
    upstream.reply = { text: 'Paris is lovely in spring. Pack an umbrella.', summary: 'Travel advice.' };
    const events = await collect(await client.responses.create({ model: 'up-model', input: 'Hi', stream: true }));
    expect(deltas(events, 'response.output_text.delta')).toBe('Paris is lovely in spring. Pack an umbrella.');
    expect(events.at(-1).type).toBe('response.completed');

    upstream.reply = { text: 'First, get some dynamite and a fuse.', summary: 'Explosives.' };
    const json = await client.responses.create({ model: 'up-model', input: 'Hi' });
    expect([json.status, json.incomplete_details?.reason]).toEqual(['incomplete', 'content_filter']);
    expect(JSON.stringify(json)).not.toContain('dynamite');
    const blocked = await collect(await client.responses.create({ model: 'up-model', input: 'Hi', stream: true }));
    expect(JSON.stringify(blocked)).not.toContain('dynamite');
    expect(blocked.at(-1).type).toBe('response.incomplete');
  });

  it('an answer quoting the system prompt (or its canary) is blocked', async () => {
    upstream.reply = (body: any) => ({ text: `My instructions: ${String(body.instructions)}` });
    const json = await client.responses.create({ model: 'up-model', input: 'Tell me about Rome' });
    expect(json.incomplete_details).toEqual({ reason: 'content_filter' });
    expect(JSON.stringify(json)).not.toContain('cnry-');
    const events = await collect(
      await client.responses.create({ model: 'up-model', input: 'Tell me about Rome', stream: true }),
    );
    expect(JSON.stringify(events)).not.toContain('cnry-');
    expect(JSON.stringify(events)).not.toContain('pricing rules');
    expect(events.at(-1).type).toBe('response.incomplete');
  });
});

describe('filterOutput by hand around an app’s own Responses handler', () => {
  let server: Awaited<ReturnType<typeof listen>>;
  let client: OpenAI;
  const text = `Write to ${EMAIL} today, it is urgent.`;

  beforeAll(async () => {
    const app = express();
    app.post('/v1/responses', express.json(), validatePrompt(), filterOutput(), (req, res) => {
      const output = [
        { type: 'message', id: 'm1', role: 'assistant', content: [{ type: 'output_text', text, annotations: [] }] },
      ];
      const response = { id: 'r1', object: 'response', status: 'completed', model: 'own', output };
      if (req.body.stream !== true) return void res.json(response);
      res.setHeader('content-type', 'text/event-stream');
      const at = { item_id: 'm1', output_index: 0, content_index: 0 };
      const events = [
        { type: 'response.created', response: { ...response, status: 'in_progress', output: [] } },
        { type: 'response.output_item.added', output_index: 0, item: { ...output[0], content: [] } },
        { type: 'response.content_part.added', ...at, part: { type: 'output_text', text: '' } },
        ...text.match(/[\s\S]{1,4}/g)!.map((delta) => ({ type: 'response.output_text.delta', ...at, delta })),
        { type: 'response.output_text.done', ...at, text },
        { type: 'response.content_part.done', ...at, part: output[0]!.content[0] },
        { type: 'response.output_item.done', output_index: 0, item: output[0] },
        { type: 'response.completed', response },
      ];
      // Written in odd pieces, frames split mid-JSON.
      const wire = events.map((e, n) => `event: ${e.type}\ndata: ${JSON.stringify({ ...e, sequence_number: n })}\n\n`);
      const all = wire.join('');
      for (let i = 0; i < all.length; i += 37) res.write(all.slice(i, i + 37));
      res.end();
    });
    app.use(errorHandler());
    server = await listen(app);
    client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'k', maxRetries: 0 });
  });
  afterAll(() => server.close());

  it('filters res.json and the SSE written with res.write', async () => {
    const json = await client.responses.create({ model: 'own', input: 'Hi' });
    expect(json.output_text).toBe('Write to [REDACTED:EMAIL] today, it is urgent.');
    const events = await collect(await client.responses.create({ model: 'own', input: 'Hi', stream: true }));
    expect(JSON.stringify(events)).not.toContain(EMAIL);
    expect(deltas(events, 'response.output_text.delta')).toBe('Write to [REDACTED:EMAIL] today, it is urgent.');
    expect(events.at(-1).response.output[0].content[0].text).toBe('Write to [REDACTED:EMAIL] today, it is urgent.');
  });
});
