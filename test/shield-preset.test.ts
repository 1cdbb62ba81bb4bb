// callLLM inside the llmShield preset: its in-band errors and disconnects must survive
// filterOutput's wrapping of res.write / res.end, and reach the audit record.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, presetApp, sdk } from './helpers/app.js';
import { startUpstream, UPSTREAM_KEY, type Upstream } from './helpers/upstream.js';
import { userMessage, waitFor } from './helpers/llm-harness.js';

describe('callLLM in the llmShield preset', () => {
  let upstream: Upstream;
  let server: Awaited<ReturnType<typeof listen>>;
  let logger: ReturnType<typeof presetApp>['logger'];
  beforeAll(async () => {
    upstream = await startUpstream();
    const client = new OpenAI({ apiKey: UPSTREAM_KEY, baseURL: upstream.baseURL, logLevel: 'off' });
    const built = presetApp({ client, model: 'up-model', llm: { retries: 1, backoffMs: 5, idleTimeoutMs: 5_000 } });
    logger = built.logger;
    server = await listen(built.app);
  });
  afterAll(async () => {
    await server.close();
    await upstream.close();
  });

  it('relays a stream end to end', async () => {
    const stream = await sdk(server.url).chat.completions.create({
      messages: userMessage(),
      model: 'up-model',
      stream: true,
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('Hello from the loopback upstream.');
  });

  it('sends a mid-stream reset in-band, and the audit record says so', async () => {
    upstream.script.push({ resetAfterChunks: 3 });
    const stream = await sdk(server.url).chat.completions.create({
      messages: userMessage(),
      model: 'up-model',
      stream: true,
    });
    const err = await (async () => {
      for await (const _ of stream) void _;
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect((err as InstanceType<typeof OpenAI.APIError>).code).toBe('upstream_error');
    await waitFor(() => logger.records.some((r) => r.code === 'upstream_error'), 2000);
    const record = logger.records.find((r) => r.code === 'upstream_error');
    expect(record).toMatchObject({ stream: true, keyId: 'team-a' });
    expect(record.attempts).toBe(1);
    for (const line of logger.lines) {
      expect(line).not.toContain('upstream secret detail');
      expect(line).not.toContain(UPSTREAM_KEY);
    }
  });

  it('closes the upstream connection within a second when the client leaves', async () => {
    upstream.script.push({ stallAfterChunks: 3 });
    const stream = await sdk(server.url).chat.completions.create({
      messages: userMessage(),
      model: 'up-model',
      stream: true,
    });
    const it = stream[Symbol.asyncIterator]();
    await it.next();
    const closedBefore = upstream.closedConnections;
    stream.controller.abort();
    expect(await waitFor(() => upstream.closedConnections > closedBefore, 1000)).toBeLessThan(1000);
  });
});
