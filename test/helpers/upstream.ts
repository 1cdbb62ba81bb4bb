// A local OpenAI-compatible provider on 127.0.0.1 for tests: JSON and SSE answers, and a
// script of faults (statuses, hangs, resets mid-stream, malformed SSE, slow drip).

import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type UpstreamFault =
  | { status: number; headers?: Record<string, string>; body?: unknown }
  | { hang: true }
  | { resetAfterChunks: number }
  | { malformedSse: true }
  | { dripMs: number }
  /** Headers and this many frames, then silence with the connection held open. */
  | { stallAfterChunks: number }
  /** This many frames, then a clean end with no finish_reason and no `[DONE]`. */
  | { truncateAfterChunks: number }
  /** This many frames, then an in-band `data: {"error":…}` event carrying provider text. */
  | { sseErrorAfterChunks: number }
  /** Waits this long before answering normally. */
  | { delayMs: number };

export interface Upstream {
  /** Base URL for the OpenAI SDK, e.g. `http://127.0.0.1:1234/v1`. */
  baseURL: string;
  /** Request bodies received on /chat/completions, with arrival times. */
  requests: Array<{ body: any; at: number; headers: http.IncomingHttpHeaders }>;
  /** Faults applied to the next requests, in order. */
  script: UpstreamFault[];
  /** The reply text (or a function of the request body). */
  reply: string | ((body: any) => string);
  /** Client connections closed so far. */
  closedConnections: number;
  /** Client connections accepted so far (keep-alive reuse keeps this low). */
  connections: number;
  openConnections(): number;
  close(): Promise<void>;
}

export const UPSTREAM_KEY = 'sk-upstream-test-0123456789abcdefghijklmnop';

export async function startUpstream(reply: Upstream['reply'] = 'Hello from the loopback upstream.'): Promise<Upstream> {
  const sockets = new Set<import('node:net').Socket>();
  const state: Omit<Upstream, 'baseURL' | 'close' | 'openConnections'> = {
    requests: [],
    script: [],
    reply,
    closedConnections: 0,
    connections: 0,
  };
  let counter = 0;

  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = req.url ?? '';
    if (req.method === 'GET' && url.endsWith('/models')) {
      res.setHeader('content-type', 'application/json');
      return res.end(
        JSON.stringify({ object: 'list', data: [{ id: 'up-model', object: 'model', created: 0, owned_by: 'test' }] }),
      );
    }
    if (req.method !== 'POST' || !url.endsWith('/chat/completions')) {
      res.statusCode = 404;
      return res.end('{"error":{"message":"not found"}}');
    }
    let body: any;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      res.statusCode = 400;
      return res.end('{"error":{"message":"bad json"}}');
    }
    state.requests.push({ body, at: Date.now(), headers: req.headers });
    const fault = state.script.shift();
    if (fault && 'status' in fault) {
      res.writeHead(fault.status, { 'content-type': 'application/json', ...(fault.headers ?? {}) });
      return res.end(
        JSON.stringify(
          fault.body ?? {
            error: {
              message: `upstream secret detail ${UPSTREAM_KEY.slice(0, 12)}`,
              type: 'server_error',
              code: 'upstream_fault',
            },
          },
        ),
      );
    }
    if (fault && 'hang' in fault) return; // never answers
    if (fault && 'delayMs' in fault) await new Promise((r) => setTimeout(r, fault.delayMs));
    const text = typeof state.reply === 'function' ? state.reply(body) : state.reply;
    const id = `chatcmpl-up-${++counter}`;
    const created = 1_700_000_000;
    const model = body.model;
    const usage = { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 };
    if (body.stream !== true) {
      res.setHeader('content-type', 'application/json');
      return res.end(
        JSON.stringify({
          id,
          object: 'chat.completion',
          created,
          model,
          choices: [
            {
              index: 0,
              message: { role: 'assistant', content: text, refusal: null },
              logprobs: null,
              finish_reason: 'stop',
            },
          ],
          usage,
        }),
      );
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const base = { id, object: 'chat.completion.chunk', created, model };
    const withUsage = body.stream_options?.include_usage === true;
    const frames: string[] = [
      JSON.stringify({
        ...base,
        choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }],
        ...(withUsage ? { usage: null } : {}),
      }),
    ];
    for (let i = 0; i < text.length; i += 5)
      frames.push(
        JSON.stringify({
          ...base,
          choices: [{ index: 0, delta: { content: text.slice(i, i + 5) }, finish_reason: null }],
          ...(withUsage ? { usage: null } : {}),
        }),
      );
    frames.push(
      JSON.stringify({
        ...base,
        choices: [{ index: 0, delta: {}, finish_reason: 'stop' }],
        ...(withUsage ? { usage: null } : {}),
      }),
    );
    if (withUsage) frames.push(JSON.stringify({ ...base, choices: [], usage }));
    const drip = fault && 'dripMs' in fault ? fault.dripMs : 0;
    for (let i = 0; i < frames.length; i++) {
      if (fault && 'resetAfterChunks' in fault && i === fault.resetAfterChunks) {
        // Let the frames already written reach the client first: destroying at once would
        // discard them and turn a mid-stream reset into a failure before the first byte.
        if (i > 0) await new Promise((r) => setTimeout(r, 20));
        res.socket?.destroy();
        return;
      }
      if (fault && 'stallAfterChunks' in fault && i === fault.stallAfterChunks) return; // holds the connection
      if (fault && 'truncateAfterChunks' in fault && i === fault.truncateAfterChunks) return void res.end();
      if (fault && 'sseErrorAfterChunks' in fault && i === fault.sseErrorAfterChunks) {
        const detail = {
          error: { message: `upstream secret detail ${UPSTREAM_KEY.slice(0, 12)}`, type: 'server_error' },
        };
        return void res.end(`data: ${JSON.stringify(detail)}\n\n`);
      }
      if (fault && 'malformedSse' in fault && i === 2) res.write('data: {"this is": not json\n\n');
      if (res.destroyed) return;
      res.write(`data: ${frames[i]}\n\n`);
      if (drip > 0) await new Promise((r) => setTimeout(r, drip));
    }
    res.end('data: [DONE]\n\n');
  });
  server.on('connection', (socket) => {
    (state as Upstream).connections++;
    sockets.add(socket);
    socket.on('close', () => {
      sockets.delete(socket);
      (state as Upstream).closedConnections++;
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const upstream = state as Upstream;
  upstream.baseURL = `http://127.0.0.1:${port}/v1`;
  upstream.openConnections = () => sockets.size;
  upstream.close = async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  };
  return upstream;
}
