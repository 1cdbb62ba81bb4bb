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

function rot13Word(w: string): string {
  let out = '';
  for (let i = 0; i < w.length; i++) out += String.fromCharCode(((w.charCodeAt(i) - 0x61 + 13) % 26) + 0x61);
  return out;
}

function reverseWord(w: string): string {
  let out = '';
  for (let i = w.length - 1; i >= 0; i--) out += w[i];
  return out;
}

/** The transform a passage of `words` reads in, if any: few plain hits, many transformed ones. */
function passageTransform(words: string[]): 'rot13' | 'reversed' | undefined {
  if (words.length < MIN_HITS) return undefined;
  let plain = 0;
  for (const w of words) if (COMMON.has(w)) plain++;
  // English prose is about half common words; a cipher leaves few.
  if (plain * 5 >= words.length) return undefined;
  let rot = 0;
  let rev = 0;
  for (const w of words) {
    if (COMMON.has(rot13Word(w))) rot++;
    if (COMMON.has(reverseWord(w))) rev++;
  }
  const need = Math.max(MIN_HITS, plain * 2 + 1, Math.ceil(words.length * 0.35));
  if (rot >= need && rot >= rev) return 'rot13';
  if (rev >= need) return 'reversed';
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
 * from `clean`. Offsets are in view coordinates. Linear: each word is looked up at most three
 * times, and only passages with few plain English words pay for the transforms.
 */
export function findTransformedText(leet: string, clean: string): DecodedSegment[] {
  const out: DecodedSegment[] = [];
  let passageStart = 0;
  let words: string[] = [];
  const close = (end: number): void => {
    const kind = passageTransform(words);
    words = [];
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
      if (j - i >= 2) words.push(leet.slice(i, j));
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
