/**
 * One normalization pass shared by every detector.
 *
 * Attackers hide text from pattern matchers with characters a model still reads (or that a
 * renderer hides from humans): zero-width joiners, bidi overrides, Unicode tag characters,
 * variation selectors, fullwidth and mathematical letters, Cyrillic/Greek look-alikes. We build
 * three views of the input of the same length so one offset addresses all of them:
 *
 * - `clean`: NFKC with invisible characters removed. This is what the caller gets back as
 *   `redacted` on the input side, so it must stay readable (no homoglyph folding). Words
 *   spelled out letter by letter are joined in every view; `unjoined` keeps them as written.
 * - `fold`: `clean` with confusables folded to ASCII, used for PII/secret matching.
 * - `leet`: `fold` lower-cased with leetspeak digits mapped to letters, used for injection
 *   phrases only (a digit inside a credit card number must stay a digit).
 *
 * `startMap[i]`/`endMap[i]` give the original span of the input characters that produced
 * normalized unit `i`, so findings report offsets into the caller's string.
 */
import { LETTER_FOLD_PAIRS } from './letter-fold-data.js';
import { identityMaps, joinSplitWords, mayHoldSplitWords } from './split-words.js';

/** Text smuggled invisibly: Unicode tag characters, or bytes as variation selectors. */
export interface HiddenRun {
  text: string;
  /** Original span of the invisible characters. */
  start: number;
  end: number;
  encoding: 'tags' | 'variation';
}

/** Result of {@link normalizeText}. All three strings have the same length. */
export interface Normalized {
  clean: string;
  fold: string;
  leet: string;
  /** Original start offset of the characters that produced each normalized unit. */
  startMap: Int32Array;
  /** Original end offset (exclusive) of the characters that produced each normalized unit. */
  endMap: Int32Array;
  /** True when the maps are the identity (printable ASCII input); they are then left empty. */
  identity?: boolean;
  /** Text hidden in invisible characters (tags, variation-selector bytes), with its original span. */
  hidden: HiddenRun[];
  /**
   * Set when split words were joined (`i-g-n-o-r-e`): `clean` as the reader wrote it, and
   * for each unit of the views its index there. Redaction writes into this text, so a
   * spelled-out word in a word game reaches the model as written.
   */
  unjoined?: { clean: string; at: Int32Array };
}

/**
 * Characters removed before matching: invisible formatting and selector characters that
 * split words for a regex but not for a tokenizer or a human reader.
 */
export function isInvisible(cp: number): boolean {
  if (cp < 0xad) return false;
  return (
    cp === 0xad ||
    cp === 0x34f ||
    cp === 0x61c ||
    cp === 0x115f ||
    cp === 0x1160 ||
    cp === 0x17b4 ||
    cp === 0x17b5 ||
    (cp >= 0x180b && cp <= 0x180f) ||
    (cp >= 0x200b && cp <= 0x200f) ||
    (cp >= 0x202a && cp <= 0x202e) ||
    (cp >= 0x2060 && cp <= 0x206f) ||
    cp === 0x3164 ||
    (cp >= 0xfe00 && cp <= 0xfe0f) ||
    cp === 0xfeff ||
    cp === 0xffa0 ||
    (cp >= 0xfff9 && cp <= 0xfffb) ||
    (cp >= 0x1bca0 && cp <= 0x1bca3) ||
    (cp >= 0x1d173 && cp <= 0x1d17a) ||
    (cp >= 0xe0000 && cp <= 0xe007f) ||
    (cp >= 0xe0100 && cp <= 0xe01ef)
  );
}

// Look-alikes that NFKC leaves alone, from scripts of living languages. Only letters whose
// glyphs are indistinguishable from Latin in common fonts; folding whole scripts would turn
// real Greek or Russian into noise. Letter-like forms outside those scripts (small capitals,
// letters with a stroke or hook, Cherokee and Lisu look-alikes) come from Unicode's data in
// letter-fold-data.ts.
const CONFUSABLE_PAIRS =
  'аaвbеeкkмmнhоoрpсcтtуyхxіiјjѕsԁdԛqԝwһhӏlɡgАAВBЕEКKМMНHОOРPСCТTХXІIЈJЅSԌGԚQԜW' +
  'αaβbεeιiκkνvοoρpτtυuχxΑAΒBΕEΖZΗHΙIΚKΜMΝNΟOΡPΤTΥYΧXϲcϳjϹCℓlı' +
  'i' +
  // Rare letters (none in Russian or Greek prose) drawn exactly like Latin ones.
  'ӀlѵvѴVѡwҮYүyҽeϜF';
const FOLD = new Map<number, number>();
for (const pairs of [CONFUSABLE_PAIRS, LETTER_FOLD_PAIRS]) {
  for (let i = 0; i + 1 < pairs.length; i += 2) {
    if (!FOLD.has(pairs.charCodeAt(i))) FOLD.set(pairs.charCodeAt(i), pairs.charCodeAt(i + 1));
  }
}

// Leetspeak digits and symbols as they appear inside words ("1gn0r3 pr3v10us").
const LEET: Record<string, string> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '@': 'a',
  $: 's',
};
const LEET_TABLE = new Uint16Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  LEET_TABLE[c] = (LEET[ch] ?? ch.toLowerCase()).charCodeAt(0);
}

function isCombining(cp: number): boolean {
  // Fast reject for ASCII and Latin-1; the regex only runs for rarer code points.
  if (cp < 0x300) return false;
  if (cp >= 0x1160 && cp <= 0x11ff) return true; // Hangul medial/final jamo compose
  return COMBINING.test(String.fromCodePoint(cp));
}
const COMBINING = /^\p{M}$/u;

const isTag = (cp: number): boolean => cp >= 0xe0020 && cp <= 0xe007e;

/** The byte a variation selector stands for (U+FE00–FE0F: 0–15, U+E0100–E01EF: 16–255), or -1. */
function selectorByte(cp: number): number {
  if (cp >= 0xfe00 && cp <= 0xfe0f) return cp - 0xfe00;
  if (cp >= 0xe0100 && cp <= 0xe01ef) return cp - 0xe0100 + 16;
  return -1;
}

/**
 * Fewest hidden bytes decoded as text. A single selector after an emoji is ordinary
 * (U+FE0F asks for emoji presentation); a run of them carries data.
 */
const MIN_HIDDEN_BYTES = 4;
const utf8 = new TextDecoder('utf-8', { fatal: false });

/** Collects text hidden in tag characters and in runs of variation selectors. */
class HiddenCollector {
  readonly runs: HiddenRun[] = [];
  private tagText = '';
  private tagStart = -1;
  private tagEnd = -1;
  private bytes: number[] = [];
  private selStart = -1;
  private selEnd = -1;

  /** Record `cp` at `i` (width `w`) when it carries hidden data; false when it does not. */
  take(cp: number, i: number, w: number): boolean {
    if (isTag(cp)) {
      if (this.tagEnd !== i) this.flushTags(i);
      this.tagText += String.fromCharCode(cp - 0xe0000);
      this.tagEnd = i + w;
      return true;
    }
    const b = selectorByte(cp);
    if (b < 0) return false;
    if (this.selEnd !== i) this.flushSelectors(i);
    this.bytes.push(b);
    this.selEnd = i + w;
    return true;
  }

  /** The runs, once the whole input has been read. */
  finish(): HiddenRun[] {
    this.flushTags(-1);
    this.flushSelectors(-1);
    return this.runs;
  }

  private flushTags(next: number): void {
    if (this.tagText.length > 0)
      this.runs.push({ text: this.tagText, start: this.tagStart, end: this.tagEnd, encoding: 'tags' });
    this.tagText = '';
    this.tagStart = next;
  }

  private flushSelectors(next: number): void {
    if (this.bytes.length >= MIN_HIDDEN_BYTES) {
      const text = utf8.decode(Uint8Array.from(this.bytes));
      this.runs.push({ text, start: this.selStart, end: this.selEnd, encoding: 'variation' });
    }
    this.bytes = [];
    this.selStart = next;
  }
}

/** The `clean` view under construction, with its offset maps; they grow only for expansions (NFKC of "ﬁ" is "fi"). */
class CleanBuilder {
  clean = '';
  len = 0;
  private starts: Int32Array;
  private ends: Int32Array;

  constructor(private cap: number) {
    this.starts = new Int32Array(cap);
    this.ends = new Int32Array(cap);
  }

  /** Input characters `[i, j)`, all ASCII, each mapping to itself. */
  ascii(input: string, i: number, j: number): void {
    this.reserve(j - i);
    this.clean += input.slice(i, j);
    for (let k = i; k < j; k++) {
      this.starts[this.len] = k;
      this.ends[this.len++] = k + 1;
    }
  }

  /** `norm`, every unit of which came from input `[start, end)`. */
  unit(norm: string, start: number, end: number): void {
    this.reserve(norm.length);
    for (let k = 0; k < norm.length; k++) {
      this.starts[this.len] = start;
      this.ends[this.len++] = end;
    }
    this.clean += norm;
  }

  maps(): { startMap: Int32Array; endMap: Int32Array } {
    return { startMap: this.starts.subarray(0, this.len), endMap: this.ends.subarray(0, this.len) };
  }

  private reserve(extra: number): void {
    if (this.len + extra <= this.cap) return;
    this.cap = Math.max(this.cap * 2, this.len + extra);
    const s2 = new Int32Array(this.cap);
    s2.set(this.starts.subarray(0, this.len));
    this.starts = s2;
    const e2 = new Int32Array(this.cap);
    e2.set(this.ends.subarray(0, this.len));
    this.ends = e2;
  }
}

/** Skip invisible characters from `i`, collecting hidden data; returns the next visible index. */
function skipInvisible(input: string, i: number, hidden: HiddenCollector): number {
  while (i < input.length) {
    const cp = input.codePointAt(i) as number;
    const w = cp > 0xffff ? 2 : 1;
    if (!hidden.take(cp, i, w) && !isInvisible(cp)) break;
    i += w;
  }
  return i;
}

/** Where {@link readCluster} leaves the cluster it read (one object reused: no allocation per cluster). */
const scratch = { cluster: '' };

/**
 * The cluster at `i`: the base character and the combining marks after it, with invisible
 * characters between them removed, left in `scratch.cluster`. Returns the index after it. A
 * tag ends a cluster (tags are read by {@link skipInvisible}); variation selectors are read
 * here, as they follow the character they are attached to.
 */
function readCluster(input: string, i: number, hidden: HiddenCollector): number {
  const cp = input.codePointAt(i) as number;
  const baseW = cp > 0xffff ? 2 : 1;
  let cluster = input.slice(i, i + baseW);
  i += baseW;
  while (i < input.length) {
    const c2 = input.codePointAt(i) as number;
    const w2 = c2 > 0xffff ? 2 : 1;
    if (isTag(c2)) break;
    if (hidden.take(c2, i, w2) || isInvisible(c2)) {
      i += w2;
      continue;
    }
    if (!isCombining(c2)) break;
    cluster += input.slice(i, i + w2);
    i += w2;
  }
  scratch.cluster = cluster;
  return i;
}

/**
 * Letter-like characters NFKC leaves alone or expands, that stand for one Latin letter:
 * parenthesized letters (NFKC gives "(a)", which splits a word) and negative circled and
 * squared capitals. Astral or expanding, so they cannot be folded unit for unit in `fold`.
 */
function letterForm(cp: number): string | undefined {
  if (cp >= 0x249c && cp <= 0x24b5) return String.fromCharCode(0x61 + cp - 0x249c);
  if (cp >= 0x1f150 && cp <= 0x1f169) return String.fromCharCode(0x41 + cp - 0x1f150);
  if (cp >= 0x1f170 && cp <= 0x1f189) return String.fromCharCode(0x41 + cp - 0x1f170);
  return undefined;
}

function normalizeCluster(cluster: string): string {
  const cp = cluster.codePointAt(0) as number;
  // Latin-1 letters, digits and punctuation are NFKC-stable on their own (except a few
  // compatibility characters from 0xA0 and U+0132 up), so only rarer clusters pay for normalize().
  if (cluster.length === 1 && (cp < 0xa0 || (cp >= 0xc0 && cp < 0x132))) return cluster;
  const single = cluster.length === (cp > 0xffff ? 2 : 1);
  return (single && letterForm(cp)) || safeNFKC(cluster);
}

/** `clean` and its maps: NFKC per cluster, invisible characters removed, hidden text collected. */
function buildClean(input: string): { b: CleanBuilder; hidden: HiddenRun[] } {
  const n = input.length;
  const b = new CleanBuilder(n + 16);
  const hidden = new HiddenCollector();
  let i = 0;
  while (i < n) {
    // Fast path: a run of ASCII maps to itself. Its last character stays for the cluster
    // path when non-ASCII follows, since a combining mark may compose with it.
    let j = i;
    while (j < n && input.charCodeAt(j) < 0x80) j++;
    if (j < n) j--;
    if (j > i) {
      b.ascii(input, i, j);
      i = j;
      continue;
    }
    i = skipInvisible(input, i, hidden);
    if (i >= n) break;
    // Offsets of the cluster start at its base character, not at invisibles before it.
    const clusterStart = i;
    i = readCluster(input, i, hidden);
    b.unit(normalizeCluster(scratch.cluster), clusterStart, i);
  }
  return { b, hidden: hidden.finish() };
}

/** `clean` with look-alikes folded to ASCII; `clean` itself when it has none (most text). */
function foldView(clean: string): string {
  const len = clean.length;
  for (let k = 0; k < len; k++) {
    if (clean.charCodeAt(k) >= 128 && FOLD.has(clean.charCodeAt(k))) {
      const codes = new Uint16Array(len);
      for (let q = 0; q < len; q++) {
        const c = clean.charCodeAt(q);
        codes[q] = c >= 128 ? (FOLD.get(c) ?? c) : c;
      }
      return codesToString(codes);
    }
  }
  return clean;
}

/** `fold` lower-cased with leetspeak mapped, unit for unit. */
function leetView(fold: string): string {
  const len = fold.length;
  const leet = fold.toLowerCase();
  if (leet.length === len) return deLeet(leet);
  // Keep the views aligned: a lower-case mapping that changes length keeps the original.
  const codes = new Uint16Array(len);
  for (let k = 0; k < len; k++) {
    const c = fold.charCodeAt(k);
    if (c < 128) codes[k] = LEET_TABLE[c] as number;
    else {
      const lower = String.fromCharCode(c).toLowerCase();
      codes[k] = lower.length === 1 ? lower.charCodeAt(0) : c;
    }
  }
  return codesToString(codes);
}

/** Join split vocabulary words (split-words.ts) when the cheap hint says there may be some. */
function withSplitWordsJoined(v: Normalized): Normalized {
  if (!mayHoldSplitWords(v.leet)) return v;
  const maps = v.identity === true ? identityMaps(v.leet.length) : v;
  const joined = joinSplitWords({ clean: v.clean, fold: v.fold, leet: v.leet, ...maps });
  if (joined === undefined) return v;
  const { before, ...views } = joined;
  return { ...views, hidden: v.hidden, unjoined: { clean: v.clean, at: before } };
}

/**
 * Normalize `input` for matching. Linear in the input length: each base character and its
 * combining marks are normalized as one cluster, which is what NFKC composition needs.
 */
export function normalizeText(input: string): Normalized {
  // A native scan: much cheaper than a JavaScript loop over the characters.
  if (!NON_ASCII.test(input)) return withSplitWordsJoined(asciiFast(input));
  const { b, hidden } = buildClean(input);
  const fold = foldView(b.clean);
  return withSplitWordsJoined({ clean: b.clean, fold, leet: leetView(fold), ...b.maps(), hidden });
}

function codesToString(codes: Uint16Array): string {
  let out = '';
  // Chunked: fromCharCode.apply has an argument-count limit.
  for (let i = 0; i < codes.length; i += 8192) {
    out += String.fromCharCode.apply(null, codes.subarray(i, i + 8192) as unknown as number[]);
  }
  return out;
}

function safeNFKC(s: string): string {
  // Lone surrogates survive normalize(); guard anyway so no input can make scanning throw.
  try {
    return s.normalize('NFKC');
  } catch {
    return s;
  }
}

// Anything but printable ASCII and tab/newline; other control characters take the general
// path, which maps them to themselves.
const NON_ASCII = /[^\t\n\r\x20-\x7e]/;
const NO_MAP = new Int32Array(0);
const LEET_CHARS = /[013457@$]/;
const LEET_ALL = /[013457@$]/g;
const LEET_ENTRIES = Object.entries(LEET);

/** Leetspeak mapped in a lower-cased text: one native pass per symbol, only when there is one. */
function deLeet(lower: string): string {
  if (!LEET_CHARS.test(lower)) return lower;
  // A callback per symbol is cheapest on prompt-sized text; on long text full of digits the
  // native passes win by far.
  if (lower.length < 4096) return lower.replace(LEET_ALL, (c) => LEET[c] ?? c);
  let out = lower;
  for (const [from, to] of LEET_ENTRIES) if (out.includes(from)) out = out.replaceAll(from, to);
  return out;
}

function asciiFast(input: string): Normalized {
  // Printable ASCII needs no offset map (identity) and its lower-casing is native; only
  // texts with leetspeak digits or symbols pay for a replace.
  const leet = deLeet(input.toLowerCase());
  return { clean: input, fold: input, leet, startMap: NO_MAP, endMap: NO_MAP, hidden: [], identity: true };
}

/** Map a span in normalized coordinates back to the original string. */
export function toOriginal(norm: Normalized, start: number, end: number, originalLength: number): [number, number] {
  if (norm.identity === true) {
    const s = Math.min(Math.max(0, start), originalLength);
    return [s, Math.max(s, Math.min(end, originalLength))];
  }
  const len = norm.startMap.length;
  if (len === 0) return [0, 0];
  const s = start < len ? (norm.startMap[start] as number) : originalLength;
  const e = end > 0 ? (norm.endMap[Math.min(end, len) - 1] as number) : s;
  return [s, Math.max(s, e)];
}
