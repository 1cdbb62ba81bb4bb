import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { indexText, keyword, occurs } from '../../lib/detect/keyword-index.js';

describe('keyword index', () => {
  it.each([
    ['ghp_abc and sk-proj', 'ghp_', true],
    ['ghp_abc and sk-proj', 'sk-', true],
    ['ghp_abc and sk-proj', 'sk_', false],
    ['ghp_abc and sk-proj', '-', true],
    ['ab', 'abc', false],
    ['', 'a', false],
  ])('%j has %j: %s', (text, k, expected) => {
    indexText(text);
    expect(occurs(text, keyword(k))).toBe(expected);
  });

  it('answers as includes does, for any text and literal', () => {
    const ch = fc.constantFrom('a', 'b', 'c', '_', '-', '.', 'A');
    fc.assert(
      fc.property(
        fc.string({ unit: ch, maxLength: 200 }),
        fc.string({ unit: ch, minLength: 1, maxLength: 5 }),
        (t, k) => {
          indexText(t);
          expect(occurs(t, keyword(k))).toBe(t.includes(k));
        },
      ),
      { numRuns: 500 },
    );
  });
});
