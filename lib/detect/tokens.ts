/**
 * Token estimate for budgets and `maxTokens`, without shipping a BPE vocabulary.
 *
 * Mirrors how cl100k/o200k pre-tokenize: a word with its leading space is usually one token,
 * long or rare words split into pieces of about four letters, digits go in groups of three,
 * punctuation runs cost about one token per two characters. Scripts other than Latin get a
 * deliberately generous rate (CJK about one token per character) because budgets should
 * over-estimate rather than let a request through under the limit.
 */
const CHUNK =
  /['’](?:s|t|re|ve|m|ll|d)(?![A-Za-z])|[A-Za-z]+|\d+|\s+|[\u0080-\u024f]+|[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]+|[\u0250-\u2fff\ua000-\uabff]+|[^\sA-Za-z\d\u0080-\uffff]+|[\s\S]/g;

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
  CHUNK.lastIndex = 0;
  for (let m = CHUNK.exec(text); m !== null; m = CHUNK.exec(text)) {
    const s = m[0];
    const c = s.charCodeAt(0);
    const n = s.length;
    if (c === 0x27 || c === 0x2019) {
      tokens += 1; // a contraction suffix ("'s", "'d") is one token
    } else if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) {
      // Common words are single tokens; longer ones split into ~4-letter pieces.
      tokens += n <= 9 ? 1 : 1 + Math.ceil((n - 9) / 5);
    } else if (c >= 0x30 && c <= 0x39) {
      tokens += Math.ceil(n / 3);
    } else if (c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d || /\s/.test(s[0] as string)) {
      // A single space joins the next word; longer runs (indentation, blank lines) cost extra.
      if (n > 1) tokens += Math.ceil((n - 1) / 4) + (s.includes('\n') ? 0.5 : 0);
    } else if (c >= 0x80 && c <= 0x24f) {
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
  }
  return Math.max(1, Math.round(tokens));
}
