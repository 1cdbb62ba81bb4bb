// The Responses event-stream filter on its own: every channel of model text redacted in
// every event, the deltas joined equal to the final events' text and to whole-text
// filtering for every chunking (property), blocks ending in response.incomplete, unknown
// events dropped.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OutputPolicy, policyConfig } from '../../lib/stream/output-policy.js';
import { SseParser } from '../../lib/stream/sse.js';
import { ResponsesStreamFilter } from '../../lib/responses/stream.js';
import { textPolicy } from '../helpers/stream-text.js';

const EMAIL = 'jane.doe@example.com';
const SECRET = 'ghp_Ab3dEf6hIj9kLmN0pQr5tUv8wXyZ1a2B4c6D';

/** The events OpenAI streams for one message with `text` (deltas cut at `cuts`), a summary and a tool call. */
function upstreamEvents(text: string, cuts: readonly number[], extra = { summary: '', args: '' }): object[] {
  const split = (s: string): string[] => {
    const out: string[] = [];
    let k = 0;
    for (let i = 0; i < s.length;) {
      const n = Math.max(1, cuts[k++ % Math.max(1, cuts.length)] ?? 4);
      out.push(s.slice(i, i + n));
      i += n;
    }
    return out;
  };
  const message = {
    type: 'message',
    id: 'msg_1',
    role: 'assistant',
    status: 'completed',
    content: [{ type: 'output_text', text, annotations: [] }],
  };
  const reasoning = { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: extra.summary }] };
  const call = {
    type: 'function_call',
    id: 'fc_1',
    call_id: 'c',
    name: 'f',
    arguments: extra.args,
    status: 'completed',
  };
  const base = { id: 'resp_1', object: 'response', created_at: 1, model: 'm' };
  const m = { item_id: 'msg_1', output_index: 2, content_index: 0 };
  const s = { item_id: 'rs_1', output_index: 0, summary_index: 0 };
  const a = { item_id: 'fc_1', output_index: 1 };
  return [
    { type: 'response.created', response: { ...base, status: 'in_progress', output: [] } },
    { type: 'response.output_item.added', output_index: 0, item: { ...reasoning, summary: [] } },
    { type: 'response.reasoning_summary_part.added', ...s, part: { type: 'summary_text', text: '' } },
    ...split(extra.summary).map((d) => ({ type: 'response.reasoning_summary_text.delta', ...s, delta: d })),
    { type: 'response.reasoning_summary_text.done', ...s, text: extra.summary },
    { type: 'response.reasoning_summary_part.done', ...s, part: { type: 'summary_text', text: extra.summary } },
    { type: 'response.output_item.done', output_index: 0, item: reasoning },
    { type: 'response.output_item.added', output_index: 1, item: { ...call, arguments: '' } },
    ...split(extra.args).map((d) => ({ type: 'response.function_call_arguments.delta', ...a, delta: d })),
    { type: 'response.function_call_arguments.done', ...a, arguments: extra.args },
    { type: 'response.output_item.done', output_index: 1, item: call },
    { type: 'response.output_item.added', output_index: 2, item: { ...message, content: [] } },
    { type: 'response.content_part.added', ...m, part: { type: 'output_text', text: '', annotations: [] } },
    ...split(text).map((d) => ({ type: 'response.output_text.delta', ...m, delta: d, logprobs: [] })),
    {
      type: 'response.output_text.annotation.added',
      ...m,
      annotation_index: 0,
      annotation: { type: 'url_citation', title: text },
    },
    { type: 'response.web_search_call.searching', output_index: 3, item_id: 'ws_1' },
    { type: 'response.output_text.done', ...m, text, logprobs: [] },
    { type: 'response.content_part.done', ...m, part: message.content[0] },
    { type: 'response.output_item.done', output_index: 2, item: message },
    {
      type: 'response.completed',
      response: {
        ...base,
        status: 'completed',
        output: [reasoning, call, message],
        usage: { input_tokens: 1, output_tokens: 2, total_tokens: 3 },
      },
    },
  ].map((e, n) => ({ ...e, sequence_number: n }));
}

function sse(events: object[]): string {
  return events.map((e) => `event: ${(e as { type: string }).type}\ndata: ${JSON.stringify(e)}\n\n`).join('');
}

/** Runs the filter over `wire` written in pieces of the given sizes; returns the events it sent. */
function run(policy: OutputPolicy, wire: string, sizes: readonly number[] = [wire.length]) {
  const written: string[] = [];
  let blocked = false;
  const filter = new ResponsesStreamFilter(policy, {
    write: (t) => void written.push(t),
    findings: () => undefined,
    blocked: () => void (blocked = true),
  });
  let k = 0;
  for (let i = 0; i < wire.length;) {
    const n = Math.max(1, sizes[k++ % sizes.length]!);
    filter.push(wire.slice(i, i + n));
    i += n;
  }
  filter.close();
  const parser = new SseParser();
  const events = [...parser.push(written.join('')), ...parser.flush()].map((e) => JSON.parse(e.data!));
  return { events, blocked, raw: written.join('') };
}

/** Every text a channel's events and the final objects carry, checked against each other. */
function channelTexts(events: any[]) {
  const join = (type: string) =>
    events
      .filter((e) => e.type === type)
      .map((e) => e.delta)
      .join('');
  const one = (type: string) => events.find((e) => e.type === type);
  const completed = one('response.completed')?.response;
  return {
    text: join('response.output_text.delta'),
    textDone: one('response.output_text.done')?.text,
    partDone: one('response.content_part.done')?.part.text,
    itemDone: events.filter((e) => e.type === 'response.output_item.done').at(-1)?.item.content[0].text,
    completedText: completed?.output.find((i: any) => i.type === 'message').content[0].text,
    summary: join('response.reasoning_summary_text.delta'),
    summaryDone: one('response.reasoning_summary_text.done')?.text,
    completedSummary: completed?.output.find((i: any) => i.type === 'reasoning').summary[0].text,
    args: join('response.function_call_arguments.delta'),
    argsDone: one('response.function_call_arguments.done')?.arguments,
    completedArgs: completed?.output.find((i: any) => i.type === 'function_call').arguments,
  };
}

const policy = textPolicy('redact', 'redact');

describe('ResponsesStreamFilter', () => {
  it('redacts every channel in every event; deltas joined equal the done, part, item and completed text', () => {
    const text = `Write to ${EMAIL} with token ${SECRET} today.`;
    const summary = `The user wants ${EMAIL}.`;
    const args = JSON.stringify({ to: EMAIL });
    const { events, raw } = run(policy, sse(upstreamEvents(text, [3, 7, 1], { summary, args })), [13, 5, 64]);
    expect(raw).not.toContain(EMAIL);
    expect(raw).not.toContain(SECRET);
    const t = channelTexts(events);
    const whole = policy.whole(text).text;
    expect(whole).toContain('[REDACTED:EMAIL]');
    expect([t.text, t.textDone, t.partDone, t.itemDone, t.completedText]).toEqual(Array(5).fill(whole));
    const wholeSummary = policy.whole(summary).text;
    expect([t.summary, t.summaryDone, t.completedSummary]).toEqual(Array(3).fill(wholeSummary));
    const wholeArgs = policy.whole(args).text;
    expect([t.args, t.argsDone, t.completedArgs]).toEqual(Array(3).fill(wholeArgs));
    expect(JSON.parse(t.args)).toEqual({ to: '[REDACTED:EMAIL]' });
  });

  it('drops events it does not know, renumbers the rest, and keeps the event names', () => {
    const { events, raw } = run(policy, sse(upstreamEvents('Plain text.', [4])));
    expect(events.some((e) => e.type === 'response.output_text.annotation.added')).toBe(false);
    expect(events.some((e) => e.type === 'response.web_search_call.searching')).toBe(false);
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_e, n) => n));
    expect(raw).toMatch(/^event: response.created\ndata: /);
  });

  it('drops what is not JSON, and rewrites an error event without the provider text it cannot vouch for', () => {
    const wire = `data: {not json\n\nevent: error\ndata: ${JSON.stringify({ type: 'error', message: `leak ${EMAIL}`, code: 'x' })}\n\n`;
    const { events } = run(policy, wire);
    expect(events).toEqual([
      { error: { message: 'leak [REDACTED:EMAIL]', type: 'server_error', code: 'x', param: null } },
    ]);
  });

  it('a block ends the stream with response.incomplete (content_filter), nothing blocked sent', () => {
    const blocking = new OutputPolicy(
      policyConfig({
        scan: { injection: 'off', pii: 'redact', secrets: 'block', normalize: false },
        urls: undefined,
        patterns: [],
        canary: false,
      }),
    );
    const text = `Here it is: ${SECRET} and more text after it.`;
    const { events, blocked, raw } = run(blocking, sse(upstreamEvents(text, [2])));
    expect(blocked).toBe(true);
    expect(raw).not.toContain(SECRET.slice(0, 12));
    const last = events.at(-1);
    expect(last.type).toBe('response.incomplete');
    expect(last.response).toMatchObject({
      status: 'incomplete',
      incomplete_details: { reason: 'content_filter' },
      output: [],
    });
    expect(events.some((e) => e.type === 'response.completed')).toBe(false);
  });

  it('property: for any text and any chunking of deltas and bytes, every event carries whole-text filtering', () => {
    const piece = fc.oneof(
      fc.constantFrom(
        EMAIL,
        SECRET,
        '+1 415 555 0134',
        '4111 1111 1111 1111',
        'password=Hunter2xyzQ!',
        ' ',
        '\n',
        '. ',
      ),
      fc.string({ maxLength: 12 }),
      fc.constantFrom('hello', 'world', 'call', 'mail', 'key:', 'at', '@', 'ghp_'),
    );
    fc.assert(
      fc.property(
        fc.array(piece, { minLength: 1, maxLength: 14 }).map((p) => p.join(' ')),
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.integer({ min: 1, max: 200 }), { minLength: 1, maxLength: 6 }),
        (text, deltaCuts, byteCuts) => {
          const { events } = run(policy, sse(upstreamEvents(text, deltaCuts, { summary: text, args: text })), byteCuts);
          const t = channelTexts(events);
          const whole = policy.whole(text).text;
          expect([t.text, t.textDone, t.partDone, t.itemDone, t.completedText]).toEqual(Array(5).fill(whole));
          expect([t.summary, t.summaryDone, t.completedSummary, t.args, t.argsDone, t.completedArgs]).toEqual(
            Array(6).fill(whole),
          );
        },
      ),
      { numRuns: 150 },
    );
  });
});
