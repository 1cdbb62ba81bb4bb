import { describe, it, expect } from 'vitest';
import { encode } from 'gpt-tokenizer/encoding/o200k_base';
import { encode as encodeCl100k } from 'gpt-tokenizer/encoding/cl100k_base';
import { estimateTokens } from '../../lib/detect/index.js';

const english = [
  'The quick brown fox jumps over the lazy dog. It was a bright cold day in April, and the clocks were striking thirteen.',
  'Rate limiting protects an API from abuse by capping how many requests each client may send in a window of time. When a client exceeds its budget, the server answers with status 429 and a Retry-After header telling it when to try again.',
  "I'd like you to summarize the following meeting notes for the engineering team: we agreed to ship the new onboarding flow next Tuesday, pending a final review of the accessibility audit, and to postpone the billing migration until the end of the quarter.",
  'Photosynthesis is the process by which green plants and certain other organisms transform light energy into chemical energy. During photosynthesis, light energy is captured and used to convert water, carbon dioxide, and minerals into oxygen and energy-rich organic compounds.',
  'Could you recommend three novels for a long flight? I enjoy mysteries with unreliable narrators, historical settings, and endings that make you want to reread the whole book.',
];

describe('estimateTokens', () => {
  it('is 0 for empty text', () => {
    expect(estimateTokens('')).toBe(0);
  });

  it.each(english)('is within 10%% of o200k and cl100k on English: %s', (text) => {
    for (const real of [encode(text).length, encodeCl100k(text).length]) {
      const est = estimateTokens(text);
      expect(Math.abs(est - real) / real).toBeLessThanOrEqual(0.1);
    }
  });

  it.each([
    '这是一个中文句子，用来测试分词器的估计。我们希望估计值偏高而不是偏低。',
    'Привет, как дела? Это тест токенизатора на русском языке.',
    'こんにちは、世界。今日はいい天気ですね。',
  ])('over-estimates non-English text: %s', (text) => {
    expect(estimateTokens(text)).toBeGreaterThanOrEqual(encode(text).length);
  });

  it('stays close on code', () => {
    const code = 'function add(a, b) {\n  return a + b;\n}\nconsole.log(add(2, 3));\n';
    const real = encode(code).length;
    expect(estimateTokens(code)).toBeGreaterThanOrEqual(real * 0.85);
  });
});
