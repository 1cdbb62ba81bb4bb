/**
 * Bounded decoding of encoded runs (base64, hex, `\xHH`, URL `%xx`, Unicode tags) so that a
 * payload hidden in an encoding is scanned like plain text. Every limit here exists so that
 * an attacker cannot make decoding the expensive part of a request: runs are cut into
 * fixed windows, and the number of windows and decoded characters per scan are capped.
 */
import { Buffer } from 'node:buffer';
import { alnumClass, nextRun, type Span } from './runs.js';

/** Characters of encoded text decoded as one window; a finding inside maps to the window. */
export const DECODE_WINDOW = 1024;
/** At most this many windows are decoded per scan (per nesting level). */
export const MAX_DECODED_SEGMENTS = 48;
/** At most this many encoded characters are decoded per scan. */
export const MAX_DECODED_CHARS = 48 * 1024;

/** A decoded window: `start`/`end` are offsets of the encoded text in the scanned string. */
export interface DecodedSegment {
  text: string;
  start: number;
  end: number;
  encoding: 'base64' | 'hex' | 'url' | 'tags';
}

// Each pattern is a single character-class run (or a fixed-width unit repeated), so a failed
// attempt costs at most the minimum length and matching stays linear.
/** `[A-Za-z0-9+/_-]`: the characters of a base64 (or base64url, or hex) run. */
const B64 = alnumClass('+/_-');
/** Shortest run decoded. */
const MIN_RUN = 16;
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

function decodePercent(s: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x25 && i + 2 < s.length + 0) {
      const v = parseInt(s.slice(i + 1, i + 3), 16);
      if (!Number.isNaN(v)) {
        bytes.push(v);
        i += 2;
        continue;
      }
    }
    bytes.push(c === 0x2b ? 0x20 : c & 0xff);
  }
  return decoder.decode(Uint8Array.from(bytes));
}

interface Budget {
  segments: number;
  chars: number;
}

/** A fresh per-scan decoding budget. */
export function newBudget(): Budget {
  return { segments: MAX_DECODED_SEGMENTS, chars: MAX_DECODED_CHARS };
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
 * Find and decode encoded runs in `text` (the folded view). Windows are aligned to the start
 * of their run so that appending text only ever changes the last window of the last run,
 * which keeps results stable for streaming.
 */
export function findEncodedRuns(text: string, budget: Budget): DecodedSegment[] {
  const out: DecodedSegment[] = [];
  if (text.length < 16) return out;
  const push = (decoded: string, start: number, end: number, encoding: DecodedSegment['encoding']): boolean => {
    if (budget.segments <= 0 || budget.chars <= 0) return false;
    budget.chars -= end - start;
    if (looksLikeText(decoded)) {
      budget.segments--;
      out.push({ text: decoded, start, end, encoding });
    }
    return true;
  };

  // Runs of base64 characters are found by skipping through the text (runs.ts) rather than
  // with a regex: a regex retries a failed run at each of its characters.
  const span: Span = { start: 0, end: 0 };
  for (let from = 0; nextRun(text, from, MIN_RUN, B64, span);) {
    const start = span.start;
    let end = span.end;
    // Base64 of text has capitals or digits (16 random base64 characters lack both with
    // odds of about 1 in 10^6); runs without them are words, identifiers or paths.
    if (!hasCapitalOrDigit(text, start, end)) {
      from = end;
      continue;
    }
    if (text.charCodeAt(end) === 0x3d) end++;
    if (text.charCodeAt(end) === 0x3d) end++;
    from = end;
    const run = text.slice(start, end);
    const isHex = HEX_ONLY.test(run);
    const win = isHex ? DECODE_WINDOW : DECODE_WINDOW - (DECODE_WINDOW % 4);
    let ok = true;
    for (let off = 0; off < run.length && ok; off += win) {
      const piece = run.slice(off, off + win);
      if (piece.length < MIN_RUN && off > 0) break;
      const decoded = isHex ? decodeHex(piece) : decodeBase64(piece);
      ok = push(decoded, start + off, start + off + piece.length, isHex ? 'hex' : 'base64');
    }
    if (!ok) break;
  }

  if (text.includes('\\x')) {
    ESC_HEX_RUN.lastIndex = 0;
    for (let m = ESC_HEX_RUN.exec(text); m !== null; m = ESC_HEX_RUN.exec(text)) {
      const run = m[0];
      for (let off = 0; off < run.length; off += DECODE_WINDOW) {
        const piece = run.slice(off, off + DECODE_WINDOW);
        if (!push(decodeHex(piece.replace(/\\x/g, '')), m.index + off, m.index + off + piece.length, 'hex')) break;
      }
    }
  }

  if (text.includes('%')) {
    PCT_RUN.lastIndex = 0;
    for (let m = PCT_RUN.exec(text); m !== null; m = PCT_RUN.exec(text)) {
      const run = m[0];
      for (let off = 0; off < run.length; off += DECODE_WINDOW) {
        const piece = run.slice(off, off + DECODE_WINDOW);
        if (!push(decodePercent(piece), m.index + off, m.index + off + piece.length, 'url')) break;
      }
    }
  }
  return out;
}
