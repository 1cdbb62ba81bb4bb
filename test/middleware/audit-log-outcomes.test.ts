import express from 'express';
import request from 'supertest';
import { describe, expect, it, vi } from 'vitest';
import { auditLog, createMockLLM, getShieldState, llmShield, ShieldError, errorHandler } from '../../lib/index.js';
import { recordFindings, type StateFinding } from '../../lib/core/state.js';
import { CLIENT_KEY, memoryLogger } from '../helpers/app.js';

const auth = `Bearer ${CLIENT_KEY}`;

function preset(client: ReturnType<typeof createMockLLM>, extra: object = {}) {
  const logger = memoryLogger();
  const app = express();
  app.use(
    '/v1',
    llmShield({
      client,
      model: 'mock-model',
      keys: [{ id: 'team-a', key: CLIENT_KEY }],
      audit: { logger },
      llm: { retries: 0 },
      ...extra,
    }),
  );
  return { app, logger };
}

describe('audit outcomes beyond the workload', () => {
  it('records blocked output as blocked / content_filter with the output finding (LLM02) and its usage', async () => {
    const { app, logger } = preset(createMockLLM({ reply: 'Write to jane.doe@example.com' }), {
      filter: { pii: 'block' },
    });
    const res = await request(app).post('/v1/chat/completions').set('authorization', auth).send({ prompt: 'Who?' });
    expect(res.status).toBe(200);
    expect(res.body.choices[0].finish_reason).toBe('content_filter');
    await vi.waitFor(() => expect(logger.records).toHaveLength(1));
    const [r] = logger.records;
    expect(r).toMatchObject({ status: 200, outcome: 'blocked', code: 'content_filter', owasp: ['LLM02'] });
    expect(r.findings).toContainEqual({
      stage: 'output',
      detector: 'pii',
      type: 'email',
      action: 'block',
      count: 1,
      owasp: 'LLM02',
    });
    expect(r.usage.total_tokens).toBeGreaterThan(0);
    expect(logger.lines[0]).not.toContain('jane.doe');
  });

  it('records a provider failure in the middle of a stream as error / upstream_error', async () => {
    const { app, logger } = preset(createMockLLM({ failures: [{ type: 'stream_error', afterChunks: 2 }] }));
    const res = await request(app)
      .post('/v1/chat/completions')
      .set('authorization', auth)
      .send({ prompt: 'Stream', stream: true });
    expect(res.status).toBe(200);
    await vi.waitFor(() => expect(logger.records).toHaveLength(1));
    expect(logger.records[0]).toMatchObject({ status: 200, outcome: 'error', code: 'upstream_error', stream: true });
  });

  it('relates every detector to its OWASP LLM Top 10 id', async () => {
    const logger = memoryLogger();
    const app = express();
    const found: Array<Omit<StateFinding, 'count'>> = [
      { stage: 'input', detector: 'injection', type: 'instruction_override', action: 'block' },
      { stage: 'input', detector: 'secrets', type: 'openai_key', action: 'redact' },
      { stage: 'input', detector: 'moderation', type: 'violence', action: 'flag' },
      { stage: 'input', detector: 'rule', type: 'no_competitors', action: 'flag' },
      { stage: 'output', detector: 'pii', type: 'email', action: 'redact' },
      { stage: 'output', detector: 'canary', type: 'system_prompt_leak', action: 'block' },
      { stage: 'output', detector: 'url', type: 'markdown_image', action: 'redact' },
      { stage: 'output', detector: 'pattern', type: 'internal_hostname', action: 'redact' },
      { stage: 'output', detector: 'moderation', type: 'violence', action: 'block' },
    ];
    app.post('/chat', auditLog({ logger }), (_req, res, next) => {
      recordFindings(getShieldState(res), found);
      next(new ShieldError(429, 'token_budget_exceeded', 'Over budget.'));
    });
    app.use(errorHandler());
    await request(app).post('/chat');
    await vi.waitFor(() => expect(logger.records).toHaveLength(1));
    const [r] = logger.records;
    expect(r.findings.map((f: { owasp: string | null }) => f.owasp)).toEqual([
      'LLM01',
      'LLM02',
      'LLM01',
      null,
      'LLM02',
      'LLM07',
      'LLM05',
      'LLM05',
      'LLM05',
    ]);
    expect(r.owasp).toEqual(['LLM01', 'LLM02', 'LLM05', 'LLM07', 'LLM10']);
    expect(r).toMatchObject({ status: 429, outcome: 'blocked', code: 'token_budget_exceeded', keyId: null });
  });

  it('records a request that no handler answered (Express 404) and one the app fails (500)', async () => {
    const logger = memoryLogger();
    const app = express();
    app.use(auditLog({ logger }));
    app.get('/boom', () => {
      throw new Error('bug');
    });
    await request(app).get('/nothing-here');
    await request(app).get('/boom');
    await vi.waitFor(() => expect(logger.records).toHaveLength(2));
    expect(logger.records.map((r) => [r.status, r.outcome])).toEqual([
      [404, 'blocked'],
      [500, 'error'],
    ]);
    expect(logger.lines.join('\n')).not.toContain('bug');
  });
});
