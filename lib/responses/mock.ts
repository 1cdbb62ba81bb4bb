// The Responses answers of createMockLLM: a `response` object and the events that stream
// it, built from a reply text as OpenAI shapes them (created, in progress, the message item
// and its output_text part opened, text deltas, then everything closed and completed).

import type { ResponseObject, ResponseStreamEvent, ResponsesUsage } from './types.js';

/** What one mock answer is made of. */
export interface MockResponseParts {
  id: string;
  model: string;
  text: string;
  usage: ResponsesUsage;
  /** Characters per text delta. */
  chunkSize: number;
}

/** The completed `response` object. */
export function mockResponse(p: MockResponseParts): ResponseObject {
  return {
    id: p.id,
    object: 'response',
    created_at: Math.floor(Date.now() / 1000),
    status: 'completed',
    model: p.model,
    output: [
      {
        type: 'message',
        id: `msg_${p.id}`,
        status: 'completed',
        role: 'assistant',
        content: [{ type: 'output_text', text: p.text, annotations: [] }],
      },
    ],
    incomplete_details: null,
    error: null,
    usage: p.usage,
  };
}

/** The events that stream that response, numbered in order. */
export function mockResponseEvents(p: MockResponseParts): ResponseStreamEvent[] {
  const done = mockResponse(p);
  const pending: ResponseObject = { ...done, status: 'in_progress', output: [], usage: null };
  const item = { type: 'message', id: `msg_${p.id}`, role: 'assistant' };
  const at = { item_id: item.id, output_index: 0, content_index: 0 };
  const events: ResponseStreamEvent[] = [
    { type: 'response.created', response: pending },
    { type: 'response.in_progress', response: pending },
    { type: 'response.output_item.added', output_index: 0, item: { ...item, status: 'in_progress', content: [] } },
    { type: 'response.content_part.added', ...at, part: { type: 'output_text', text: '', annotations: [] } },
  ];
  for (let i = 0; i < p.text.length; i += p.chunkSize)
    events.push({ type: 'response.output_text.delta', ...at, delta: p.text.slice(i, i + p.chunkSize), logprobs: [] });
  events.push(
    { type: 'response.output_text.done', ...at, text: p.text, logprobs: [] },
    { type: 'response.content_part.done', ...at, part: { type: 'output_text', text: p.text, annotations: [] } },
    { type: 'response.output_item.done', output_index: 0, item: done.output[0] },
    { type: 'response.completed', response: done },
  );
  return events.map((e, n) => ({ ...e, sequence_number: n }));
}
