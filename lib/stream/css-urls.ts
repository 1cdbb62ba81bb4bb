// URLs a stylesheet fetches: `url(…)`, `@import "…"`, `image-set("…")` and the like. CSS
// escapes are decoded first (`\75 rl(` is `url(`), then every `url(…)` is judged as a URL,
// and every string that names a host (`@import "https://…"`, `image-set("//…" 1x)`): a
// string that is no URL (`font-family: "Segoe UI"`, `content: "Note: …"`) passes.

import { urlAllowed, type UrlPolicy } from './url-judge.js';

const ESCAPE = /\\(?:([0-9a-f]{1,6})[ \t\n\r\f]?|(\r\n|[\n\r\f])|([\s\S]))/gi;
const COMMENT = /\/\*[\s\S]*?(?:\*\/|$)/g;
const URL_TOKEN = /url\(\s*(?:"([^"]*)"?|'([^']*)'?|([^)]*))/gi;
const STRING = /"([^"]*)"?|'([^']*)'?/g;

function decodeCss(css: string): string {
  if (css.indexOf('\\') < 0) return css;
  return css.replace(ESCAPE, (_m, hex: string | undefined, _nl: string | undefined, ch: string | undefined) => {
    if (hex !== undefined) {
      const cp = parseInt(hex, 16);
      return cp > 0 && cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff) ? String.fromCodePoint(cp) : '\ufffd';
    }
    return ch ?? '';
  });
}

/** Whether every URL `css` (a declaration list or a style sheet) can fetch stays on the allowed hosts. */
export function cssAllowed(css: string, policy: UrlPolicy): boolean {
  const text = decodeCss(css).replace(COMMENT, ' ');
  for (const m of text.matchAll(URL_TOKEN)) {
    const url = (m[1] ?? m[2] ?? m[3] ?? '').trim();
    if (url !== '' && !urlAllowed(url, policy)) return false;
  }
  for (const m of text.matchAll(STRING)) {
    const url = (m[1] ?? m[2] ?? '').trim();
    if (url !== '' && namesHost(url) && !urlAllowed(url, policy)) return false;
  }
  return true;
}

/** A string a stylesheet could fetch from another host: absolute, or protocol-relative. */
function namesHost(s: string): boolean {
  return /^\s*(?:[a-z][a-z0-9+.-]*:)?[\\/\s]*[\\/]/i.test(s) || /^\s*(?:https?|ftp|wss?):/i.test(s);
}

/** Whether an attribute value holds CSS that can fetch (`style`, or SVG's `fill="url(…)"`). */
export function looksLikeCss(value: string): boolean {
  return /url\s*\(|@import|image-set|\\/i.test(value);
}
