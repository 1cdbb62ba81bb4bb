/**
 * E-mail addresses per RFC 5321 (dot-atom local part) and RFC 6531 (UTF-8 local parts and
 * internationalized domains, in Unicode or as `xn--` punycode labels).
 *
 * Scanning starts at each `@` and walks outwards with bounded loops (64 characters left,
 * 253 right), so `a@a@a@…` costs linear time. Quoted local parts and domain literals
 * (`"a b"@x`, `a@[1.2.3.4]`) are left out: prose almost never holds them and their grammar
 * overlaps with ordinary punctuation.
 */
import type { RawMatch } from './types.js';

const LOCAL_MAX = 64;
const DOMAIN_MAX = 253;
const LABEL_MAX = 63;

/** RFC 5322 `atext` plus the dot, and any non-ASCII letter or digit (RFC 6531). */
function isLocalChar(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c >= 0x80) return /[\p{L}\p{N}\p{M}]/u.test(text[i] as string);
  return (
    (c >= 0x30 && c <= 0x39) ||
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x61 && c <= 0x7a) ||
    "!#$%&'*+-/=?^_`{|}~.".includes(text[i] as string)
  );
}

/** A domain label character: ASCII letter, digit, hyphen, or a non-ASCII letter (IDN). */
function isLabelChar(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c >= 0x80) return /[\p{L}\p{N}\p{M}]/u.test(text[i] as string);
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x2d;
}

// File extensions that are no top-level domain: `logo@2x.png` is an image, not an address.
const FILE_EXTENSION =
  /^(?:png|jpe?g|gif|svg|webp|bmp|ico|tiff?|css|m?js|cjs|tsx?|jsx|json|ya?ml|toml|lock|txt|csv|pdf|docx?|xlsx?|gz|tar|exe|dll|java|kt|wasm|map)$/i;

/** A top-level domain: letters (ASCII or not), or an `xn--` punycode label. */
function validTld(label: string): boolean {
  if (FILE_EXTENSION.test(label)) return false;
  return /^(?:[A-Za-z]{2,63}|[xX][nN]--[A-Za-z0-9-]{1,59}|[\p{L}\p{M}]{2,63})$/u.test(label);
}

/** End of the domain starting at `from`, or -1 when no valid domain starts there. */
function domainEnd(text: string, from: number): number {
  let i = from;
  let lastLabel = '';
  let labels = 0;
  let end = -1;
  while (i < text.length && i - from <= DOMAIN_MAX) {
    const start = i;
    while (i < text.length && i - start <= LABEL_MAX && isLabelChar(text, i)) i++;
    const label = text.slice(start, i);
    if (label.length === 0 || label.length > LABEL_MAX || label.startsWith('-') || label.endsWith('-')) break;
    labels++;
    lastLabel = label;
    if (labels >= 2 && validTld(lastLabel)) end = i;
    // A dot continues the domain only when a label follows ("mail me at a@b.com.").
    if (text[i] !== '.' || i + 1 >= text.length || !isLabelChar(text, i + 1)) break;
    i++;
  }
  if (end < 0 || end - from > DOMAIN_MAX) return -1;
  // A domain glued to more word characters is part of some other token.
  if (end < text.length && (isLabelChar(text, end) || text[end] === '@')) return -1;
  return end;
}

/** Start of the dot-atom local part ending at `at`, or -1 when there is none. */
function localStart(text: string, at: number): number {
  let s = at;
  while (s > 0 && at - s <= LOCAL_MAX && isLocalChar(text, s - 1)) s--;
  if (at - s > LOCAL_MAX) return -1;
  // Quotes and emphasis around an address are far more common than local parts that
  // start with them.
  while (s < at && "'`*.".includes(text[s] as string)) s++;
  const local = text.slice(s, at);
  if (local.length === 0 || local.endsWith('.') || local.includes('..')) return -1;
  // `"a b"@x`, `a(b)@x` and `a\@x`: a quoted string or comment that dot-atom cannot hold.
  // A quote before the local part is checked by the caller: it may open a quoted address.
  if (s > 0 && '\\)]'.includes(text[s - 1] as string)) return -1;
  return s;
}

/** E-mail addresses in `text`, appended to `out`. */
export function findEmails(text: string, out: RawMatch[]): void {
  for (let at = text.indexOf('@'); at >= 0; at = text.indexOf('@', at + 1)) {
    const start = localStart(text, at);
    if (start < 0) continue;
    const end = domainEnd(text, at + 1);
    if (end < 0) continue;
    // A quote before the address is a quoted local part (`"x y".z@w`) unless one closes it
    // right after the domain: `"jane@example.com"`, as in JSON or quoted prose.
    if (start > 0 && text[start - 1] === '"' && text[end] !== '"') continue;
    out.push({ type: 'email', start, end });
  }
}
