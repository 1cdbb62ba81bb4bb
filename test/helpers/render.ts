// What a chat UI does with model output: render markdown to HTML (marked, as most UIs do;
// markdown-it with raw HTML and linkify as a second opinion), let a browser's HTML parser
// read it, and list every URL the page would fetch without a click (and, apart, every link).

import MarkdownIt from 'markdown-it';
import { marked } from 'marked';
import { parse, parseFragment } from 'parse5';

const PAGE = 'https://app.chat/conversation/1';
const mdit = new MarkdownIt({ html: true, linkify: true });

/** Rendered HTML of `text` by each renderer. */
export function renderings(text: string): Record<string, string> {
  return { marked: marked.parse(text, { async: false }), 'markdown-it': mdit.render(text) };
}

interface Found {
  fetches: string[];
  links: string[];
  /** Event-handler attributes and scripts: a browser would run them. */
  scripts: string[];
  bases: string[];
}

type Node = {
  nodeName: string;
  tagName?: string;
  attrs?: { name: string; value: string }[];
  childNodes?: Node[];
  value?: string;
  content?: Node;
};

const CSS_URL = /url\(\s*(?:"([^"]*)"|'([^']*)'|([^)]*))\)|@import\s+(?:"([^"]*)"|'([^']*)')/gi;
const cssUnescape = (s: string) =>
  s.replace(/\\([0-9a-f]{1,6})\s?/gi, (_m, h: string) => String.fromCodePoint(parseInt(h, 16)));

function cssUrls(css: string): string[] {
  return [...cssUnescape(css).matchAll(CSS_URL)].map((m) => (m[1] ?? m[2] ?? m[3] ?? m[4] ?? m[5] ?? '').trim());
}

function visit(node: Node, out: Found, depth: number): void {
  const tag = node.tagName;
  if (tag) {
    const attrs = node.attrs ?? [];
    const get = (n: string) => attrs.find((a) => a.name === n)?.value;
    if (tag === 'script') out.scripts.push('<script>');
    if (tag === 'base' && get('href') !== undefined) out.bases.push(get('href')!);
    for (const { name, value } of attrs) {
      if (name.startsWith('on')) out.scripts.push(`${tag} ${name}`);
      if (['src', 'poster', 'background', 'data', 'lowsrc', 'dynsrc'].includes(name)) out.fetches.push(value);
      if (name === 'srcset') out.fetches.push(...value.split(',').map((c) => c.trim().split(/\s+/)[0] ?? ''));
      if (name === 'href' || name === 'xlink:href')
        (tag === 'a' || tag === 'area' ? out.links : out.fetches).push(value);
      if (name === 'action' || name === 'formaction') out.links.push(value);
      if (name === 'style') out.fetches.push(...cssUrls(value));
      if (name === 'srcdoc' && depth < 4) collect(parse(value) as unknown as Node, out, depth + 1);
    }
    if (tag === 'meta' && /refresh/i.test(get('http-equiv') ?? ''))
      out.fetches.push(
        (get('content') ?? '').replace(/^[\s\d.]*[;,]?\s*(?:url\s*=\s*)?/i, '').replace(/^['"]|['"]$/g, ''),
      );
    if (tag === 'style') out.fetches.push(...cssUrls((node.childNodes ?? []).map((c) => c.value ?? '').join('')));
  }
  for (const child of node.childNodes ?? []) visit(child, out, depth);
  if (node.content) visit(node.content, out, depth);
}

function collect(root: Node, out: Found, depth: number): Found {
  visit(root, out, depth);
  return out;
}

/** What a browser does with the rendered HTML: the URLs it fetches, the links, the scripts. */
export function browse(html: string): Found {
  return collect(parseFragment(html) as unknown as Node, { fetches: [], links: [], scripts: [], bases: [] }, 0);
}

/** The host a URL reaches from the chat page, or null when it stays on the page's origin or fetches nothing. */
export function foreignHost(url: string, allow: readonly string[]): string | null {
  let u: URL;
  try {
    u = new URL(url, PAGE);
  } catch {
    return null;
  }
  if (!/^(?:https?|ftp|wss?):$/.test(u.protocol)) return null;
  const host = u.hostname.toLowerCase();
  if (host === 'app.chat' || allow.some((h) => host === h || host.endsWith(`.${h}`))) return null;
  return host;
}

/** Every foreign fetch (and link, when `links`) and every script a chat UI would produce from `text`. */
export function violations(text: string, allow: readonly string[], links: boolean): string[] {
  const out: string[] = [];
  for (const [renderer, html] of Object.entries(renderings(text))) {
    const found = browse(html);
    // A <base> moves relative URLs to its host.
    const base = found.bases[0];
    const urls = [...found.fetches, ...(links ? found.links : [])];
    for (const u of urls) {
      const host = foreignHost(base === undefined ? u : new URL(u, new URL(base, PAGE)).href, allow);
      if (host !== null) out.push(`${renderer}: ${host} (${u.slice(0, 60)})`);
    }
    for (const s of found.scripts) out.push(`${renderer}: script ${s}`);
  }
  return out;
}
