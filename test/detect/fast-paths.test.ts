/**
 * The detectors' hand-written fast paths against the regexes they replaced: each reference
 * below is the straightforward regex statement of what the code reads character by character.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { tokenWindows } from '../../lib/detect/secrets.js';

/** Random texts from pieces that sit on and around each character class the code tells apart. */
function texts(alphabet: string[], maxLength = 80): fc.Arbitrary<string> {
  return fc.array(fc.constantFrom(...alphabet), { maxLength }).map((pieces) => pieces.join(''));
}

describe('tokenWindows', () => {
  function reference(text: string): string {
    let out = '';
    let covered = 0;
    for (const m of text.matchAll(/[A-Za-z0-9./:_+=%|~-]+/g)) {
      const run = m[0];
      const start = m.index;
      const end = start + run.length;
      const mixed = /[0-9_+=%|~]/.test(run) || /[A-Z]/.test(run.slice(1));
      if (run.length >= 40 || (run.length >= 12 && mixed)) {
        const from = Math.max(covered, start - 64);
        out += (from > covered ? '\n' : '') + text.slice(from, end).toLowerCase();
        covered = end;
      }
    }
    return out;
  }
  // The regex prefilter the loop used to sit behind: text it rejected has no window.
  const maybeWindow = (text: string) => /[0-9_+=%|~]|[A-Za-z./:-][A-Z]/.test(text) || /[A-Za-z./:-]{40}/.test(text);

  const alphabet = [
    ...'azAZ09./:-_+=%|~ \n,;!?"\'@#$^&*()[]{}<>\\`',
    'é',
    'Ä',
    '\u00a0',
    'abcdefghij',
    'klmno',
    'ABCDE',
    'x.y/z:w-v',
    '0123456789',
  ];
  it('matches the regex reference on random mixes', () => {
    fc.assert(
      fc.property(texts(alphabet, 60), (text) => {
        expect(tokenWindows(text)).toBe(reference(text));
        if (!maybeWindow(text)) expect(tokenWindows(text)).toBe('');
      }),
      { numRuns: 5000 },
    );
  });
  it('matches the regex reference on random Unicode strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 120 }), (text) => {
        expect(tokenWindows(text)).toBe(reference(text));
      }),
      { numRuns: 2000 },
    );
  });
  it('finds runs at both ends of the text', () => {
    for (const text of [
      'sk-Abcdefghijklmnop',
      'key: sk-Abcdefghijklmnop',
      'a'.repeat(40),
      'x '.repeat(40) + 'a'.repeat(39),
    ]) {
      expect(tokenWindows(text)).toBe(reference(text));
    }
  });
});
