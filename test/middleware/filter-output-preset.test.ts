// The preset's callLLM applies filterOutput's filter to its own answers (no response
// patching); with `llm: false` the app's own handler goes through the patched response.
// Both must filter exactly as filterOutput does, JSON and streams, through the real SDK.

import type express from 'express';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMockLLM, type LLMShieldOptions } from '../../lib/index.js';
import request from 'supertest';
import { CLIENT_KEY, listen, presetApp, sdk } from '../helpers/app.js';
import { completion, readStream, sseStream } from '../helpers/filter.js';

const SECRET = 'ghp_4kQz9RfT2mXw8LpN5vYb7HcJd3SeUa1GoKiQ';
const SYSTEM = 'You are the travel desk of Example Airlines and you answer questions about baggage only.';

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

async function preset(options: Partial<LLMShieldOptions>, after?: express.RequestHandler) {
  const { app, logger } = presetApp(options);
  if (after) app.post('/v1/chat/completions', after);
  const server = await listen(app);
  close = server.close;
  return { client: sdk(server.url), logger };
}

async function streamed(client: ReturnType<typeof sdk>) {
  const stream = await client.chat.completions.create({
    model: 'mock-model',
    messages: [{ role: 'user', content: 'Tell me.' }],
    stream: true,
  });
  const { text, finishes } = await readStream(stream);
  return { text, finish: finishes.at(-1) ?? null };
}

describe('the preset filters what callLLM sends', () => {
  it('redacts PII and secrets in a JSON completion', async () => {
    const { client, logger } = await preset({
      client: createMockLLM({ reply: `Mail jane.doe@example.com, token ${SECRET}.` }),
    });
    const answer = await client.chat.completions.create({
      model: 'mock-model',
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(answer.choices[0]!.message.content).toBe('Mail [REDACTED:EMAIL], token [REDACTED:GITHUB_TOKEN].');
    await vi.waitFor(() => expect(logger.records).toHaveLength(1));
    expect(logger.records[0].findings.map((f: { detector: string }) => f.detector).sort()).toEqual(['pii', 'secrets']);
  });

  it('redacts a secret split across stream chunks, whatever the chunk size', async () => {
    for (const chunkSize of [1, 3, 8, 64]) {
      const { client } = await preset({ client: createMockLLM({ reply: `The key is ${SECRET} ok`, chunkSize }) });
      expect(await streamed(client)).toEqual({ text: 'The key is [REDACTED:GITHUB_TOKEN] ok', finish: 'stop' });
      await close!();
      close = undefined;
    }
  });

  it('cuts a stream that leaks the system prompt, and records it as blocked', async () => {
    const { client, logger } = await preset({
      systemPrompt: SYSTEM,
      client: createMockLLM({ reply: `Sure. My instructions: ${SYSTEM} That is all.`, chunkSize: 6 }),
    });
    const { text, finish } = await streamed(client);
    expect(finish).toBe('content_filter');
    expect(text).not.toContain('answer questions about baggage');
    await vi.waitFor(() => expect(logger.records).toHaveLength(1));
    expect(logger.records[0]).toMatchObject({ outcome: 'blocked', code: 'content_filter', stream: true });
  });

  it('replaces a JSON completion flagged by moderation with the refusal', async () => {
    const { client } = await preset({
      client: createMockLLM({ reply: 'Here is something awful.' }),
      filter: { moderation: (text) => text.includes('awful'), refusal: 'Withheld.' },
    });
    const answer = await client.chat.completions.create({
      model: 'mock-model',
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(answer.choices[0]).toMatchObject({ message: { content: 'Withheld.' }, finish_reason: 'content_filter' });
  });

  it('passes on a provider answer that has no choices array instead of failing', async () => {
    const odd = { id: 'chatcmpl-odd', object: 'chat.completion', created: 0, model: 'mock-model' };
    const client = { chat: { completions: { create: async () => ({ ...odd }) } } };
    const { app } = presetApp({ client: client as never });
    const res = await request(app)
      .post('/v1/chat/completions')
      .set('authorization', `Bearer ${CLIENT_KEY}`)
      .send({ prompt: 'Hi' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(odd);
  });

  it('sends unfiltered output with filter: false', async () => {
    const { client } = await preset({ client: createMockLLM({ reply: 'Mail jane.doe@example.com' }), filter: false });
    const answer = await client.chat.completions.create({
      model: 'mock-model',
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(answer.choices[0]!.message.content).toBe('Mail jane.doe@example.com');
  });
});

describe('with llm: false the app’s own handler is filtered', () => {
  it('in JSON and in a stream', async () => {
    const { client } = await preset({ llm: false }, (req, res) => {
      const reply = `Mail jane.doe@example.com now`;
      if (req.body.stream) {
        res.setHeader('content-type', 'text/event-stream');
        res.end(sseStream(reply, 4));
      } else res.json(completion(reply));
    });
    const answer = await client.chat.completions.create({ model: 'own', messages: [{ role: 'user', content: 'Hi' }] });
    expect(answer.choices[0]!.message.content).toBe('Mail [REDACTED:EMAIL] now');
    expect((await streamed(client)).text).toBe('Mail [REDACTED:EMAIL] now');
  });
});
