// HTML tags that fetch (or, with `links`, link) outside the allowed hosts.
//
// Every `<` followed by a letter is a candidate, wherever it stands (a markdown renderer
// passes raw HTML through in many places, and HTML blocks run to a blank line): from it,
// one start tag is read with parse5's tokenizer, the WHATWG HTML5 one, so attribute
// boundaries, quotes, `>` inside quotes, line breaks and character references in values are
// what a browser reads. The tag is then judged by every attribute that fetches.
//
// Fail closed: a tag longer than MAX_TAG cannot be judged and loses its `<` (it is then
// text); `<script>` and any `on…` handler are removed; a `<style>` whose sheet cannot be
// read within MAX_STYLE characters is removed. A removed tag goes whole; what it encloses
// stays, as text.

import { Tokenizer, type Token } from 'parse5';
import { cssAllowed, looksLikeCss } from './css-urls.js';
import type { Span } from './spans.js';
import { gap, removeSpan, urlAllowed, type UrlPolicy } from './url-judge.js';

/** Longest start tag judged; a longer one loses its `<`. */
export const MAX_TAG = 4096;
/** Longest `<style>` sheet judged. */
export const MAX_STYLE = 4096;
/** Nesting of `srcdoc` documents judged; deeper ones are removed. */
const MAX_DEPTH = 3;

/** Attributes whose value is a URL the browser fetches without a click. */
const FETCH = new Set([
  'src',
  'lowsrc',
  'dynsrc',
  'poster',
  'background',
  'data',
  'codebase',
  'archive',
  'manifest',
  'icon',
  'profile',
]);
/** Attributes holding several URLs with descriptors. */
const URL_LISTS = new Set(['srcset', 'imagesrcset']);
/** Attributes followed on a click (or submission): links. */
const LINK = new Set(['action', 'formaction', 'ping']);
/** Elements whose `href` is a link; on every other element (`link`, `base`, SVG `image`, `use`, …) it fetches. */
const LINK_ELEMENTS = new Set(['a', 'area']);
/** SVG animation elements, whose `to` / `values` can set a fetching attribute. */
const ANIMATION = new Set(['set', 'animate', 'animatemotion', 'animatetransform']);
const ANIMATION_VALUES = new Set(['to', 'from', 'by', 'values']);

type Verdict = 'ok' | 'html' | 'link';

interface ReadTag {
  name: string;
  attrs: Token.Attribute[];
  /** Offset after `>`, relative to the tag's `<`. */
  end: number;
}

const NO_OP = () => {};

/** A start tag without attributes (`<b>`, `<String>`): read as the tokenizer would, without it. */
const BARE_TAG = /^<[A-Za-z][^\t\n\f\r />\0]*>/;

/** The first start tag of `html` (which begins with `<` and a letter), as a browser reads it. */
function readTag(html: string, last: boolean): ReadTag | undefined {
  const bare = BARE_TAG.exec(html);
  if (bare)
    return { name: bare[0].slice(1, -1).replace(/[A-Z]+/g, (c) => c.toLowerCase()), attrs: [], end: bare[0].length };
  let found: ReadTag | undefined;
  const tokenizer: Tokenizer = new Tokenizer(
    { sourceCodeLocationInfo: true },
    {
      onStartTag(token) {
        found = { name: token.tagName, attrs: token.attrs, end: token.location?.endOffset ?? html.length };
        tokenizer.pause();
      },
      onEndTag: NO_OP,
      onComment: NO_OP,
      onDoctype: NO_OP,
      onEof: NO_OP,
      onCharacter: NO_OP,
      onNullCharacter: NO_OP,
      onWhitespaceCharacter: NO_OP,
    },
  );
  tokenizer.write(html, last);
  return found;
}

function listAllowed(value: string, policy: UrlPolicy, separators: RegExp): boolean {
  return value.split(separators).every((u) => u === '' || /^\d+(?:\.\d+)?[wxh]$/i.test(u) || urlAllowed(u, policy));
}

/** The URL a `<meta http-equiv=refresh content="5; url=…">` navigates to, or ''. */
function refreshUrl(content: string): string {
  return content
    .replace(/^[\s\d.]*[;,]?\s*(?:url\s*=\s*)?/i, '')
    .replace(/^["']|["']$/g, '')
    .trim();
}

/** How one attribute judges: a fetch or a link to another host, or nothing. */
function attributeVerdict(tag: string, attr: Token.Attribute, ctx: { policy: UrlPolicy; depth: number }): Verdict {
  const { name, value } = attr;
  const { policy } = ctx;
  if (name.startsWith('on')) return 'html';
  if (name === 'srcdoc')
    return ctx.depth >= MAX_DEPTH || findHtmlSpans(value, policy, ctx.depth + 1).length > 0 ? 'html' : 'ok';
  if ((name === 'style' || looksLikeCss(value)) && !cssAllowed(value, policy)) return 'html';
  if (FETCH.has(name)) return urlAllowed(value, policy) ? 'ok' : 'html';
  if (URL_LISTS.has(name)) return listAllowed(value, policy, /[\s,]+/) ? 'ok' : 'html';
  if (ANIMATION.has(tag) && ANIMATION_VALUES.has(name)) return listAllowed(value, policy, /\s*;\s*/) ? 'ok' : 'html';
  if (name === 'href' || name === 'xlink:href') {
    if (urlAllowed(value, policy)) return 'ok';
    return LINK_ELEMENTS.has(tag) ? 'link' : 'html';
  }
  if (LINK.has(name)) return listAllowed(value, policy, /\s+/) ? 'ok' : 'link';
  if (name === 'content' && tag === 'meta') {
    const url = refreshUrl(value);
    return url === '' || urlAllowed(url, policy) ? 'ok' : 'html';
  }
  return 'ok';
}

function tagVerdict(tag: ReadTag, policy: UrlPolicy, depth: number): Verdict {
  if (tag.name === 'script') return 'html';
  let verdict: Verdict = 'ok';
  for (const attr of tag.attrs) {
    const v = attributeVerdict(tag.name, attr, { policy, depth });
    if (v === 'html') return 'html';
    if (v === 'link' && policy.links) verdict = 'link';
  }
  return verdict;
}

/** A `<style>` element's sheet, from the end of its start tag. */
function styleVerdict(text: string, from: number, policy: UrlPolicy): { verdict: Verdict; open: boolean } {
  const window = text.slice(from, from + MAX_STYLE + 8);
  const close = window.search(/<\/style/i);
  if (close >= 0 && close <= MAX_STYLE)
    return { verdict: cssAllowed(window.slice(0, close), policy) ? 'ok' : 'html', open: false };
  if (from + MAX_STYLE + 8 < text.length) return { verdict: 'html', open: false };
  return { verdict: cssAllowed(window, policy) ? 'ok' : 'html', open: true };
}

/** The candidate tag at `i` (`text[i]` is `<`, `text[i + 1]` a letter) as if the text ended here. */
function candidateAt(
  text: string,
  i: number,
  ctx: { policy: UrlPolicy; depth: number },
): { span?: Span; open: boolean } {
  const last = i + MAX_TAG >= text.length;
  const tag = readTag(text.slice(i, i + MAX_TAG), last);
  if (tag === undefined) {
    if (!last) return { span: removeSpan(i, i + 1, gap(text, i), 'html'), open: false };
    // Unterminated at the end: judged on the attributes written so far.
    const sofar =
      readTag(`${text.slice(i)}>`, true) ?? readTag(`${text.slice(i)}">`, true) ?? readTag(`${text.slice(i)}'>`, true);
    const bad = sofar === undefined || tagVerdict(sofar, ctx.policy, ctx.depth) !== 'ok';
    return { span: bad ? removeSpan(i, i + 1, gap(text, i), 'html') : undefined, open: true };
  }
  const end = i + tag.end;
  let verdict = tagVerdict(tag, ctx.policy, ctx.depth);
  let open = false;
  if (tag.name === 'style' && verdict === 'ok') ({ verdict, open } = styleVerdict(text, end, ctx.policy));
  return { span: verdict === 'ok' ? undefined : removeSpan(i, end, gap(text, i), verdict), open };
}

const isLetter = (c: number) => (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a;

/** Spans of `text` to remove: HTML tags that fetch or link outside the allowed hosts. */
export function findHtmlSpans(text: string, policy: UrlPolicy, depth = 0): Span[] {
  const spans: Span[] = [];
  for (let i = text.indexOf('<'); i >= 0; i = text.indexOf('<', i + 1)) {
    if (!isLetter(text.charCodeAt(i + 1))) continue;
    const c = candidateAt(text, i, { policy, depth });
    if (c.span) spans.push(c.span);
  }
  return spans;
}

/** The index before which HTML spans of `text` cannot change when text is appended. */
export function htmlBoundary(text: string, policy: UrlPolicy): number {
  const n = text.length;
  let hold = text.endsWith('<') ? n - 1 : n;
  const from = Math.max(0, n - MAX_TAG - MAX_STYLE - 16);
  for (let i = text.indexOf('<', from); i >= 0 && i < hold; i = text.indexOf('<', i + 1)) {
    if (!isLetter(text.charCodeAt(i + 1))) continue;
    if (candidateAt(text, i, { policy, depth: 0 }).open) hold = i;
  }
  return hold;
}
