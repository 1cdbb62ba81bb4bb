import express from 'express';
import request from 'supertest';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { auditLog, errorHandler, verifyAuditChain } from '../../lib/index.js';

// The default logger writes where winston's Console transport writes: `console._stdout`
// (process.stdout, or the test runner's stream standing in for it).
function captureStdout(): string[] {
  const out = (console as unknown as { _stdout: NodeJS.WritableStream })._stdout;
  const chunks: string[] = [];
  const original = out.write;
  vi.spyOn(out, 'write').mockImplementation(function (this: unknown, chunk: unknown, ...rest: unknown[]) {
    const text = String(chunk);
    if (text.includes('"event":"llm.request"')) {
      chunks.push(text);
      const cb = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      cb?.();
      return true;
    }
    return (original as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
  });
  return chunks;
}

const FIELDS = [
  'message',
  'event',
  'requestId',
  'time',
  'keyId',
  'ip',
  'method',
  'path',
  'status',
  'outcome',
  'code',
  'model',
  'stream',
  'usage',
  'durationMs',
  'upstreamMs',
  'attempts',
  'findings',
  'owasp',
  'rateLimit',
  'checks',
  'wouldBlock',
];

function appWith(audit: Parameters<typeof auditLog>[0]) {
  const app = express();
  app.use(auditLog(audit), express.json(), (req, res) => {
    if (req.body?.fail) return void res.status(503).json({ error: 'down' });
    if (req.body?.refuse) return void res.status(400).json({ error: 'no' });
    res.json({ ok: true });
  });
  app.use(errorHandler());
  return app;
}

describe('auditLog’s default logger (winston, JSON lines on stdout)', () => {
  afterEach(() => vi.restoreAllMocks());

  it('writes one JSON line per request: the record’s fields in order, winston’s `level` last', async () => {
    const chunks = captureStdout();
    const app = appWith({});
    await request(app).post('/chat?key=sk-query-secret').set('authorization', 'Bearer sk-client-0123456789').send({});
    await request(app).post('/chat').send({ refuse: true });
    await request(app).post('/chat').send({ fail: true });
    await vi.waitFor(() => expect(chunks).toHaveLength(3));
    for (const chunk of chunks) {
      expect(chunk.endsWith('\n')).toBe(true);
      expect(chunk.indexOf('\n')).toBe(chunk.length - 1);
    }
    const records = chunks.map((c) => JSON.parse(c) as Record<string, unknown>);
    for (const r of records) expect(Object.keys(r)).toEqual([...FIELDS, 'level']);
    expect(records.map((r) => [r.level, r.outcome, r.status])).toEqual([
      ['info', 'allowed', 200],
      ['warn', 'blocked', 400],
      ['error', 'error', 503],
    ]);
    expect(records[0]).toMatchObject({ message: 'llm.request', event: 'llm.request', method: 'POST', path: '/chat' });
    expect(records[0]!.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(Math.abs(Date.parse(records[0]!.time as string) - Date.now())).toBeLessThan(60_000);
    expect(chunks.join('')).not.toContain('sk-client-0123456789');
    expect(chunks.join('')).not.toContain('sk-query-secret');
  });

  it('in chain mode, appends the links after the record and before `level`, and the lines verify', async () => {
    const chunks = captureStdout();
    const app = appWith({ chain: true });
    for (let i = 0; i < 3; i++) await request(app).post('/chat').send({});
    await vi.waitFor(() => expect(chunks).toHaveLength(3));
    const records = chunks.map((c) => JSON.parse(c) as Record<string, unknown>);
    for (const r of records) expect(Object.keys(r)).toEqual([...FIELDS, 'chainId', 'seq', 'prevHash', 'hash', 'level']);
    expect(verifyAuditChain(records)).toEqual({ ok: true });
  });
});

describe('auditLog’s default logger batches a turn’s records', () => {
  afterEach(() => vi.restoreAllMocks());

  it('writes the records of requests that finish in one event-loop turn as one write, one line each', async () => {
    const chunks = captureStdout();
    // Requests held until all three have arrived, then answered in the same turn.
    const held: Array<() => void> = [];
    const gate = express();
    gate.use(auditLog({}), (_req, res) => {
      held.push(() => res.json({ ok: true }));
      if (held.length === 3) for (const answer of held) answer();
    });
    const server = gate.listen(0);
    const port = (server.address() as { port: number }).port;
    try {
      const statuses = await Promise.all(
        [1, 2, 3].map(() => fetch(`http://127.0.0.1:${port}/chat`, { method: 'POST' }).then((r) => r.status)),
      );
      expect(statuses).toEqual([200, 200, 200]);
      await vi.waitFor(() => expect(chunks.join('').split('\n').filter(Boolean)).toHaveLength(3));
      expect(chunks).toHaveLength(1);
      const ids = chunks[0]!
        .trim()
        .split('\n')
        .map((line) => (JSON.parse(line) as { requestId: string }).requestId);
      expect(new Set(ids).size).toBe(3);
    } finally {
      server.close();
    }
  });
});
