// Random strings from a fixed seed for the secrets tests: format-valid test credentials are
// generated at run time, so no contiguous fake credential sits in the repository.

let seed = 0x5eed;
function rnd(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

export const LOWER = 'abcdefghijklmnopqrstuvwxyz';
export const UPPER = LOWER.toUpperCase();
export const DIGIT = '0123456789';
export const ALNUM = LOWER + UPPER + DIGIT;
export const UPNUM = UPPER + DIGIT;
export const LOWNUM = LOWER + DIGIT;
export const HEX = '0123456789abcdef';
export const B64URL = ALNUM + '_-';
export const B64 = ALNUM + '+/';

/** `n` characters of `alphabet`, not starting or ending with a separator a rule treats as a boundary. */
export function r(alphabet: string, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(rnd() * alphabet.length)];
  return s.replace(/^[-_+/]/, 'a').replace(/[-_+/]$/, 'z');
}
