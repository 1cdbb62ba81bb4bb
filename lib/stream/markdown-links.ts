// Markdown images, links and link reference definitions whose destination leaves the
// allowed hosts.
//
// Every `](` and `]:` is a candidate, wherever it stands: the filter does not decide whether
// a renderer would see a link there (code spans, paragraphs and containers change that, and
// renderers disagree), it only decides where the destination is and what it decodes to.
// Decoding is CommonMark's, from markdown-it (backslash escapes, entity and numeric
// character references, `<…>` destinations); the destination may follow spaces and line
// endings. Renderers also differ on where a destination ends (marked ends it before a
// title or a `)` that CommonMark keeps), so every reading that changes the host is judged:
// one disallowed reading removes the construct.
//
// Every part is bounded (label, whitespace, destination, title), so a candidate depends on
// at most LABEL_CHARS characters before its `]` and MD_MAX_SPAN after it; `markdownBoundary`
// says which tail of a growing text could still change a span.

import MarkdownIt from 'markdown-it';
import type { Span } from './spans.js';
import { gap, remembered, removeSpan, urlAllowed, type UrlPolicy } from './url-judge.js';

const md = new MarkdownIt();
const { parseLinkDestination, parseLinkTitle } = md.helpers;
/** CommonMark's decoding of backslash escapes and character references. */
export const { unescapeAll } = md.utils;

/** Longest label (`[…]`) whose opening bracket is looked for; longer ones keep their text. */
export const LABEL_CHARS = 200;
/** Longest whitespace run between `(` or `:` and the destination. */
const WS_CHARS = 256;
/** Longest destination; a longer one cannot be judged and is cut off from its `](`. */
export const URL_CHARS = 2048;
/** Longest title (`"…"`, `'…'`, `(…)`) after a destination. */
const TITLE_CHARS = 512;
/** How far after its `]` a candidate can reach. */
export const MD_MAX_SPAN = 2 + WS_CHARS + URL_CHARS + WS_CHARS + TITLE_CHARS + WS_CHARS + 1;
/** More cut points than this inside one authority cannot be judged one by one. */
const MAX_CUTS = 64;

const isSpace = (c: number) => c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0 || c === 0x3000 || c === 0xfeff;

/** A candidate's span (as if the text ended here) and whether more text could change it. */
interface Candidate {
  span: Span | undefined;
  open: boolean;
  /** Where a span of this candidate would start. */
  start: number;
}

interface Label {
  /** Index of `[`. */
  at: number;
  image: boolean;
}

/** The `[` that opens the label closed at `p`, when the label holds no other bracket. */
function labelBefore(text: string, p: number): Label | undefined {
  for (let i = p - 1; i >= 0 && p - i <= LABEL_CHARS; i--) {
    const c = text[i];
    if (c === ']') return undefined;
    if (c === '[') return { at: i, image: i > 0 && text[i - 1] === '!' };
  }
  return undefined;
}

function skipSpace(text: string, from: number): number {
  let i = from;
  while (i < text.length && i - from <= WS_CHARS && isSpace(text.charCodeAt(i))) i++;
  return i;
}

/** Where the authority of a decoded URL ends: cuts before it can change the host. */
function authorityRange(d: string): [number, number] {
  const lead = /^\s*(?:[a-z][a-z0-9+.-]*:)?[\\/\s]*/i.exec(d)![0].length;
  let end = lead;
  while (end < d.length && !'/\\?#'.includes(d[end]!)) end++;
  return [lead, end];
}

/** Every reading of the decoded destination `d` a renderer may take stays on the allowed hosts. */
function readingsAllowed(d: string, policy: UrlPolicy): boolean {
  return remembered(policy, 1, d, () => everyReadingAllowed(d, policy));
}

function everyReadingAllowed(d: string, policy: UrlPolicy): boolean {
  if (!urlAllowed(d, policy)) return false;
  const [lead, end] = authorityRange(d);
  let cuts = 0;
  for (let k = lead; k < end; k++) {
    const c = d.charCodeAt(k);
    // Host characters (and any non-ASCII one) cannot end a renderer's reading of the destination.
    if (c >= 0x80 || (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a) || c === 0x2e || c === 0x2d)
      continue;
    if (++cuts > MAX_CUTS) return false;
    if (!urlAllowed(d.slice(0, k), policy)) return false;
  }
  return true;
}

/**
 * Whether the destination written at `q..end` (a run without spaces) is allowed in every
 * reading; where CommonMark ends it (`destEnd`, null when it reads none); `open` when a
 * `<…>` destination (which may hold spaces) is still unterminated.
 */
function judgeDestination(
  text: string,
  q: number,
  end: number,
  policy: UrlPolicy,
): { ok: boolean; open: boolean; destEnd: number | null } {
  const raw = text.slice(q, end);
  const readings = [unescapeAll(raw)];
  // Readings that end at a `)`, `>` or quote are covered by the cuts; `<…>` may be stripped.
  if (raw.startsWith('<')) readings.push(unescapeAll(raw.slice(1)));
  const max = Math.min(text.length, q + URL_CHARS + 2);
  const cm = parseLinkDestination(text, q, max);
  if (cm.ok) readings.push(cm.str);
  const open = !cm.ok && raw.startsWith('<') && max === text.length && text.indexOf('\n', q) < 0;
  return { ok: readings.every((d) => readingsAllowed(d, policy)), open, destEnd: cm.ok ? cm.pos : null };
}

const tokenAllowed = (token: string, policy: UrlPolicy) =>
  readingsAllowed(unescapeAll(token), policy) &&
  (!token.startsWith('<') || readingsAllowed(unescapeAll(token.slice(1)), policy));

/**
 * The words after the destination, up to the `)` (or, for a definition, to the first word
 * of the next line): when the filter removes the destination's first word (an HTML tag, a bare URL), the
 * next one becomes the destination, so each is judged. Past the bound, undecidable.
 */
function laterWordsAllowed(
  text: string,
  j: number,
  definition: boolean,
  policy: UrlPolicy,
): { ok: boolean; open: boolean } {
  const limit = j + URL_CHARS + TITLE_CHARS;
  let lines = 0;
  for (let k = j; ;) {
    while (k < text.length && k < limit && isSpace(text.charCodeAt(k)))
      if (text[k++] === '\n' && ++lines === 2 && definition) return { ok: true, open: false };
    if (k >= limit) return { ok: false, open: false };
    if (k >= text.length) return { ok: true, open: true };
    if (text[k] === ')' && !definition) return { ok: true, open: false };
    let e = k;
    while (e < text.length && e < limit && text.charCodeAt(e) > 0x20 && (definition || text[e] !== ')')) e++;
    if (!tokenAllowed(text.slice(k, e), policy)) return { ok: false, open: false };
    if (e >= text.length) return { ok: true, open: true };
    // A definition's destination moves at most to the first word of the next line.
    if (definition && lines > 0) return { ok: true, open: false };
    k = e;
  }
}

/** End of the title and `)` that may follow a destination ending at `j`; null when there is none. */
function closingAfter(text: string, j: number): { end: number | null; open: boolean } {
  const k = skipSpace(text, j);
  if (k >= text.length) return { end: null, open: true };
  if (text[k] === ')') return { end: k + 1, open: false };
  if (k === j || !`"'(`.includes(text[k]!)) return { end: null, open: false };
  const max = Math.min(text.length, k + TITLE_CHARS);
  const title = parseLinkTitle(text, k, max);
  if (!title.ok) return { end: null, open: max === text.length };
  const k2 = skipSpace(text, title.pos);
  if (k2 >= text.length) return { end: null, open: true };
  return { end: text[k2] === ')' ? k2 + 1 : null, open: false };
}

/** The candidate whose label closes at `p` (`text[p]` is `]`). */
function candidateAt(text: string, p: number, policy: UrlPolicy): Candidate {
  const label = labelBefore(text, p);
  const start = label ? (label.image ? label.at - 1 : label.at) : p;
  const definition = text[p + 1] === ':';
  if (p + 1 >= text.length) return { span: undefined, open: true, start };
  const neutral = (end: number, open: boolean): Candidate => ({
    span: removeSpan(
      p,
      end,
      end < text.length && !isSpace(text.charCodeAt(end)) ? '] ' : ']',
      definition ? 'reference' : 'image',
    ),
    open,
    start,
  });
  const q = skipSpace(text, p + 2);
  if (q - (p + 2) > WS_CHARS) return neutral(p + 2, false);
  let j = q;
  while (j < text.length && j - q < URL_CHARS && text.charCodeAt(j) > 0x20) j++;
  if (j - q >= URL_CHARS) return neutral(j, false);
  if (q === j) return { span: undefined, open: j >= text.length, start };
  const judged = judgeDestination(text, q, j, policy);
  let open = j >= text.length || judged.open;
  if (judged.ok && !open) {
    const later = laterWordsAllowed(text, j, definition, policy);
    open = later.open;
    judged.ok = later.ok;
  }
  if (judged.ok) return { span: undefined, open, start };
  if (definition)
    return label ? { span: removeSpan(label.at, j, gap(text, label.at), 'reference'), open, start } : neutral(j, open);
  const image = label ? label.image : true;
  if (!image && !policy.links) return { span: undefined, open: false, start };
  const close = open || judged.destEnd === null ? { end: null, open } : closingAfter(text, judged.destEnd);
  if (!label || close.end === null) return neutral(j, close.open);
  // A link keeps its text, set apart from what follows so that the two cannot join.
  const after = close.end < text.length && !isSpace(text.charCodeAt(close.end)) ? ' ' : '';
  const replacement = gap(text, start) + (image ? '' : text.slice(label.at + 1, p) + after);
  const type = image ? 'image' : 'link';
  return { span: removeSpan(start, close.end, replacement, type), open: close.end >= text.length, start };
}

/** Spans of `text` to remove: markdown constructs with a disallowed destination. */
export function findMarkdownSpans(text: string, policy: UrlPolicy): Span[] {
  const spans: Span[] = [];
  for (let p = text.indexOf(']'); p >= 0; p = text.indexOf(']', p + 1)) {
    const next = text[p + 1];
    if (next !== '(' && next !== ':') continue;
    const c = candidateAt(text, p, policy);
    if (c.span) spans.push(c.span);
  }
  return spans;
}

/** The index before which markdown spans of `text` cannot change when text is appended. */
export function markdownBoundary(text: string, policy: UrlPolicy): number {
  const n = text.length;
  let hold = n;
  if (text.endsWith('!')) hold = n - 1;
  // An open label: a later `](` or `]:` would start its span at this `[` (or its `!`).
  const open = text.lastIndexOf('[');
  if (open >= 0 && n - open <= LABEL_CHARS && text.indexOf(']', open) < 0)
    hold = Math.min(hold, open > 0 && text[open - 1] === '!' ? open - 1 : open);
  for (let p = text.indexOf(']', Math.max(0, n - MD_MAX_SPAN)); p >= 0; p = text.indexOf(']', p + 1)) {
    const next = text[p + 1];
    if (next !== undefined && next !== '(' && next !== ':') continue;
    const c = candidateAt(text, p, policy);
    if (c.open) hold = Math.min(hold, c.start);
  }
  return hold;
}
