/**
 * Text transformed by a cipher a model undoes on sight: rot13 and reversed text. A passage is
 * a candidate when few of its words are English but many are once transformed; the candidate
 * is then screened like a decoded segment. The test is per passage (split at sentence and
 * line ends), so a transformed payload inside an English request is found too.
 */
import type { DecodedSegment } from './decode.js';
import { ATTACK_VOCABULARY, GLUE_WORDS } from './vocabulary.js';

// Frequent English words beside the attack vocabulary: a transformed passage that turns
// into these reads as English.
const COMMON = new Set([
  ...ATTACK_VOCABULARY,
  ...GLUE_WORDS,
  ...'for but can has had how who let see get may use way she two did yes him man old too very when will have they were been than then their there which would about could should other into only also just like some more make know need want please answer question write text words following must here below instead task user has his her one our'.split(
    ' ',
  ),
]);

/** Fewest English words a transformed passage must show. */
const MIN_HITS = 3;

/** Passage ends: a cipher keeps punctuation, so a payload is usually its own sentence or line. */
const isBreak = (c: number): boolean =>
  c === 0x0a || c === 0x2e || c === 0x21 || c === 0x3f || c === 0x3b || c === 0x3a || c === 0x22;
const isLower = (c: number): boolean => c >= 0x61 && c <= 0x7a;

// Words are looked up by a 32-bit polynomial hash computed while reading them, forwards, under
// rot13 and backwards, so no word is ever sliced out. A collision can only propose a
// candidate, which the detectors then judge on its decoded text.
const B = 31;
const hashOf = (w: string): number => {
  let h = 0;
  for (let i = 0; i < w.length; i++) h = (Math.imul(h, B) + w.charCodeAt(i)) | 0;
  return h;
};
const COMMON_HASHES = new Set([...COMMON].map(hashOf));

/** Counts for one passage: words, and words that are common English plain, under rot13, reversed. */
interface Tally {
  words: number;
  plain: number;
  rot: number;
  rev: number;
}

/** Tally the word `leet[i, j)`. */
function tallyWord(leet: string, i: number, j: number, t: Tally): void {
  let h = 0;
  let r = 0;
  let v = 0;
  let pow = 1;
  for (let k = i; k < j; k++) {
    const c = leet.charCodeAt(k);
    h = (Math.imul(h, B) + c) | 0;
    r = (Math.imul(r, B) + (((c - 0x61 + 13) % 26) + 0x61)) | 0;
    v = (v + Math.imul(c, pow)) | 0;
    pow = Math.imul(pow, B);
  }
  t.words++;
  if (COMMON_HASHES.has(h)) t.plain++;
  if (COMMON_HASHES.has(r)) t.rot++;
  if (COMMON_HASHES.has(v)) t.rev++;
}

/** The transform a passage reads in, if any: few plain English words, many transformed ones. */
function passageTransform(t: Tally): 'rot13' | 'reversed' | undefined {
  if (t.words < MIN_HITS) return undefined;
  // English prose is about half common words; a cipher leaves few.
  if (t.plain * 5 >= t.words) return undefined;
  const need = Math.max(MIN_HITS, t.plain * 2 + 1, Math.ceil(t.words * 0.35));
  if (t.rot >= need && t.rot >= t.rev) return 'rot13';
  if (t.rev >= need) return 'reversed';
  return undefined;
}

function rot13(s: string): string {
  return s.replace(/[A-Za-z]/g, (ch) => {
    const c = ch.charCodeAt(0);
    const base = c >= 0x61 ? 0x61 : 0x41;
    return String.fromCharCode(((c - base + 13) % 26) + base);
  });
}

/** `s` reversed by code point, so surrogate pairs survive. */
function reverse(s: string): string {
  return Array.from(s).reverse().join('');
}

/**
 * Passages of `leet` (the lower-cased view) that read as rot13 or reversed English, decoded
 * from `clean`. Offsets are in view coordinates. Linear, and allocation-free until a passage
 * qualifies.
 */
export function findTransformedText(leet: string, clean: string): DecodedSegment[] {
  const out: DecodedSegment[] = [];
  let passageStart = 0;
  const t: Tally = { words: 0, plain: 0, rot: 0, rev: 0 };
  const close = (end: number): void => {
    const kind = passageTransform(t);
    t.words = t.plain = t.rot = t.rev = 0;
    if (kind === undefined) return;
    const prev = out[out.length - 1];
    // Neighbouring passages in the same cipher are one payload.
    if (prev !== undefined && prev.encoding === kind && prev.end >= passageStart - 2) {
      prev.end = end;
    } else {
      out.push({ text: '', start: passageStart, end, encoding: kind });
    }
  };
  const n = leet.length;
  for (let i = 0; i < n;) {
    const c = leet.charCodeAt(i);
    if (isLower(c)) {
      let j = i + 1;
      while (j < n && isLower(leet.charCodeAt(j))) j++;
      if (j - i >= 2) tallyWord(leet, i, j, t);
      i = j;
      continue;
    }
    if (isBreak(c)) {
      close(i);
      passageStart = i + 1;
    }
    i++;
  }
  close(n);
  for (const seg of out) {
    const text = clean.slice(seg.start, seg.end);
    seg.text = seg.encoding === 'rot13' ? rot13(text) : reverse(text);
  }
  return out;
}
