/**
 * Bounded decoding of encoded runs (base64, hex, `\xHH`, URL `%xx`, Unicode tags) so that a
 * payload hidden in an encoding is scanned like plain text. Every limit here exists so that
 * an attacker cannot make decoding the expensive part of a request: runs are cut into
 * fixed windows, and the decoded characters per scan are capped linearly in the text, so
 * that decoys cannot hide a later payload.
 */
import { Buffer } from 'node:buffer';
import { alnumClass, nextRun, type RunKind, type Span } from './runs.js';

/** Characters of encoded text decoded as one window; a finding inside maps to the window. */
export const DECODE_WINDOW = 1024;
/** Shortest run decoded. */
const MIN_RUN = 16;
/**
 * Longest span of text one window covers: a wrapped block's lines are at least
 * {@link MIN_RUN} characters and at most two whitespace characters apart.
 */
export const WRAPPED_WINDOW_SPAN = DECODE_WINDOW + 2 * (Math.ceil(DECODE_WINDOW / MIN_RUN) + 1);
/** Encoded characters decoded per scan when the text is shorter than half of this. */
export const MAX_DECODED_CHARS = 48 * 1024;

/** A decoded window: `start`/`end` are offsets of the encoded text in the scanned string. */
export interface DecodedSegment {
  text: string;
  start: number;
  end: number;
  encoding: 'base64' | 'hex' | 'url' | 'tags' | 'variation' | 'rot13' | 'reversed';
}

// Each pattern is a single character-class run (or a fixed-width unit repeated), so a failed
// attempt costs at most the minimum length and matching stays linear.
/** `[A-Za-z0-9+/_-]`: the characters of a base64 (or base64url, or hex) run. */
const B64 = alnumClass('+/_-');
const B64_RUN: RunKind = { member: B64, minLen: MIN_RUN };
const ESC_HEX_RUN = /(?:\\x[0-9A-Fa-f]{2}){4,}/g;
const PCT_RUN = /(?:%[0-9A-Fa-f]{2}[A-Za-z0-9._~!*'()+-]{0,8}){3,}/g;
const HEX_ONLY = /^[0-9A-Fa-f]+$/;

const decoder = new TextDecoder('utf-8', { fatal: false });

/** True when the bytes look like text a model would read (not a hash or compressed data). */
function looksLikeText(s: string): boolean {
  if (s.length < 4) return false;
  let printable = 0;
  let letters = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0xfffd) continue;
    if (c >= 0x20 || c === 0x0a || c === 0x0d || c === 0x09) printable++;
    if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c > 0xbf) letters++;
  }
  return printable >= s.length * 0.9 && letters >= Math.min(4, s.length / 2);
}

function decodeBase64(s: string): string {
  return decoder.decode(Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64'));
}

function decodeHex(s: string): string {
  return decoder.decode(Buffer.from(s.length % 2 === 0 ? s : s.slice(0, -1), 'hex'));
}

const HEX_VALUE = new Int8Array(128).fill(-1);
for (let c = 0; c < 128; c++) {
  const v = parseInt(String.fromCharCode(c), 16);
  if (!Number.isNaN(v)) HEX_VALUE[c] = v;
}
const hexValue = (c: number): number => (c < 128 ? (HEX_VALUE[c] as number) : -1);

function decodePercent(s: string): string {
  const bytes = new Uint8Array(s.length);
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x25 && i + 2 < s.length) {
      const hi = hexValue(s.charCodeAt(i + 1));
      const lo = hexValue(s.charCodeAt(i + 2));
      if (hi >= 0 && lo >= 0) {
        bytes[n++] = hi * 16 + lo;
        i += 2;
        continue;
      }
    }
    bytes[n++] = c === 0x2b ? 0x20 : c & 0xff;
  }
  return decoder.decode(bytes.subarray(0, n));
}

interface Budget {
  chars: number;
}

/**
 * A fresh per-scan decoding budget for a text of `length` characters. Linear in the text, so
 * it bounds the work without ever leaving a run undecoded: the encoded characters of one
 * level are at most the text, and decoding shrinks them (base64 by a quarter, hex by half),
 * so the nested level fits in the second share.
 */
export function newBudget(length: number): Budget {
  return { chars: Math.max(MAX_DECODED_CHARS, 2 * length) };
}

/** True when `text[start, end)` has a capital, a digit or a `+`. */
function hasCapitalOrDigit(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x2b) return true;
  }
  return false;
}

/**
 * A base64 (or hex) block: one run, or lines of one run each as MIME and PEM wrap them.
 * `lines` holds [start, end) pairs of each line's characters in the text.
 */
interface Block {
  start: number;
  end: number;
  lines: number[];
}

/** Longest gap between wrapped lines: `\r\n`, or one space or newline. */
const MAX_GAP = 2;

/** End of the whitespace gap after `at` when a line of a wrapped block may follow, else -1. */
function gapEnd(text: string, at: number): number {
  let i = at;
  while (i < text.length && i - at < MAX_GAP) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
    i++;
  }
  return i > at ? i : -1;
}

/** Length of the run of base64 characters at `at`, with up to two `=` of padding. */
function runLength(text: string, at: number): number {
  let i = at;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c >= 128 || B64[c] === 0) break;
    i++;
  }
  if (i > at && text.charCodeAt(i) === 0x3d) i++;
  if (i > at + 1 && text.charCodeAt(i) === 0x3d) i++;
  return i - at;
}

/**
 * Extend the run `[start, end)` with the lines that follow it when it is the first line of a
 * wrapped block. Wrapping is recognised by its regularity: every line but the last has the
 * length of the first, a multiple of 4, and lines are separated by one line break or space.
 * Whether a line joins depends only on the text before it, so a growing stream keeps its
 * blocks.
 */
function extendWrapped(text: string, start: number, end: number): Block {
  const lines = [start, end];
  const width = end - start;
  let last = end;
  if (width % 4 === 0 && text.charCodeAt(end - 1) !== 0x3d) {
    for (;;) {
      const next = gapEnd(text, last);
      if (next < 0) break;
      const len = runLength(text, next);
      // Wrapped base64 is padded to a multiple of 4, so a shorter last line is too.
      if (len === 0 || len > width || len % 4 !== 0) break;
      lines.push(next, next + len);
      last = next + len;
      if (len < width || text.charCodeAt(last - 1) === 0x3d) break;
    }
  }
  return { start, end: last, lines };
}

/** The characters of a block without its line breaks, and the text offset of each. */
function blockChars(text: string, block: Block): { chars: string; at: (k: number) => number } {
  const { lines } = block;
  if (lines.length === 2) return { chars: text.slice(block.start, block.end), at: (k) => block.start + k };
  let chars = '';
  const offsets: number[] = [];
  for (let l = 0; l < lines.length; l += 2) {
    offsets.push(chars.length, lines[l] as number);
    chars += text.slice(lines[l], lines[l + 1]);
  }
  const at = (k: number): number => {
    let l = 0;
    while (l + 2 < offsets.length && (offsets[l + 2] as number) <= k) l += 2;
    return (offsets[l + 1] as number) + k - (offsets[l] as number);
  };
  return { chars, at };
}

/**
 * Every base64 or hex block of `text`, in text order. Found by skipping through the text
 * (runs.ts) rather than with a regex: a regex retries a failed run at each of its characters.
 */
function findBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  const span: Span = { start: 0, end: 0 };
  for (let from = 0; nextRun(text, from, B64_RUN, span);) {
    let end = span.end;
    if (text.charCodeAt(end) === 0x3d) end++;
    if (text.charCodeAt(end) === 0x3d) end++;
    const block = extendWrapped(text, span.start, end);
    from = block.end;
    // Base64 of text has capitals or digits (16 random base64 characters lack both with
    // odds of about 1 in 10^6); runs without them are words, identifiers or paths.
    if (hasCapitalOrDigit(text, block.start, block.end)) blocks.push(block);
  }
  return blocks;
}

/**
 * Decode a block in windows aligned to its start, so that appending text only ever changes
 * the last window of the last block, which keeps results stable for streaming. Returns false
 * when the budget ran out.
 */
function decodeBlock(text: string, block: Block, budget: Budget, out: DecodedSegment[]): boolean {
  const { chars, at } = blockChars(text, block);
  const isHex = HEX_ONLY.test(chars);
  const win = isHex ? DECODE_WINDOW : DECODE_WINDOW - (DECODE_WINDOW % 4);
  for (let off = 0; off < chars.length; off += win) {
    const piece = chars.slice(off, off + win);
    if (piece.length < MIN_RUN && off > 0) break;
    if (budget.chars < piece.length) return false;
    budget.chars -= piece.length;
    const decoded = isHex ? decodeHex(piece) : decodeBase64(piece);
    if (looksLikeText(decoded)) {
      out.push({
        text: decoded,
        start: at(off),
        end: at(off + piece.length - 1) + 1,
        encoding: isHex ? 'hex' : 'base64',
      });
    }
  }
  return true;
}

/** An escape encoding: the runs it finds and how a piece of one decodes. */
interface EscapeCodec {
  re: RegExp;
  decode: (piece: string) => string;
  encoding: DecodedSegment['encoding'];
}

const HEX_ESCAPES: EscapeCodec = {
  re: ESC_HEX_RUN,
  decode: (p) => decodeHex(p.replace(/\\x/g, '')),
  encoding: 'hex',
};
const PERCENT_ESCAPES: EscapeCodec = { re: PCT_RUN, decode: decodePercent, encoding: 'url' };

/** Decode the runs `codec` finds, window by window; false when the budget ran out. */
function decodeEscapes(text: string, codec: EscapeCodec, budget: Budget, out: DecodedSegment[]): boolean {
  const { re, decode, encoding } = codec;
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const run = m[0];
    for (let off = 0; off < run.length; off += DECODE_WINDOW) {
      const piece = run.slice(off, off + DECODE_WINDOW);
      if (budget.chars < piece.length) return false;
      budget.chars -= piece.length;
      const decoded = decode(piece);
      if (looksLikeText(decoded))
        out.push({ text: decoded, start: m.index + off, end: m.index + off + piece.length, encoding });
    }
  }
  return true;
}

/**
 * Find and decode encoded runs in `text` (the folded view). Every run is decoded: the budget
 * is linear in the text (see {@link newBudget}), so no number of decoy runs can use it up
 * before a payload. Offsets are into `text`.
 */
export function findEncodedRuns(text: string, budget: Budget): DecodedSegment[] {
  const out: DecodedSegment[] = [];
  if (text.length < MIN_RUN) return out;
  for (const block of findBlocks(text)) if (!decodeBlock(text, block, budget, out)) return out;
  if (text.includes('\\x') && !decodeEscapes(text, HEX_ESCAPES, budget, out)) return out;
  if (text.includes('%')) decodeEscapes(text, PERCENT_ESCAPES, budget, out);
  return out;
}
