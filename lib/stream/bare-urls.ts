// Links that are not markup: autolinks (`<https://…>`) and bare URLs (`https://…`,
// `www.…`), which GitHub-flavoured renderers turn into links. Removed only with `links`.
//
// A bare URL runs from its scheme (or `www.`, `//`) to the next space or `<`, at most URL_CHARS
// characters; each start is judged on its own (overlaps merge when spans are applied), so a
// span depends only on the text from its start.

import { unescapeAll, URL_CHARS } from './markdown-links.js';
import type { Span } from './spans.js';
import { gap, removeSpan, urlAllowed, type UrlPolicy } from './url-judge.js';

// `//host` too: linkify (markdown-it's) links protocol-relative URLs.
const START = /https?:\/\/|ftp:\/\/|www\.|(?<![:/])\/\/(?=[\w-]+\.[\w-])/gi;
const TRIGGERS = ['http://', 'https://', 'ftp://', 'www.', '//'];
const AUTOLINK = /^<[a-z][a-z0-9+.-]{1,31}:[^\s<>]*>/i;
const isStop = (c: number) => c <= 0x20 || c === 0x3c;

function runEnd(text: string, from: number): number {
  let j = from;
  while (j < text.length && j - from < URL_CHARS && !isStop(text.charCodeAt(j))) j++;
  return j;
}

function bareAllowed(raw: string, policy: UrlPolicy): boolean {
  const abs = /^www\./i.test(raw) ? `http://${raw}` : raw.startsWith('//') ? `https:${raw}` : raw;
  return urlAllowed(abs, policy) && urlAllowed(unescapeAll(abs), policy);
}

/** Spans of `text` to remove when links go: bare URLs and autolinks to other hosts. */
export function findBareSpans(text: string, policy: UrlPolicy): Span[] {
  const spans: Span[] = [];
  // Every start, also one inside an earlier URL's run, is judged on its own.
  for (const m of text.matchAll(START)) {
    const end = runEnd(text, m.index);
    if (!bareAllowed(text.slice(m.index, end), policy))
      spans.push(removeSpan(m.index, end, gap(text, m.index), 'link'));
  }
  for (let i = text.indexOf('<'); i >= 0; i = text.indexOf('<', i + 1)) {
    const m = AUTOLINK.exec(text.slice(i, i + URL_CHARS + 40));
    if (m && !bareAllowed(m[0].slice(1, -1), policy)) spans.push(removeSpan(i, i + m[0].length, gap(text, i), 'link'));
  }
  return spans;
}

/** The index before which bare-URL spans of `text` cannot change when text is appended. */
export function bareBoundary(text: string): number {
  const n = text.length;
  let hold = n;
  // A trigger still being written (`htt`, `www`) at the end.
  const tail = text.slice(Math.max(0, n - 7)).toLowerCase();
  for (let k = tail.length; k > 0; k--)
    if (TRIGGERS.some((t) => t.length > k && t.startsWith(tail.slice(tail.length - k)))) {
      hold = n - k;
      break;
    }
  // A URL whose run has not ended yet.
  let runStart = n;
  while (runStart > 0 && n - runStart <= URL_CHARS && !isStop(text.charCodeAt(runStart - 1))) runStart--;
  for (const m of text.slice(runStart).matchAll(START)) {
    const s = runStart + m.index;
    if (s + URL_CHARS > n) return Math.min(hold, s);
  }
  return hold;
}
