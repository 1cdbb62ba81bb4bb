// Provider faults through the whole preset: each ends in its documented status and code (or
// an in-band stream error once headers are out), the audit record is written, the
// concurrency slot comes back and the token reservation is settled.

import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_KEY, listen, presetApp } from '../helpers/app.js';
import { startUpstream, UPSTREAM_KEY, type Upstream, type UpstreamFault } from '../helpers/upstream.js';

interface Case {
  name: string;
  faults: UpstreamFault[];
  stream: boolean;
  /** A refusal before any byte was sent. */
  status?: number;
  code?: string;
  /** An error event inside a 200 stream. */
  inBand?: string;
  /** The audit outcome. */
  outcome: string;
}

const CASES: Case[] = [
  {
    name: 'hang (JSON)',
    faults: [{ hang: true }],
    stream: false,
    status: 504,
    code: 'upstream_timeout',
    outcome: 'error',
  },
  {
    name: 'hang (stream)',
    faults: [{ hang: true }],
    stream: true,
    status: 504,
    code: 'upstream_timeout',
    outcome: 'error',
  },
  {
    name: 'persistent 500',
    faults: [{ status: 500 }, { status: 500 }],
    stream: false,
    status: 502,
    code: 'upstream_error',
    outcome: 'error',
  },
  {
    name: 'persistent 429',
    faults: [{ status: 429 }, { status: 429 }],
    stream: true,
    status: 503,
    code: 'upstream_unavailable',
    outcome: 'error',
  },
  {
    name: 'provider 401',
    faults: [{ status: 401 }],
    stream: false,
    status: 502,
    code: 'upstream_error',
    outcome: 'error',
  },
  {
    name: 'provider 400',
    faults: [{ status: 400 }],
    stream: true,
    status: 502,
    code: 'upstream_error',
    outcome: 'error',
  },
  { name: 'one 503 then success', faults: [{ status: 503 }], stream: false, status: 200, outcome: 'allowed' },
  {
    name: 'reset mid-stream',
    faults: [{ resetAfterChunks: 3 }],
    stream: true,
    inBand: 'upstream_error',
    outcome: 'error',
  },
  {
    name: 'error event mid-stream',
    faults: [{ sseErrorAfterChunks: 2 }],
    stream: true,
    inBand: 'upstream_error',
    outcome: 'error',
  },
  {
    name: 'stall mid-stream',
    faults: [{ stallAfterChunks: 2 }],
    stream: true,
    inBand: 'upstream_timeout',
    outcome: 'error',
  },
  { name: 'malformed SSE', faults: [{ malformedSse: true }], stream: true, inBand: 'upstream_error', outcome: 'error' },
  { name: 'slow drip', faults: [{ dripMs: 15 }], stream: true, status: 200, outcome: 'allowed' },
];

describe('provider fault matrix through llmShield', () => {
  let upstream: Upstream;
  let server: Awaited<ReturnType<typeof listen>>;
  let logger: ReturnType<typeof presetApp>['logger'];
  const sdk = () => new OpenAI({ baseURL: `${server.url}/v1`, apiKey: CLIENT_KEY, maxRetries: 0, timeout: 15_000 });

  beforeAll(async () => {
    upstream = await startUpstream();
    const built = presetApp({
      client: new OpenAI({ apiKey: UPSTREAM_KEY, baseURL: upstream.baseURL, maxRetries: 0 }),
      model: 'up-model',
      // One slot: a slot that is not given back shows as a 429 on the next request.
      rateLimit: { limit: 1000, concurrency: 1, tokens: { limit: 1_000_000, windowMs: 600_000 } },
      llm: { retries: 1, timeoutMs: 400, backoffMs: 5 },
    });
    logger = built.logger;
    server = await listen(built.app);
  });
  afterAll(async () => {
    await server.close();
    await upstream.close();
  });

  /** Tokens left in the key's budget after this response's own reservation (draft-8 `RateLimit: "tokens"; r=N`). */
  const tokensLeft = (headers: Headers) =>
    Number(/"tokens";\s*r=(\d+)/.exec(headers.get('ratelimit') ?? '')?.[1] ?? NaN);
  const usageOf = (requestId: string | null) =>
    logger.records.find((r) => r.requestId === requestId)?.usage?.total_tokens ?? 0;
  async function probe(): Promise<{ left: number; requestId: string | null }> {
    const res = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${CLIENT_KEY}` },
      body: JSON.stringify({ messages: [{ role: 'user', content: 'probe' }], max_tokens: 50 }),
    });
    expect(res.status).toBe(200);
    await res.text();
    return { left: tokensLeft(res.headers), requestId: res.headers.get('x-request-id') };
  }

  async function run(
    c: Case,
  ): Promise<{ status: number; code?: string; inBand?: string; text: string; requestId: string | null }> {
    const res = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${CLIENT_KEY}` },
      body: JSON.stringify({
        messages: [{ role: 'user', content: `fault case ${c.name}` }],
        stream: c.stream,
        max_tokens: 50,
      }),
    });
    const text = await res.text();
    const requestId = res.headers.get('x-request-id');
    if (res.status !== 200) return { status: res.status, code: JSON.parse(text).error.code, text, requestId };
    const errorEvent = text
      .split('\n\n')
      .map((f) => f.replace(/^data: /, ''))
      .find((d) => d.startsWith('{"error"'));
    return { status: 200, ...(errorEvent ? { inBand: JSON.parse(errorEvent).error.code } : {}), text, requestId };
  }

  it.each(CASES)('$name', async (c) => {
    const before = await probe();
    upstream.script.push(...c.faults);
    const got = await run(c);
    if (c.status !== undefined) expect(got.status).toBe(c.status);
    if (c.code !== undefined) expect(got.code).toBe(c.code);
    if (c.inBand !== undefined) {
      expect(got.status).toBe(200);
      expect(got.inBand).toBe(c.inBand);
    }
    if (c.status === 200) expect(got.inBand).toBeUndefined();
    // Provider text never reaches the client.
    expect(got.text).not.toContain('upstream secret detail');
    upstream.script.length = 0;

    // The audit record is there, once, with the right outcome.
    await new Promise((r) => setTimeout(r, 20));
    const records = logger.records.filter((r) => r.requestId === got.requestId);
    expect(records).toHaveLength(1);
    expect(records[0].outcome).toBe(c.outcome);

    // The budget was settled: between two identical probes, exactly what the audit log says was
    // used is gone — a reservation the fault kept would show as more.
    const after = await probe();
    expect(Number.isFinite(after.left)).toBe(true);
    expect(after.left).toBe(before.left - usageOf(before.requestId) - usageOf(got.requestId));

    // The slot came back: normal requests go through, JSON and stream.
    const ok = await sdk().chat.completions.create({
      model: 'up-model',
      messages: [{ role: 'user', content: 'after' }],
      max_tokens: 50,
    });
    expect(ok.choices[0]!.message.content).toBe('Hello from the loopback upstream.');
    let streamed = '';
    for await (const chunk of await sdk().chat.completions.create({
      model: 'up-model',
      messages: [{ role: 'user', content: 'after' }],
      max_tokens: 50,
      stream: true,
    }))
      streamed += chunk.choices[0]?.delta.content ?? '';
    expect(streamed).toBe('Hello from the loopback upstream.');
  });
});
