// A fast OpenAI-compatible provider for benchmarks: fixed JSON answers and 500-chunk streams.
// Runs in its own process so the apps under test don't share its event loop.

import http from 'node:http';

const reply = 'The capital of France is Paris. It has been the capital for centuries and is known for its museums.';
const usage = { prompt_tokens: 120, completion_tokens: 24, total_tokens: 144 };
const completion = (model: string) =>
  JSON.stringify({
    id: 'chatcmpl-bench',
    object: 'chat.completion',
    created: 1_700_000_000,
    model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: reply, refusal: null },
        logprobs: null,
        finish_reason: 'stop',
      },
    ],
    usage,
  });

const STREAM_CHUNKS = 500;
function streamFrames(model: string, withUsage: boolean): string[] {
  const base = { id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 1_700_000_000, model };
  const extra = withUsage ? { usage: null } : {};
  const frames = [
    `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }], ...extra })}\n\n`,
  ];
  for (let i = 0; i < STREAM_CHUNKS; i++)
    frames.push(
      `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: { content: `word${i % 50} ` }, finish_reason: null }], ...extra })}\n\n`,
    );
  frames.push(
    `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], ...extra })}\n\n`,
  );
  if (withUsage) frames.push(`data: ${JSON.stringify({ ...base, choices: [], usage })}\n\n`);
  frames.push('data: [DONE]\n\n');
  return frames;
}

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    let body: { model?: string; stream?: boolean; stream_options?: { include_usage?: boolean } } = {};
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      res.writeHead(400).end();
      return;
    }
    const model = body.model ?? 'bench-model';
    if (body.stream) {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      // Written in bursts of 10 frames, as a provider's network writes arrive.
      const frames = streamFrames(model, body.stream_options?.include_usage === true);
      let i = 0;
      const pump = () => {
        if (i >= frames.length) return void res.end();
        res.write(frames.slice(i, i + 10).join(''));
        i += 10;
        setImmediate(pump);
      };
      pump();
      return;
    }
    const out = completion(model);
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(out) });
    res.end(out);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  process.send?.({ port: typeof address === 'object' && address ? address.port : 0 });
});
