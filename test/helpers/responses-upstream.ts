// A local provider of the Responses API on 127.0.0.1 for tests: `POST /v1/responses`,
// JSON and streamed events as OpenAI sends them (`event:` lines, sequence numbers), with
// faults. Written from OpenAI's documented event stream, independently of lib/responses,
// so that the shield is tested against the wire format and not against itself.

import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type ResponsesFault =
  | { status: number }
  /** This many events, then the connection is dropped. */
  | { resetAfterEvents: number }
  /** This many events, then a provider `error` event carrying its own text. */
  | { errorEventAfter: number }
  /** Waits this long between events. */
  | { dripMs: number };

/** What the upstream answers with: the reply text, and optionally extra output items before the message. */
export interface ResponsesReply {
  text: string;
  /** A reasoning summary streamed before the message. */
  summary?: string;
  /** A function call streamed before the message. */
  toolArguments?: string;
  /** Text deltas are cut at these lengths in turn (default: 5 characters each). */
  cuts?: readonly number[];
  /** The response fails (status `failed`, an error with the provider's own text). */
  fail?: boolean;
}

export interface ResponsesUpstream {
  baseURL: string;
  requests: any[];
  script: ResponsesFault[];
  reply: ResponsesReply | ((body: any) => ResponsesReply);
  /** Streamed answers still being written. */
  openStreams(): number;
  close(): Promise<void>;
}

export const RESPONSES_USAGE = { input_tokens: 13, output_tokens: 9, total_tokens: 22 };

function pieces(text: string, cuts: readonly number[] | undefined): string[] {
  const out: string[] = [];
  let i = 0;
  let k = 0;
  while (i < text.length) {
    const n = Math.max(1, cuts && cuts.length > 0 ? cuts[k++ % cuts.length]! : 5);
    out.push(text.slice(i, i + n));
    i += n;
  }
  return out;
}

/** The items of the finished response. */
function outputItems(r: ResponsesReply): any[] {
  const items: any[] = [];
  if (r.summary !== undefined)
    items.push({ type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: r.summary }] });
  if (r.toolArguments !== undefined)
    items.push({
      type: 'function_call',
      id: 'fc_1',
      call_id: 'call_1',
      name: 'lookup',
      arguments: r.toolArguments,
      status: 'completed',
    });
  items.push({
    type: 'message',
    id: 'msg_1',
    status: 'completed',
    role: 'assistant',
    content: [{ type: 'output_text', text: r.text, annotations: [] }],
  });
  return items;
}

function responseObject(body: any, r: ResponsesReply, status: string): any {
  const done = status === 'completed' || status === 'failed';
  return {
    id: 'resp_up_1',
    object: 'response',
    created_at: 1_700_000_000,
    status,
    model: body.model,
    instructions: body.instructions ?? null,
    output: done ? outputItems(r) : [],
    incomplete_details: null,
    error: status === 'failed' ? { code: 'server_error', message: 'upstream secret detail' } : null,
    usage: done ? RESPONSES_USAGE : null,
  };
}

/** The events of one streamed response, in order, without sequence numbers. */
function events(body: any, r: ResponsesReply): any[] {
  const out: any[] = [
    { type: 'response.created', response: responseObject(body, r, 'in_progress') },
    { type: 'response.in_progress', response: responseObject(body, r, 'in_progress') },
  ];
  const items = outputItems(r);
  items.forEach((item, index) => {
    if (item.type === 'reasoning') {
      out.push({ type: 'response.output_item.added', output_index: index, item: { ...item, summary: [] } });
      const at = { item_id: item.id, output_index: index, summary_index: 0 };
      out.push({ type: 'response.reasoning_summary_part.added', ...at, part: { type: 'summary_text', text: '' } });
      for (const d of pieces(r.summary!, r.cuts))
        out.push({ type: 'response.reasoning_summary_text.delta', ...at, delta: d });
      out.push({ type: 'response.reasoning_summary_text.done', ...at, text: r.summary });
      out.push({
        type: 'response.reasoning_summary_part.done',
        ...at,
        part: { type: 'summary_text', text: r.summary },
      });
    } else if (item.type === 'function_call') {
      out.push({ type: 'response.output_item.added', output_index: index, item: { ...item, arguments: '' } });
      const at = { item_id: item.id, output_index: index };
      for (const d of pieces(r.toolArguments!, r.cuts))
        out.push({ type: 'response.function_call_arguments.delta', ...at, delta: d });
      out.push({ type: 'response.function_call_arguments.done', ...at, arguments: r.toolArguments });
    } else {
      out.push({
        type: 'response.output_item.added',
        output_index: index,
        item: { ...item, status: 'in_progress', content: [] },
      });
      const at = { item_id: item.id, output_index: index, content_index: 0 };
      out.push({
        type: 'response.content_part.added',
        ...at,
        part: { type: 'output_text', text: '', annotations: [] },
      });
      for (const d of pieces(r.text, r.cuts))
        out.push({ type: 'response.output_text.delta', ...at, delta: d, logprobs: [] });
      out.push({ type: 'response.output_text.done', ...at, text: r.text, logprobs: [] });
      out.push({ type: 'response.content_part.done', ...at, part: item.content[0] });
      // An event the shield does not know: never relayed.
      out.push({
        type: 'response.output_text.annotation.added',
        ...at,
        annotation_index: 0,
        annotation: { type: 'url_citation', url: 'https://evil.example/', title: r.text },
      });
    }
    out.push({ type: 'response.output_item.done', output_index: index, item });
  });
  const end = r.fail ? 'failed' : 'completed';
  out.push({ type: `response.${end}`, response: responseObject(body, r, end) });
  return out;
}

export async function startResponsesUpstream(
  reply: ResponsesUpstream['reply'] = { text: 'Hello from the Responses upstream.' },
): Promise<ResponsesUpstream> {
  const sockets = new Set<import('node:net').Socket>();
  const state = { requests: [] as any[], script: [] as ResponsesFault[], reply };
  let streaming = 0;
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (req.method !== 'POST' || !(req.url ?? '').endsWith('/responses')) {
      res.statusCode = 404;
      return res.end('{"error":{"message":"not found"}}');
    }
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    state.requests.push(body);
    const fault = state.script.shift();
    if (fault && 'status' in fault) {
      res.writeHead(fault.status, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ error: { message: 'upstream secret detail', type: 'server_error' } }));
    }
    const r = typeof state.reply === 'function' ? state.reply(body) : state.reply;
    if (body.stream !== true) {
      res.setHeader('content-type', 'application/json');
      return res.end(JSON.stringify(responseObject(body, r, r.fail ? 'failed' : 'completed')));
    }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    streaming++;
    res.on('close', () => streaming--);
    const all = events(body, r);
    for (let n = 0; n < all.length; n++) {
      if (res.destroyed) return;
      if (fault && 'dripMs' in fault && n > 0) await new Promise((resolve) => setTimeout(resolve, fault.dripMs));
      if (fault && 'resetAfterEvents' in fault && n === fault.resetAfterEvents) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        res.socket?.destroy();
        return;
      }
      if (fault && 'errorEventAfter' in fault && n === fault.errorEventAfter) {
        const error = { type: 'error', code: 'server_error', message: 'upstream secret detail', sequence_number: n };
        return void res.end(`event: error\ndata: ${JSON.stringify(error)}\n\n`);
      }
      const e = { ...all[n], sequence_number: n };
      res.write(`event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
    }
    res.end();
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    baseURL: `http://127.0.0.1:${port}/v1`,
    openStreams: () => streaming,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  });
}
