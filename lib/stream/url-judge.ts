// Whether a URL, as a renderer reads it, stays on the allowed hosts; and the shape of the
// span that takes a construct out of the text. Shared by the markdown, HTML and bare-URL
// finders.

import type { Span } from './spans.js';

export interface UrlPolicy {
  /** Allowed hosts, lower case; subdomains of each are allowed too. */
  allow: readonly string[];
  /** Also remove links (`[text](url)`, `<a href>`, bare URLs) to other hosts; images are always removed. */
  links: boolean;
}

const RELATIVE_BASE = 'https://relative.invalid/';

// A stream rescans its held-back window at every release, so the same URLs are judged many
// times: verdicts are remembered per policy (a policy lives as long as its middleware) and
// per question (one map each for `urlAllowed` and for the finders' own judgements).
const verdicts = new WeakMap<UrlPolicy, Map<string, boolean>[]>();
const REMEMBERED = 1024;

/** `judge(raw)`, remembered for this policy under question number `question`. */
export function remembered(policy: UrlPolicy, question: number, raw: string, judge: () => boolean): boolean {
  let maps = verdicts.get(policy);
  if (maps === undefined) verdicts.set(policy, (maps = []));
  const known = (maps[question] ??= new Map());
  let verdict = known.get(raw);
  if (verdict === undefined) {
    if (known.size >= REMEMBERED) known.clear();
    verdict = judge();
    known.set(raw, verdict);
  }
  return verdict;
}

/** Whether a URL (decoded as the renderer decodes it) stays on the allowed hosts. Unparseable means no. */
export function urlAllowed(raw: string, policy: UrlPolicy): boolean {
  return remembered(policy, 0, raw, () => judge(raw, policy));
}

function judge(raw: string, policy: UrlPolicy): boolean {
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

/** A URL construct taken out of the text (replaced by `replacement`), recorded as a `redact` finding. */
export function removeSpan(start: number, end: number, replacement: string, type: string): Span {
  return { start, end, replacement, block: false, finding: { detector: 'url', type, action: 'redact' } };
}

/**
 * What a removed construct leaves: nothing after a space, else a space, so that the text on
 * either side cannot join into new markup (`!` and `[…](…)`, `&#5` and `8;`, `](` across).
 */
export function gap(text: string, start: number): string {
  if (start === 0) return '';
  const c = text.charCodeAt(start - 1);
  return c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d ? '' : ' ';
}
