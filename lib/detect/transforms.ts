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

/** An open-addressing set of 32-bit hashes: a probe or two per lookup, cheaper than a `Set` on this path. */
class HashSet32 {
  private readonly slots: Int32Array;
  private readonly used: Uint8Array;
  private readonly mask: number;

  constructor(values: number[]) {
    let size = 16;
    while (size < values.length * 4) size *= 2;
    this.slots = new Int32Array(size);
    this.used = new Uint8Array(size);
    this.mask = size - 1;
    for (const v of values) {
      let i = this.slot(v);
      while (this.used[i] === 1 && this.slots[i] !== v) i = (i + 1) & this.mask;
      this.slots[i] = v;
      this.used[i] = 1;
    }
  }

  has(v: number): boolean {
    for (let i = this.slot(v); this.used[i] === 1; i = (i + 1) & this.mask) if (this.slots[i] === v) return true;
    return false;
  }

  private slot(v: number): number {
    return (Math.imul(v, 0x9e3779b1) >>> 20) & this.mask;
  }
}
const COMMON_HASHES = new HashSet32([...COMMON].map(hashOf));

/** Counts for one passage: words, and words that are common English plain, under rot13, reversed. */
interface Tally {
  words: number;
  plain: number;
  rot: number;
  rev: number;
}

/** True when the word `leet[i, j)` is a common English word. */
function isCommon(leet: string, i: number, j: number): boolean {
  let h = 0;
  for (let k = i; k < j; k++) h = (Math.imul(h, B) + leet.charCodeAt(k)) | 0;
  return COMMON_HASHES.has(h);
}

/** Count the words of `leet[i, j)` that are common English under rot13 and reversed. */
function tallyTransformed(leet: string, i: number, j: number, t: Tally): void {
  for (let k = i; k < j;) {
    if (!isLower(leet.charCodeAt(k))) {
      k++;
      continue;
    }
    let e = k + 1;
    while (e < j && isLower(leet.charCodeAt(e))) e++;
    if (e - k >= 2) {
      let r = 0;
      let v = 0;
      let pow = 1;
      for (let q = k; q < e; q++) {
        const c = leet.charCodeAt(q);
        r = (Math.imul(r, B) + (((c - 0x61 + 13) % 26) + 0x61)) | 0;
        v = (v + Math.imul(c, pow)) | 0;
        pow = Math.imul(pow, B);
      }
      if (COMMON_HASHES.has(r)) t.rot++;
      if (COMMON_HASHES.has(v)) t.rev++;
    }
    k = e;
  }
}

/**
 * The transform the passage `leet[start, end)` reads in, if any: few plain English words,
 * many transformed ones. Most passages are plain English and stop at the first test, so only
 * the others pay for the transformed lookups.
 */
function passageTransform(leet: string, start: number, end: number, t: Tally): 'rot13' | 'reversed' | undefined {
  if (t.words < MIN_HITS) return undefined;
  // English prose is about half common words; a cipher leaves few.
  if (t.plain * 5 >= t.words) return undefined;
  tallyTransformed(leet, start, end, t);
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

// Most prompts are English prose that does not mention a cipher: the passage test would find
// nothing there, and costs a pass in JavaScript over every character. Two native scans decide
// whether to run it: a text without English function words (all cipher, or another
// language) is always tested; an English text only when it speaks of decoding, reversing or
// a cipher, as a request to act on an embedded payload does (few stems: each alternative
// costs a scan of the text).
const ENGLISH = /\b(?:the|and|you|your|to|of|is|are|this|that)\b/;
const CIPHER_TALK = /rot.?13|cipher|dec(?:od|rypt)|revers|backward/;

/** True when `leet` may hold a rot13 or reversed passage worth the passage test. */
export function mayHoldTransformedText(leet: string): boolean {
  return !ENGLISH.test(leet) || CIPHER_TALK.test(leet);
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
    const kind = passageTransform(leet, passageStart, end, t);
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
      if (j - i >= 2) {
        t.words++;
        if (isCommon(leet, i, j)) t.plain++;
      }
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
