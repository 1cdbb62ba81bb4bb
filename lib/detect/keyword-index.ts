/**
 * Which of many short literals occur in a text: a hashed set of the text's three-character
 * substrings rules most literals out with one lookup, and only the rest are searched for.
 * With a hundred and more provider keywords, searching the text once per keyword cost more
 * than all the provider patterns together on code-heavy prompts.
 */

const BITS = 1 << 15;
const seen = new Uint32Array(BITS / 32);

function gram(s: string, i: number): number {
  return (((s.charCodeAt(i) * 31 + s.charCodeAt(i + 1)) * 31 + s.charCodeAt(i + 2)) >>> 0) & (BITS - 1);
}

/** A literal with its first three characters hashed once, when it has three. */
export interface Keyword {
  text: string;
  gram: number;
}

export function keyword(text: string): Keyword {
  return { text, gram: text.length >= 3 ? gram(text, 0) : -1 };
}

/**
 * Index `text`: afterwards {@link occurs} answers for it. One index is live at a time (the
 * detector is synchronous), so the bitmap is reused instead of allocated per call.
 */
export function indexText(text: string): void {
  seen.fill(0);
  for (let i = 0; i + 2 < text.length; i++) {
    const h = gram(text, i);
    seen[h >>> 5] = (seen[h >>> 5] as number) | (1 << (h & 31));
  }
}

/** Whether `k` occurs in the text last given to {@link indexText}. */
export function occurs(text: string, k: Keyword): boolean {
  if (k.gram >= 0 && ((seen[k.gram >>> 5] as number) & (1 << (k.gram & 31))) === 0) return false;
  return text.includes(k.text);
}
