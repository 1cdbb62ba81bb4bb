/**
 * Token estimate for budgets and `maxTokens`, without shipping a BPE vocabulary.
 *
 * Mirrors how cl100k/o200k pre-tokenize: a word with its leading space is usually one token,
 * long or rare words split into pieces of about four letters, digits go in groups of three,
 * punctuation runs cost about one token per two characters. Scripts other than Latin get a
 * deliberately generous rate (CJK about one token per character) because budgets should
 * over-estimate rather than let a request through under the limit.
 */
// The pieces are those of a pre-tokenizer pattern, read in one pass over char codes: a regex
// `exec` loop allocated a match and a substring per word, which showed in every request's GC.

/** JavaScript's `\s`. */
export function isSpace(c: number): boolean {
  // Nearly every character read is printable ASCII: settle those in two comparisons.
  if (c < 0xa0) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}
const isLetter = (c: number) => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isLatinExtended = (c: number) => c >= 0x80 && c <= 0x24f;
const isCjk = (c: number) =>
  (c >= 0x3040 && c <= 0x30ff) ||
  (c >= 0x3400 && c <= 0x9fff) ||
  (c >= 0xac00 && c <= 0xd7af) ||
  (c >= 0xf900 && c <= 0xfaff);
const isOtherScript = (c: number) => (c >= 0x250 && c <= 0x2fff) || (c >= 0xa000 && c <= 0xabff);
const isPunctuation = (c: number) => c < 0x80 && !isSpace(c) && !isLetter(c) && !isDigit(c);

/** Length of a contraction suffix ("'s", "’re") at `i`, or 0. */
function contraction(text: string, i: number): number {
  const a = text.charCodeAt(i + 1);
  let n = 0;
  if (a === 0x73 || a === 0x74 || a === 0x6d || a === 0x64)
    n = 2; // s t m d
  else if ((a === 0x72 || a === 0x76) && text.charCodeAt(i + 2) === 0x65)
    n = 3; // re ve
  else if (a === 0x6c && text.charCodeAt(i + 2) === 0x6c) n = 3; // ll
  return n > 0 && !isLetter(text.charCodeAt(i + n)) ? n : 0;
}

/**
 * Estimate the number of tokens `text` takes in OpenAI's o200k/cl100k encodings: within about
 * ±10% on English prose, an over-estimate on most code and non-English text.
 *
 * @example
 * ```ts
 * estimateTokens('The quick brown fox jumps over the lazy dog.'); // 10
 * ```
 */
export function estimateTokens(text: string): number {
  if (text.length === 0) return 0;
  let tokens = 0;
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    const apostrophe = c === 0x27 || c === 0x2019;
    const suffix = apostrophe ? contraction(text, i) : 0;
    // One loop per class (not a shared loop taking a predicate) so each one stays inlined.
    let end = i + 1;
    const len = text.length;
    if (suffix > 0) end = i + suffix;
    else if (isLetter(c)) while (end < len && isLetter(text.charCodeAt(end))) end++;
    else if (isDigit(c)) while (end < len && isDigit(text.charCodeAt(end))) end++;
    else if (isSpace(c)) while (end < len && isSpace(text.charCodeAt(end))) end++;
    else if (isLatinExtended(c)) while (end < len && isLatinExtended(text.charCodeAt(end))) end++;
    else if (isCjk(c)) while (end < len && isCjk(text.charCodeAt(end))) end++;
    else if (isOtherScript(c)) while (end < len && isOtherScript(text.charCodeAt(end))) end++;
    else if (isPunctuation(c)) while (end < len && isPunctuation(text.charCodeAt(end))) end++;
    const n = end - i;
    if (apostrophe) {
      tokens += 1; // a contraction suffix ("'s", "'d") is one token
    } else if (isLetter(c)) {
      // Common words are single tokens; longer ones split into ~4-letter pieces.
      tokens += n <= 9 ? 1 : 1 + Math.ceil((n - 9) / 5);
    } else if (isDigit(c)) {
      tokens += Math.ceil(n / 3);
    } else if (isSpace(c)) {
      // A single space joins the next word; longer runs (indentation, blank lines) cost extra.
      if (n > 1) tokens += Math.ceil((n - 1) / 4) + (text.lastIndexOf('\n', end - 1) >= i ? 0.5 : 0);
    } else if (isLatinExtended(c)) {
      tokens += Math.ceil(n / 2);
    } else if ((c >= 0x3040 && c <= 0x9fff) || (c >= 0xac00 && c <= 0xd7af) || (c >= 0xf900 && c <= 0xfaff)) {
      tokens += n;
    } else if (c >= 0x250 && c < 0xd800) {
      tokens += Math.ceil(n / 1.5);
    } else if (c >= 0xd800) {
      tokens += n; // astral characters (emoji) take one or more tokens each
    } else {
      tokens += Math.ceil(n / 2);
    }
    i = end;
  }
  return Math.max(1, Math.round(tokens));
}
