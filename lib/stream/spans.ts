// What the output finders report, and how a text is rewritten from it.

import type { StateFinding } from '../core/state.js';

/** One thing found in output text: a range to replace, or one that blocks the whole output. */
export interface Span {
  start: number;
  end: number;
  /** The text written instead of the range; `null` keeps it (a `flag` finding). */
  replacement: string | null;
  /** The output must be withheld. */
  block: boolean;
  finding: Omit<StateFinding, 'stage' | 'count'>;
}

/** Sorts spans by start, longer first: the order in which overlapping spans merge. */
export function sortSpans(spans: Span[]): Span[] {
  return spans.sort((a, b) => a.start - b.start || b.end - a.end);
}

/**
 * `text.slice(from, to)` with every replacing span that starts in `[from, to)` applied.
 * Overlapping spans merge under the replacement of the one that starts first, as `scanText`
 * merges its own redactions. `spans` must be sorted (see {@link sortSpans}).
 */
export function applySpans(text: string, spans: readonly Span[], from: number, to: number): string {
  let out = '';
  let pos = from;
  for (const s of spans) {
    if (s.replacement === null || s.start < from || s.start >= to) continue;
    if (s.start < pos) {
      // Inside the previous replacement: extend it.
      if (s.end > pos) pos = s.end;
      continue;
    }
    out += text.slice(pos, s.start) + s.replacement;
    pos = s.end;
  }
  return pos < to ? out + text.slice(pos, to) : out;
}
