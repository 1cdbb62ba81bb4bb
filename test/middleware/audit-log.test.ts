import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import express from 'express';
import request from 'supertest';
import winston from 'winston';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { auditLog, createMockLLM, errorHandler, verifyAuditChain } from '../../lib/index.js';
import { keyFingerprint } from '../../lib/core/request.js';
import { formatIp } from '../../lib/middleware/audit-log.js';
import { CLIENT_KEY, memoryLogger, OTHER_KEY, presetApp } from '../helpers/app.js';
import { INJECTION, MARKER, runWorkload, WRONG_KEY, type Sent } from '../helpers/audit-workload.js';

const EXPECTED: Record<string, { outcome: string; code: string | null; status?: number }> = {
  success: { outcome: 'allowed', code: null, status: 200 },
  stream: { outcome: 'allowed', code: null, status: 200 },
  'wrong key': { outcome: 'blocked', code: 'invalid_api_key', status: 401 },
  'no key': { outcome: 'blocked', code: 'invalid_api_key', status: 401 },
  injection: { outcome: 'blocked', code: 'prompt_injection', status: 400 },
  'under limit': { outcome: 'allowed', code: null, status: 200 },
  'rate limited': { outcome: 'blocked', code: 'rate_limit_exceeded', status: 429 },
  'broken json': { outcome: 'blocked', code: 'invalid_json', status: 400 },
  'provider failure': { outcome: 'error', code: 'upstream_error', status: 502 },
  aborted: { outcome: 'aborted', code: 'client_closed_request' },
};

/** The checks every log of the workload must pass, whichever logger wrote it. */
function checkWorkload(sent: Sent[], records: any[], lines: string[]) {
  // Exactly one record per request, matched by the id the client was given.
  expect(records).toHaveLength(sent.length);
  const ids = records.map((r) => r.requestId);
  expect(new Set(ids).size).toBe(ids.length);
  expect([...ids].sort()).toEqual(sent.map((s) => s.requestId).sort());

  for (const s of sent) {
    const r = records.find((x) => x.requestId === s.requestId)!;
    const want = EXPECTED[s.kind]!;
    expect({ kind: s.kind, outcome: r.outcome, code: r.code }).toEqual({ kind: s.kind, ...want, status: undefined });
    if (want.status !== undefined) {
      expect(s.status).toBe(want.status);
      expect(r.status).toBe(s.status);
      expect(r.code).toBe(s.code);
    }
    expect(r).toMatchObject({ event: 'llm.request', method: 'POST', path: '/v1/chat/completions' });
    expect(Object.keys(r)).toEqual(expect.arrayContaining(['keyId', 'ip', 'usage', 'findings', 'durationMs']));
    if (want.outcome === 'allowed') {
      expect(r.usage.total_tokens).toBeGreaterThan(0);
      expect(r.usage.total_tokens).toBe(r.usage.prompt_tokens + r.usage.completion_tokens);
      expect(r.model).toBe('mock-model');
      expect(r.upstreamMs).toBeGreaterThanOrEqual(0);
    }
  }

  const byKind = (kind: string) => records.find((r) => r.requestId === sent.find((s) => s.kind === kind)!.requestId);
  expect(byKind('success')).toMatchObject({ keyId: 'team-a', stream: false, ip: '127.0.0.0' });
  expect(byKind('stream')).toMatchObject({ keyId: 'team-a', stream: true });
  expect(byKind('aborted')).toMatchObject({ keyId: 'team-a', stream: true, status: 200 });
  expect(byKind('wrong key').keyId).toBe(keyFingerprint(WRONG_KEY));
  expect(byKind('no key').keyId).toBeNull();
  expect(byKind('broken json').keyId).toBe('team-a');
  expect(byKind('injection').findings).toContainEqual(
    expect.objectContaining({ stage: 'input', detector: 'injection', action: 'block', owasp: 'LLM01' }),
  );
  expect(byKind('injection').owasp).toEqual(['LLM01']);
  expect(byKind('rate limited')).toMatchObject({
    keyId: 'team-b',
    rateLimit: { limit: 2, remaining: 0 },
    owasp: ['LLM10'],
  });
  expect(byKind('success').rateLimit).toMatchObject({ limit: 1000 });

  // Private: no client key and no prompt text, in any form, anywhere in the log.
  const log = lines.join('\n');
  for (const secret of [CLIENT_KEY, OTHER_KEY, WRONG_KEY, MARKER, 'Ignore all previous', 'Say hello'])
    expect(log).not.toContain(secret);
  expect(log).not.toContain(INJECTION);
}

describe('auditLog through the preset: the mixed workload, in memory', () => {
  const logger = memoryLogger();
  let sent: Sent[];
  beforeAll(async () => {
    sent = await runWorkload({ logger, chain: true }, () => logger.records.length);
  });

  it('writes one record per request with the right outcome, code and usage, and nothing private', () => {
    checkWorkload(sent, logger.records, logger.lines);
  });

  it('chains the records so that verifyAuditChain accepts them', () => {
    expect(verifyAuditChain(logger.records)).toEqual({ ok: true });
    expect(logger.records.map((r) => r.seq)).toEqual(logger.records.map((_, i) => i));
  });

  it('catches an edit, a drop and a swap at the right index', () => {
    const records = logger.records;
    const edited = records.map((r, i) => (i === 3 ? { ...r, outcome: 'allowed' } : r));
    expect(verifyAuditChain(edited)).toMatchObject({ ok: false, index: 3, reason: 'record was edited' });
    const dropped = records.filter((_, i) => i !== 2);
    expect(verifyAuditChain(dropped)).toMatchObject({ ok: false, index: 2 });
    const swapped = [...records];
    [swapped[4], swapped[5]] = [swapped[5], swapped[4]];
    expect(verifyAuditChain(swapped)).toMatchObject({ ok: false, index: 4, reason: 'records are out of order' });
  });
});

describe('auditLog through the preset: the mixed workload, a real winston logger writing a file', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'shield-audit-')), 'audit.log');
  const lines = () => {
    try {
      return readFileSync(file, 'utf8').split('\n').filter(Boolean);
    } catch {
      return [];
    }
  };
  let sent: Sent[];
  beforeAll(async () => {
    const logger = winston.createLogger({
      format: winston.format.combine(winston.format.timestamp(), winston.format.json()),
      transports: [new winston.transports.File({ filename: file })],
    });
    sent = await runWorkload({ logger, chain: true }, () => lines().length);
    logger.close();
  });

  it('writes flat JSON lines that read back into the same checks', () => {
    const read = lines().map((l) => JSON.parse(l));
    checkWorkload(sent, read, lines());
    // winston's own fields are there, around the record, not wrapped around it.
    for (const r of read) {
      expect(r).toMatchObject({ message: 'llm.request', event: 'llm.request' });
      expect(['info', 'warn', 'error']).toContain(r.level);
      expect(typeof r.timestamp).toBe('string');
    }
    expect(read.find((r) => r.outcome === 'error').level).toBe('error');
    expect(read.find((r) => r.outcome === 'blocked').level).toBe('warn');
  });

  it('verifies the chain as read back, and catches an edit, a drop and a swap', () => {
    const read = lines().map((l) => JSON.parse(l));
    expect(verifyAuditChain(read)).toEqual({ ok: true });
    const edited = lines().map((l, i) => JSON.parse(i === 6 ? l.replace('"status":200', '"status":201') : l));
    expect(verifyAuditChain(edited)).toMatchObject({ ok: false, index: 6 });
    expect(verifyAuditChain([...read.slice(0, 7), ...read.slice(8)])).toMatchObject({ ok: false, index: 7 });
    const swapped = [...read];
    [swapped[0], swapped[1]] = [swapped[1], swapped[0]];
    expect(verifyAuditChain(swapped)).toMatchObject({ ok: false, index: 0 });
  });
});

describe('auditLog with a keyed chain', () => {
  it('writes records that verify with the secret only', async () => {
    const secret = 'audit-chain-secret-0123456789abcdef';
    const logger = memoryLogger();
    const app = express();
    app.post('/chat', auditLog({ logger, chain: { secret } }), (_req, res) => void res.json({ ok: true }));
    for (let i = 0; i < 3; i++) await request(app).post('/chat');
    await vi.waitFor(() => expect(logger.records).toHaveLength(3));
    expect(verifyAuditChain(logger.records, { secret })).toEqual({ ok: true });
    expect(verifyAuditChain(logger.records)).toMatchObject({ ok: false, index: 0 });
    expect(logger.lines.join('\n')).not.toContain(secret);
  });
});

describe('auditLog with a failing logger', () => {
  it('answers every request as usual and reports the failures to onError', async () => {
    const failures: unknown[] = [];
    const logger = {
      info: () => {
        throw new Error('disk full');
      },
      warn: () => Promise.reject(new Error('network down')),
      error: async () => {
        throw new Error('async failure');
      },
    };
    const { app } = presetApp({
      client: createMockLLM({ failures: [{ status: 500 }] }),
      audit: { logger, onError: (err) => failures.push(err) },
      llm: { retries: 0 },
    });
    const body = { messages: [{ role: 'user', content: 'hi' }] };
    const auth = `Bearer ${CLIENT_KEY}`;
    const failed = await request(app).post('/v1/chat/completions').set('authorization', auth).send(body);
    expect(failed.status).toBe(502);
    const ok = await request(app).post('/v1/chat/completions').set('authorization', auth).send(body);
    expect(ok.status).toBe(200);
    const refused = await request(app).post('/v1/chat/completions').send(body);
    expect(refused.status).toBe(401);
    await vi.waitFor(() => expect(failures).toHaveLength(3));
    expect(failures.map((e) => (e as Error).message).sort()).toEqual(['async failure', 'disk full', 'network down']);
  });

  it('survives a winston transport that fails, and a reporter that throws', async () => {
    const broken = new Writable({
      write: (_chunk, _enc, done) => done(new Error('stream broken')),
    });
    broken.on('error', () => {});
    const logger = winston.createLogger({ transports: [new winston.transports.Stream({ stream: broken })] });
    const app = express();
    app.post(
      '/chat',
      auditLog({
        logger,
        onError: () => {
          throw new Error('reporter broken too');
        },
      }),
      (_req, res) => void res.json({ ok: true }),
    );
    for (let i = 0; i < 3; i++) expect((await request(app).post('/chat')).status).toBe(200);
  });
});

describe('auditLog privacy and forging', () => {
  const run = async (audit: Parameters<typeof auditLog>[0], send: (app: express.Express) => Promise<unknown>) => {
    const logger = memoryLogger();
    const app = express();
    app.set('trust proxy', true);
    app.use(auditLog({ logger, ...audit }), express.json(), (req, res) => void res.json({ echo: req.body }));
    app.use(errorHandler());
    await send(app);
    await vi.waitFor(() => expect(logger.records.length).toBeGreaterThan(0));
    return logger;
  };

  it('keeps one inert record whatever the client puts in the path, query, id or forwarded address', async () => {
    const logger = await run({ ip: 'full' }, (app) =>
      request(app)
        .post('/chat/%0a%7B%22event%22:%22llm.request%22%7D?api_key=sk-secret-in-query-0123456789')
        .set('x-request-id', 'x"}\t{"outcome":"allowed')
        .set('x-forwarded-for', 'not-an-ip {"forged":true}')
        .send({ prompt: 'hi' }),
    );
    expect(logger.lines).toHaveLength(1);
    const [r] = logger.records;
    expect(r.path).toBe('/chat/%0a%7B%22event%22:%22llm.request%22%7D');
    expect(r.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.ip).toBeNull();
    expect(logger.lines[0]).not.toContain('sk-secret-in-query');
    expect(logger.lines[0]).not.toContain('forged');
  });

  it.each([
    ['full', '203.0.113.77'],
    ['truncate', '203.0.113.0'],
    ['none', null],
  ] as const)('ip: %s', async (ip, expected) => {
    const logger = await run({ ip }, (app) =>
      request(app).post('/chat').set('x-forwarded-for', '203.0.113.77').send({ prompt: 'hi' }),
    );
    expect(logger.records[0].ip).toBe(expected);
  });

  it.each([
    ['192.168.1.200', '192.168.1.0'],
    ['::ffff:10.1.2.3', '10.1.2.0'],
    ['2001:db8:85a3:1234::8a2e:370:7334', '2001:db8:85a3::'],
    ['2001:0db8::1', '2001:db8:0::'],
    ['::1', '0:0:0::'],
    ['fe80::1%eth0', 'fe80:0:0::'],
    ['', null],
    ['1.2.3.4, 5.6.7.8', null],
  ])('truncates %s to %s', (raw, expected) => {
    expect(formatIp(raw, 'truncate')).toBe(expected);
  });

  it('adds the prompt only with includeContent: "redacted", and redacted', async () => {
    const prompt = { messages: [{ role: 'user', content: `Mail jane.doe@example.com about ${MARKER}` }] };
    const none = await run({}, (app) => request(app).post('/chat').send(prompt));
    expect(none.records[0].prompt).toBeUndefined();
    expect(none.lines[0]).not.toContain(MARKER);
    const redacted = await run({ includeContent: 'redacted' }, (app) => request(app).post('/chat').send(prompt));
    expect(redacted.records[0].prompt).toBe(`user: Mail [REDACTED:EMAIL] about ${MARKER}`);
    expect(redacted.lines[0]).not.toContain('jane.doe@example.com');
  });

  it('redacts a base64 payload after 60 base64 decoys in the logged prompt', async () => {
    const decoys = Array.from({ length: 60 }, (_, i) => Buffer.from(`note ${i}: lunch at noon`).toString('base64'));
    const payload = Buffer.from('mail jane.doe@example.com today').toString('base64');
    const prompt = { messages: [{ role: 'user', content: `${decoys.join(' ')} ${payload} ${MARKER}` }] };
    const logged = await run({ includeContent: 'redacted' }, (app) => request(app).post('/chat').send(prompt));
    expect(logged.records[0].prompt).toContain('[REDACTED:EMAIL]');
    expect(logged.records[0].prompt).toContain(MARKER);
    expect(logged.lines[0]).not.toContain(payload);
  });
});

describe('auditLog options', () => {
  it.each([
    [{ includeContent: 'all' }, 'auditLog: `includeContent` must be one of "none", "redacted" (received "all")'],
    [{ ip: 'hash' }, 'auditLog: `ip` must be one of "full", "truncate", "none" (received "hash")'],
    [{ chain: 'yes' }, 'auditLog: `chain` must be a boolean or { secret } (a string or Buffer of at least 32 bytes)'],
    [{ chain: { secret: 'too-short' } }, 'auditLog: `chain` must be a boolean or { secret }'],
    [{ chain: { secret: 'x'.repeat(32), alg: 'md5' } }, 'auditLog: `chain` must be a boolean or { secret }'],
    [
      { logger: console.log },
      'auditLog: `logger` must be a logger with info, warn and error methods (received a function)',
    ],
    [{ onError: 1 }, 'auditLog: `onError` must be a function (received 1)'],
    [{ includContent: 'none' }, 'auditLog: unknown option `includContent`'],
  ])('%j throws', (options, message) => {
    expect(() => auditLog(options as never)).toThrow(message);
  });

  it('does not touch the caller’s options', () => {
    const options = Object.freeze({ chain: true, ip: 'none' as const });
    expect(() => auditLog(options)).not.toThrow();
  });
});

describe('auditLog client address and trust proxy', () => {
  // Without `trust proxy` Express's `req.ip` is the socket's address whatever the client
  // claims; auditLog reads it without parsing X-Forwarded-For, and must agree with `req.ip`.
  it.each([
    [false, '127.0.0.1'],
    [true, '203.0.113.77'],
    ['loopback', '203.0.113.77'],
    [(addr: string) => addr === '10.0.0.1', '127.0.0.1'],
  ] as const)('with trust proxy %s records what req.ip says', async (trust, expected) => {
    const logger = memoryLogger();
    const app = express();
    app.set('trust proxy', trust);
    let seen: string | undefined;
    app.use(auditLog({ logger, ip: 'full' }), (req, res) => {
      seen = req.ip;
      res.json({ ok: true });
    });
    await request(app).post('/chat').set('x-forwarded-for', '203.0.113.77');
    await vi.waitFor(() => expect(logger.records.length).toBe(1));
    expect(seen?.replace(/^::ffff:/, '')).toBe(expected);
    expect(logger.records[0].ip).toBe(expected);
  });

  it('follows trust proxy set on the parent of a mounted sub-app', async () => {
    const logger = memoryLogger();
    const parent = express();
    parent.set('trust proxy', true);
    const sub = express();
    sub.use(auditLog({ logger, ip: 'full' }), (_req, res) => void res.json({ ok: true }));
    parent.use('/v1', sub);
    await request(parent).post('/v1/chat').set('x-forwarded-for', '203.0.113.9');
    await vi.waitFor(() => expect(logger.records.length).toBe(1));
    expect(logger.records[0].ip).toBe('203.0.113.9');
  });
});
