// An app's own handler that answers like OpenAI, JSON or SSE, written in a chosen chunking.

import express, { type Express, type RequestHandler } from 'express';
import type OpenAI from 'openai';
import { filterOutput, type FilterOutputOptions } from '../../lib/index.js';

export const BASE = { id: 'chatcmpl-own-1', object: 'chat.completion.chunk', created: 1_700_000_000, model: 'own' };

export function completion(content: string) {
  return {
    id: 'chatcmpl-own-1',
    object: 'chat.completion',
    created: 1_700_000_000,
    model: 'own',
    choices: [
      { index: 0, message: { role: 'assistant', content, refusal: null }, finish_reason: 'stop', logprobs: null },
    ],
    usage: { prompt_tokens: 3, completion_tokens: 5, total_tokens: 8 },
  };
}

/** The SSE byte stream OpenAI would send for `text`, in deltas of `delta` characters. */
export function sseStream(text: string, delta = 5, eol = '\n'): string {
  const frames: object[] = [
    { ...BASE, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] },
  ];
  for (let i = 0; i < text.length; i += delta)
    frames.push({
      ...BASE,
      choices: [{ index: 0, delta: { content: text.slice(i, i + delta) }, finish_reason: null }],
    });
  frames.push({ ...BASE, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
  frames.push({ ...BASE, choices: [], usage: { prompt_tokens: 3, completion_tokens: 5, total_tokens: 8 } });
  return [...frames.map((f) => `data: ${JSON.stringify(f)}`), 'data: [DONE]'].map((l) => l + eol + eol).join('');
}

export type Chunking = (s: string) => string[];
export const CHUNKINGS: Record<string, Chunking> = {
  whole: (s) => [s],
  bytes7: (s) => s.match(/[\s\S]{1,7}/g) ?? [],
  perFrame: (s) => s.split(/(?<=\n\n)/),
  midLine: (s) => {
    // Pieces of 1..61 characters by a fixed sequence: splits land mid-line and mid-JSON.
    const out: string[] = [];
    for (let i = 0, k = 0; i < s.length; k++) {
      const n = 1 + ((k * 37) % 61);
      out.push(s.slice(i, i + n));
      i += n;
    }
    return out;
  },
  severalFrames: (s) => {
    const frames = s.split(/(?<=\n\n)/);
    const out: string[] = [];
    for (let i = 0; i < frames.length; i += 3) out.push(frames.slice(i, i + 3).join(''));
    return out;
  },
};

/** An app with filterOutput before its own handler, which streams `body` in `pieces`. */
export function ownApp(
  options: FilterOutputOptions,
  answer: { json?: unknown; sse?: string; chunking?: Chunking; buffers?: boolean; writeHead?: boolean },
): Express {
  const app = express();
  app.use(express.json());
  const handler: RequestHandler = (_req, res) => {
    if (answer.json !== undefined) return void res.json(answer.json);
    if (answer.writeHead) res.writeHead(200, { 'content-type': 'text/event-stream' });
    else res.setHeader('Content-Type', 'text/event-stream');
    const pieces = (answer.chunking ?? CHUNKINGS.whole!)(answer.sse ?? '');
    for (const p of pieces) res.write(answer.buffers ? Buffer.from(p, 'utf8') : p);
    res.end();
  };
  app.post('/chat', filterOutput(options), handler);
  return app;
}

/** The content and finish reasons of an SSE body. */
export function readSse(body: string): { content: string; finish: string[]; done: boolean; frames: any[] } {
  let content = '';
  const finish: string[] = [];
  const frames: any[] = [];
  let done = false;
  for (const event of body.split(/\r?\n\r?\n/)) {
    const data = event
      .split(/\r?\n/)
      .filter((l) => l.startsWith('data:'))
      .map((l) => l.slice(5).trimStart())
      .join('\n');
    if (data === '') continue;
    if (data === '[DONE]') {
      done = true;
      continue;
    }
    const f = JSON.parse(data);
    frames.push(f);
    for (const c of f.choices ?? []) {
      if (typeof c.delta?.content === 'string') content += c.delta.content;
      if (c.finish_reason) finish.push(c.finish_reason);
    }
  }
  return { content, finish, done, frames };
}

/** What an SDK stream delivered: the text of choice 0, its finish reasons in order, the usage. */
export async function readStream(stream: AsyncIterable<OpenAI.ChatCompletionChunk>) {
  let text = '';
  const finishes: string[] = [];
  let usage: OpenAI.CompletionUsage | undefined;
  for await (const chunk of stream) {
    text += chunk.choices[0]?.delta.content ?? '';
    const finish = chunk.choices[0]?.finish_reason;
    if (finish) finishes.push(finish);
    if (chunk.usage) usage = chunk.usage;
  }
  return { text, finishes, usage };
}
