// callLLM's overall deadline across retries and fallbacks, and the completion-limit field
// that reasoning models take, against the loopback upstream through the real OpenAI client.

import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { callLLM, createMockLLM } from '../../lib/index.js';
import { bodyForModel, isReasoningModel } from '../../lib/core/upstream-call.js';
import { startLLMApp, userMessage, type LLMHarness } from '../helpers/llm-harness.js';

let h: LLMHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});
const post = (body: object = { messages: userMessage() }) => request(h!.url).post('/v1/chat/completions').send(body);

describe('callLLM deadlineMs', () => {
  it('stops retrying when the next attempt could not start before the deadline', async () => {
    h = await startLLMApp({ retries: 5, deadlineMs: 500, backoffMs: 0 });
    for (let i = 0; i < 6; i++) h.upstream.script.push({ status: 503, headers: { 'retry-after-ms': '200' } });
    const started = performance.now();
    const res = await post();
    const ms = performance.now() - started;
    // Attempts at about 0, 200 and 400 ms; a fourth would start past 500 ms. The third has
    // only what is left of the deadline: on a loaded machine it may time out (504).
    expect([503, 504]).toContain(res.status);
    expect(h.upstream.requests.length).toBeGreaterThanOrEqual(2);
    expect(h.upstream.requests.length).toBeLessThanOrEqual(3);
    expect(ms).toBeLessThan(1_000);
  });

  it('cuts an attempt to what is left: a hanging provider gives 504 at the deadline, not at timeoutMs', async () => {
    h = await startLLMApp({ timeoutMs: 5_000, deadlineMs: 300, fallbackModels: ['up-fallback'] });
    h.upstream.script.push({ hang: true }, { hang: true });
    const started = performance.now();
    const res = await post();
    const ms = performance.now() - started;
    expect(res.status).toBe(504);
    expect(res.body.error.code).toBe('upstream_timeout');
    expect(ms).toBeGreaterThanOrEqual(280);
    expect(ms).toBeLessThan(1_500);
  });

  it('is checked at startup', () => {
    expect(() => callLLM({ client: createMockLLM(), model: 'm', deadlineMs: 0 })).toThrow(
      new TypeError('callLLM: `deadlineMs` must be a positive integer (received 0)'),
    );
  });
});

describe('reasoning models get max_completion_tokens', () => {
  const cases: Array<[string, boolean]> = [
    ['o1', true],
    ['o1-mini', true],
    ['o3-mini-2025-01-31', true],
    ['o4-mini', true],
    ['gpt-5', true],
    ['gpt-5-mini', true],
    ['gpt-5.1', true],
    ['openai/o3', true],
    ['gpt-4o-mini', false],
    ['gpt-4.1', false],
    ['gpt-50x', false],
    ['omni-moderation-latest', false],
    ['llama-o1', false],
  ];
  for (const [model, reasoning] of cases)
    it(`${model}: ${reasoning ? 'reasoning' : 'not reasoning'}`, () => expect(isReasoningModel(model)).toBe(reasoning));

  it('moves max_tokens to max_completion_tokens (the lower of both) and leaves other models alone', () => {
    const body = { model: 'gpt-4o', messages: userMessage(), max_tokens: 100 };
    expect(bodyForModel(body, 'gpt-4o')).toBe(body);
    expect(bodyForModel(body, 'gpt-4.1')).toEqual({ ...body, model: 'gpt-4.1' });
    const moved = bodyForModel(body, 'o3');
    expect(moved.max_tokens).toBeUndefined();
    expect(moved.max_completion_tokens).toBe(100);
    expect(JSON.parse(JSON.stringify(moved))).not.toHaveProperty('max_tokens');
    expect(bodyForModel({ ...body, max_completion_tokens: 50 }, 'o3').max_completion_tokens).toBe(50);
    expect(bodyForModel({ ...body, max_tokens: 20, max_completion_tokens: 50 }, 'o3').max_completion_tokens).toBe(20);
  });

  it('sends max_completion_tokens upstream for o-series and GPT-5, max_tokens for others, per fallback', async () => {
    h = await startLLMApp({ model: 'gpt-4o', fallbackModels: ['o4-mini'], retries: 0, maxTokens: 500 });
    expect((await post({ model: 'o4-mini', messages: userMessage(), max_tokens: 100 })).status).toBe(200);
    expect((await post({ model: 'o4-mini', messages: userMessage() })).status).toBe(200);
    h.upstream.script.push({ status: 500 });
    expect((await post({ model: 'gpt-4o', messages: userMessage(), max_tokens: 100 })).status).toBe(200);
    const sent = h.upstream.requests.map((r) => [r.body.model, r.body.max_tokens, r.body.max_completion_tokens]);
    expect(sent).toEqual([
      ['o4-mini', undefined, 100],
      ['o4-mini', undefined, 500],
      ['gpt-4o', 100, undefined],
      ['o4-mini', undefined, 100],
    ]);
  });
});
