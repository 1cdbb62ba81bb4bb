/**
 * Streaming support: how much of a growing buffer is final.
 */
import { PII_MAX_MATCH } from './pii.js';
import { PRIVATE_KEY_MAX, SECRET_MAX_MATCH } from './secrets.js';
import { WRAPPED_WINDOW_SPAN } from './decode.js';
import { alnumClass } from './runs.js';

/**
 * Longest span a single PII or secret finding can cover, in UTF-16 code units, private-key
 * blocks excepted (see {@link PRIVATE_KEY_MAX_LENGTH}). Text further than this (plus a few
 * characters of context) from the end of a buffer cannot start a finding that more text
 * would change.
 */
export const MAX_MATCH_LENGTH = Math.max(PII_MAX_MATCH, SECRET_MAX_MATCH, WRAPPED_WINDOW_SPAN);

/** Longest private-key block (`-----BEGIN … PRIVATE KEY-----` to `-----END …-----`) recognized. */
export const PRIVATE_KEY_MAX_LENGTH = PRIVATE_KEY_MAX;

// Look-behind/-ahead context our patterns inspect around a match, and the key names that
// precede an assigned value (`client_secret = `) or header (`Authorization: Bearer `).
const CONTEXT = 160;

/**
 * The index before which PII and secret findings of `text` cannot change when more text is
 * appended: an output filter may release `text.slice(0, stableBoundary(text))` once it has
 * been scanned, and must hold back the rest. Injection scores are whole-text and not covered.
 *
 * Most findings cannot span whitespace, so the boundary is the start of the last
 * whitespace-free run minus some context; a long run falls back to {@link MAX_MATCH_LENGTH};
 * an unterminated private-key block holds everything from its `-----BEGIN`.
 *
 * @example
 * ```ts
 * const safe = stableBoundary(buffer);
 * emit(scanText(buffer.slice(0, safe), { normalize: false }).redacted);
 * ```
 */
export function stableBoundary(text: string): number {
  const n = text.length;
  let i = n;
  // Trailing whitespace does not end a phone number or an IBAN written in groups.
  while (i > 0 && i > n - MAX_MATCH_LENGTH && !/\s/.test(text[i - 1] as string)) i--;
  i = wrappedBlockStart(text, i, n - MAX_MATCH_LENGTH);
  let boundary = Math.max(0, Math.min(i, n - 1) - CONTEXT);
  boundary = Math.max(boundary, n - MAX_MATCH_LENGTH - CONTEXT);
  const begin = text.lastIndexOf('-----BEGIN', n);
  if (begin >= 0 && begin >= n - PRIVATE_KEY_MAX - CONTEXT) {
    const end = text.indexOf('-----END', begin);
    const closed = end >= 0 && text.indexOf('-----', end + 8) >= 0;
    if (!closed) boundary = Math.min(boundary, begin);
  }
  return Math.max(0, Math.min(boundary, n));
}

const B64 = alnumClass('+/_-');
const isGap = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/**
 * Where the wrapped base64 block that the text ending at `i` may continue starts (decode.ts,
 * `extendWrapped`): lines of one width, a multiple of 4 and at least 16, one or two
 * whitespace characters apart. Its windows span line breaks, so the block is held back as a
 * whole (down to `floor`, past which a window is always complete). `i` when there is none.
 */
function wrappedBlockStart(text: string, i: number, floor: number): number {
  let width = -1;
  for (let at = i; at > floor;) {
    let g = at;
    while (g > 0 && at - g < 2 && isGap(text.charCodeAt(g - 1))) g--;
    if (g === at) return i;
    let s = g;
    while (s > 0) {
      const c = text.charCodeAt(s - 1);
      if (c >= 128 || B64[c] === 0) break;
      s--;
    }
    const len = g - s;
    if (width < 0 ? len < 16 || len % 4 !== 0 : len !== width) return i;
    if (s > 0 && !isGap(text.charCodeAt(s - 1))) return i;
    width = len;
    i = s;
    at = s;
  }
  return i;
}
