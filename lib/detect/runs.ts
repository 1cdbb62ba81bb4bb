/**
 * Long runs of one ASCII character class, found without reading every character.
 *
 * Detectors that only care about runs of at least `minLen` characters (a base64 payload, a
 * provider token) would otherwise classify every character of the text. A run that long which
 * starts at or after `from` must contain position `from + minLen - 1`, so only that position
 * is read: if it is outside the class, no such run starts before it and the search moves on
 * by `minLen`. On prose, where runs are words, this reads about a third of the characters.
 */

/** Membership table of an ASCII character class, indexed by character code. */
export type CharClass = Uint8Array;

/** A class from a predicate over ASCII character codes. */
export function charClass(test: (c: number) => boolean): CharClass {
  const table = new Uint8Array(128);
  for (let c = 0; c < 128; c++) table[c] = test(c) ? 1 : 0;
  return table;
}

/** ASCII letters and digits, plus each character of `extra`. */
export function alnumClass(extra: string): CharClass {
  return charClass(
    (c) =>
      (c >= 0x61 && c <= 0x7a) ||
      (c >= 0x41 && c <= 0x5a) ||
      (c >= 0x30 && c <= 0x39) ||
      extra.includes(String.fromCharCode(c)),
  );
}

/** A span of the text, filled in by {@link nextRun} (callers reuse one: no allocation per run). */
export interface Span {
  start: number;
  end: number;
}

/** What a run is: characters of `member`, at least `minLen` of them. */
export interface RunKind {
  member: CharClass;
  minLen: number;
}

/**
 * Find the first maximal run of `kind` (its class's characters, `minLen` or more) that starts
 * at or after `from`, with the characters before `from` treated as outside the class. Fills
 * `span` and returns true, or returns false when there is none. Shorter runs are skipped.
 */
export function nextRun(text: string, from: number, kind: RunKind, span: Span): boolean {
  const { member, minLen } = kind;
  const n = text.length;
  for (let p = from + minLen - 1; p < n; p = from + minLen - 1) {
    let c = text.charCodeAt(p);
    if (c >= 128 || member[c] === 0) {
      from = p + 1;
      continue;
    }
    let start = p;
    while (start > from && (c = text.charCodeAt(start - 1)) < 128 && member[c] === 1) start--;
    let end = p + 1;
    while (end < n && (c = text.charCodeAt(end)) < 128 && member[c] === 1) end++;
    if (end - start >= minLen) {
      span.start = start;
      span.end = end;
      return true;
    }
    from = end;
  }
  return false;
}
