/**
 * One normalization pass shared by every detector.
 *
 * Attackers hide text from pattern matchers with characters a model still reads (or that a
 * renderer hides from humans): zero-width joiners, bidi overrides, Unicode tag characters,
 * variation selectors, fullwidth and mathematical letters, Cyrillic/Greek look-alikes. We build
 * three views of the input of the same length so one offset addresses all of them:
 *
 * - `clean`: NFKC with invisible characters removed. This is what the caller gets back as
 *   `redacted` on the input side, so it must stay readable (no homoglyph folding).
 * - `fold`: `clean` with confusables folded to ASCII, used for PII/secret matching.
 * - `leet`: `fold` lower-cased with leetspeak digits mapped to letters, used for injection
 *   phrases only (a digit inside a credit card number must stay a digit).
 *
 * `startMap[i]`/`endMap[i]` give the original span of the input characters that produced
 * normalized unit `i`, so findings report offsets into the caller's string.
 */

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
  /** ASCII text smuggled in Unicode tag characters (U+E0020–E007E), with its original span. */
  tagRuns: { text: string; start: number; end: number }[];
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

// Look-alikes that NFKC leaves alone. Only letters whose glyphs are indistinguishable from
// Latin in common fonts; folding whole scripts would turn real Greek or Russian into noise.
const CONFUSABLE_PAIRS =
  'аaвbеeкkмmнhоoрpсcтtуyхxіiјjѕsԁdԛqԝwһhӏlɡgАAВBЕEКKМMНHОOРPСCТTХXІIЈJЅSԌGԚQԜW' +
  'αaβbεeιiκkνvοoρpτtυuχxΑAΒBΕEΖZΗHΙIΚKΜMΝNΟOΡPΤTΥYΧXϲcϳjϹCℓlı' +
  'i';
const FOLD = new Map<number, number>();
for (let i = 0; i + 1 < CONFUSABLE_PAIRS.length; i += 2) {
  FOLD.set(CONFUSABLE_PAIRS.charCodeAt(i), CONFUSABLE_PAIRS.charCodeAt(i + 1));
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

/**
 * Normalize `input` for matching. Linear in the input length: each base character and its
 * combining marks are normalized as one cluster, which is what NFKC composition needs.
 */
export function normalizeText(input: string): Normalized {
  const n = input.length;
  // A native scan: much cheaper than a JavaScript loop over the characters.
  if (!NON_ASCII.test(input)) return asciiFast(input);

  // `clean` is built from slices; the offset maps grow only for expansions (NFKC of "ﬁ" is "fi").
  let clean = '';
  let cap = n + 16;
  let starts = new Int32Array(cap);
  let ends = new Int32Array(cap);
  let len = 0;
  const tagRuns: Normalized['tagRuns'] = [];
  let tagText = '';
  let tagStart = -1;
  let tagEnd = -1;

  let i = 0;
  while (i < n) {
    // Fast path: a run of ASCII maps to itself. Its last character stays for the cluster
    // path when non-ASCII follows, since a combining mark may compose with it.
    let j = i;
    while (j < n && input.charCodeAt(j) < 0x80) j++;
    if (j < n) j--;
    if (j > i) {
      clean += input.slice(i, j);
      for (let k = i; k < j; k++) {
        starts[len] = k;
        ends[len++] = k + 1;
      }
      i = j;
      continue;
    }
    let clusterStart = i;
    let cp = input.codePointAt(i) as number;
    let cluster = '';
    // Unicode tags: collect printable ones as a hidden payload, then drop them.
    while (i < n) {
      cp = input.codePointAt(i) as number;
      const w = cp > 0xffff ? 2 : 1;
      if (cp >= 0xe0020 && cp <= 0xe007e) {
        if (tagStart < 0 || tagEnd !== i) {
          if (tagText.length > 0) tagRuns.push({ text: tagText, start: tagStart, end: tagEnd });
          tagText = '';
          tagStart = i;
        }
        tagText += String.fromCharCode(cp - 0xe0000);
        tagEnd = i + w;
        i += w;
        continue;
      }
      if (isInvisible(cp)) {
        i += w;
        continue;
      }
      break;
    }
    if (i >= n) break;
    // Offsets of the cluster start at its base character, not at invisibles before it.
    clusterStart = i;
    // The base character of the cluster.
    const baseW = cp > 0xffff ? 2 : 1;
    cluster = input.slice(i, i + baseW);
    i += baseW;
    while (i < n) {
      const c2 = input.codePointAt(i) as number;
      const w2 = c2 > 0xffff ? 2 : 1;
      if (isInvisible(c2) && !(c2 >= 0xe0020 && c2 <= 0xe007e)) {
        i += w2;
        continue;
      }
      if (!isCombining(c2)) break;
      cluster += input.slice(i, i + w2);
      i += w2;
    }
    // Latin-1 letters, digits and punctuation are NFKC-stable on their own (except a few
    // compatibility characters from 0xA0 and U+0132 up), so only rarer clusters pay for normalize().
    const norm = cluster.length === 1 && (cp < 0xa0 || (cp >= 0xc0 && cp < 0x132)) ? cluster : safeNFKC(cluster);
    if (len + norm.length > cap) {
      cap = Math.max(cap * 2, len + norm.length);
      const s2 = new Int32Array(cap);
      s2.set(starts.subarray(0, len));
      starts = s2;
      const e2 = new Int32Array(cap);
      e2.set(ends.subarray(0, len));
      ends = e2;
    }
    for (let k = 0; k < norm.length; k++) {
      starts[len] = clusterStart;
      ends[len++] = i;
    }
    clean += norm;
  }
  if (tagText.length > 0) tagRuns.push({ text: tagText, start: tagStart, end: tagEnd });

  const startMap = starts.subarray(0, len);
  const endMap = ends.subarray(0, len);
  // Most non-ASCII text (curly quotes, dashes, accents) has no confusable: `fold` is then
  // `clean` itself, and `leet` the native lower-casing plus the leetspeak table.
  let fold = clean;
  for (let k = 0; k < len; k++) {
    if (clean.charCodeAt(k) >= 128 && FOLD.has(clean.charCodeAt(k))) {
      const foldCodes = new Uint16Array(len);
      for (let q = 0; q < len; q++) {
        const c = clean.charCodeAt(q);
        foldCodes[q] = c >= 128 ? (FOLD.get(c) ?? c) : c;
      }
      fold = codesToString(foldCodes);
      break;
    }
  }
  let leet = fold.toLowerCase();
  if (leet.length !== len) {
    // Keep the views aligned: a lower-case mapping that changes length keeps the original.
    const leetCodes = new Uint16Array(len);
    for (let k = 0; k < len; k++) {
      const c = fold.charCodeAt(k);
      if (c < 128) leetCodes[k] = LEET_TABLE[c] as number;
      else {
        const lower = String.fromCharCode(c).toLowerCase();
        leetCodes[k] = lower.length === 1 ? lower.charCodeAt(0) : c;
      }
    }
    leet = codesToString(leetCodes);
  } else if (LEET_CHARS.test(leet)) {
    leet = leet.replace(LEET_ALL, (c) => LEET[c] ?? c);
  }
  return {
    clean,
    fold,
    leet,
    startMap,
    endMap,
    tagRuns,
  };
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

function asciiFast(input: string): Normalized {
  // Printable ASCII needs no offset map (identity) and its lower-casing is native; only
  // texts with leetspeak digits or symbols pay for a replace.
  let leet = input.toLowerCase();
  if (LEET_CHARS.test(leet)) leet = leet.replace(LEET_ALL, (c) => LEET[c] ?? c);
  return { clean: input, fold: input, leet, startMap: NO_MAP, endMap: NO_MAP, tagRuns: [], identity: true };
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
