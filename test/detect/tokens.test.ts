import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
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

// The pre-tokenizer as a regex: the reference the allocation-free scanner must match piece for piece.
const REFERENCE_CHUNK =
  /['’](?:s|t|re|ve|m|ll|d)(?![A-Za-z])|[A-Za-z]+|\d+|\s+|[\u0080-\u024f]+|[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]+|[\u0250-\u2fff\ua000-\uabff]+|[^\sA-Za-z\d\u0080-\uffff]+|[\s\S]/g;
function referenceEstimate(text: string): number {
  if (text.length === 0) return 0;
  let tokens = 0;
  for (const [s] of text.matchAll(REFERENCE_CHUNK)) {
    const c = s.charCodeAt(0);
    const n = s.length;
    if (c === 0x27 || c === 0x2019) tokens += 1;
    else if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) tokens += n <= 9 ? 1 : 1 + Math.ceil((n - 9) / 5);
    else if (c >= 0x30 && c <= 0x39) tokens += Math.ceil(n / 3);
    else if (/\s/.test(s[0]!)) {
      if (n > 1) tokens += Math.ceil((n - 1) / 4) + (s.includes('\n') ? 0.5 : 0);
    } else if (c >= 0x80 && c <= 0x24f) tokens += Math.ceil(n / 2);
    else if ((c >= 0x3040 && c <= 0x9fff) || (c >= 0xac00 && c <= 0xd7af) || (c >= 0xf900 && c <= 0xfaff)) tokens += n;
    else if (c >= 0x250 && c < 0xd800) tokens += Math.ceil(n / 1.5);
    else tokens += c >= 0xd800 ? n : Math.ceil(n / 2);
  }
  return Math.max(1, Math.round(tokens));
}

describe('estimateTokens matches the regex pre-tokenizer it reads by hand', () => {
  // Characters from every class the scanner tells apart, and the edges between them.
  const alphabet = [
    ...'aZ09 \t\n\r\v\f.,;!?-_{}()\'"`@#',
    "'s",
    "'re",
    "'ll",
    "'ve",
    "'dx",
    "'t",
    'x',
    '’',
    '’m',
    '’ll',
    '\u00a0',
    '\u00e9',
    '\u024f',
    '\u0250',
    '\u0416',
    '\u1680',
    '\u2000',
    '\u200a',
    '\u2019',
    '\u2028',
    '\u202f',
    '\u205f',
    '\u2fff',
    '\u3000',
    '\u3001',
    '\u3042',
    '\u30ff',
    '\u3100',
    '\u3400',
    '\u4e2d',
    '\u9fff',
    '\ua000',
    '\uabff',
    '\uac00',
    '\ud7af',
    '\ud7b0',
    '\ud83d\ude00',
    '\ue000',
    '\uf900',
    '\ufaff',
    '\ufb00',
    '\ufeff',
    '\uffff',
    '\u0000',
    '\u007f',
  ];
  it('on random mixes of every character class', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...alphabet), { maxLength: 60 }), (pieces) => {
        const text = pieces.join('');
        expect(estimateTokens(text)).toBe(referenceEstimate(text));
      }),
      { numRuns: 3000 },
    );
  });
  it('on random Unicode strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (text) => {
        expect(estimateTokens(text)).toBe(referenceEstimate(text));
      }),
      { numRuns: 3000 },
    );
  });
  // validatePrompt skips the estimate when the characters alone fit the token limit.
  it('is never more than the number of characters', () => {
    const mixed = fc.array(fc.constantFrom(...alphabet), { minLength: 1, maxLength: 60 }).map((p) => p.join(''));
    const unicode = fc.string({ unit: 'binary', minLength: 1, maxLength: 80 });
    fc.assert(
      fc.property(fc.oneof(mixed, unicode), (text) => {
        expect(estimateTokens(text)).toBeLessThanOrEqual(text.length);
      }),
      { numRuns: 5000 },
    );
  });
  it.each(english)('on English prose: %s', (text) => {
    expect(estimateTokens(text)).toBe(referenceEstimate(text));
  });
});
