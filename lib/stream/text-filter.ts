// The streaming output filter for one text (one choice of a completion).
//
// Exactness: the concatenation of everything `push` and `end` return equals
// `policy.whole(text).text` for the whole text, however it is chunked. The filter releases
// text only up to a cut that the policy calls final (no finding there can change with more
// text, see `OutputPolicy.boundary`), never inside a finding, and at a word start. Findings
// after the cut are decided later, on a rescanned window.
//
// Bounded cost: the rescanned window is the held-back tail plus LOOKBEHIND characters of
// already released context (patterns look behind a little: `password = …`), so each push
// costs O(window), not O(text). Scanning is skipped until at least MIN_RELEASE characters
// can be released.

import type { FilterVerdict, OutputPolicy } from './output-policy.js';
import { applySpans } from './spans.js';

/** Released text kept as context in front of the window. */
export const LOOKBEHIND = 256;
/** Least text worth a rescan while streaming (trades a few characters of latency for throughput). */
export const MIN_RELEASE = 24;
/**
 * New characters needed before another try after a try that released nothing. Skipping a try
 * is the same as receiving the pieces as one, so exactness holds (it holds for any chunking);
 * with token-sized deltas it saves most boundary computations.
 */
const RETRY_AFTER = 16;
/** How far a cut may move back to reach a word start. */
const SNAP = 64;

const isSpace = (c: string | undefined) => c === ' ' || c === '\n' || c === '\t' || c === '\r';

/**
 * Streams one text through an output policy: `push` returns what is final now, `end` the
 * rest. Once blocked, nothing more is ever returned.
 *
 * @example
 * ```ts
 * const f = new StreamTextFilter(policy)
 * let out = ''
 * for (const piece of pieces) out += f.push(piece)
 * out += f.end() // === policy.whole(pieces.join('')).text unless f.blocked
 * ```
 */
export class StreamTextFilter {
  /** Text from absolute offset `base`: context, then everything not yet released. */
  private buf = '';
  private base = 0;
  /** Absolute offset up to which output has been released. */
  private committed = 0;
  /** Earlier cuts, ascending: the window always starts at one of them (a clean word start). */
  private cuts: number[] = [0];
  private blockedFlag = false;
  /** Absolute length of the text at the last try that released nothing. */
  private triedAt = -RETRY_AFTER;
  /** Findings decided since the last `takeFindings`. */
  private found: FilterVerdict['findings'] = [];

  constructor(private readonly policy: OutputPolicy) {}

  get blocked(): boolean {
    return this.blockedFlag;
  }

  /** Characters received but not yet released. */
  get held(): number {
    return this.base + this.buf.length - this.committed;
  }

  /** Findings decided so far that have not been taken yet. */
  takeFindings(): FilterVerdict['findings'] {
    return this.found.splice(0);
  }

  push(text: string): string {
    if (this.blockedFlag || text.length === 0) return '';
    this.buf += text;
    return this.release(false);
  }

  end(): string {
    if (this.blockedFlag) return '';
    const out = this.release(true);
    this.buf = '';
    this.base = this.committed;
    this.cuts = [this.committed];
    return out;
  }

  private release(final: boolean): string {
    const from = this.committed - this.base;
    if (from >= this.buf.length) return '';
    let cut = this.buf.length;
    if (!final) {
      const length = this.base + this.buf.length;
      if (length - this.triedAt < RETRY_AFTER) return '';
      cut = this.policy.boundary(this.buf);
      if (cut - from < MIN_RELEASE) {
        this.triedAt = length;
        return '';
      }
    }
    const spans = this.policy.find(this.buf);
    if (!final) cut = this.settle(cut, from, spans);
    if (cut <= from) return '';
    const decided = spans.filter((s) => s.start >= from && s.start < cut);
    for (const s of decided) this.found.push(s.finding);
    if (decided.some((s) => s.block)) {
      this.blockedFlag = true;
      this.buf = '';
      return '';
    }
    const out = applySpans(this.buf, decided, from, cut);
    this.commit(cut);
    return out;
  }

  /** Moves a cut back until it is at a word start and inside no span. */
  private settle(cut: number, from: number, spans: ReturnType<OutputPolicy['find']>): number {
    for (let guard = 0; guard < 64 && cut > from; guard++) {
      let moved = false;
      for (const s of spans)
        if (s.start < cut && s.end > cut && s.start >= from) {
          cut = s.start;
          moved = true;
        }
      if (!isSpace(this.buf[cut - 1])) {
        const lo = Math.max(from, cut - SNAP);
        let i = cut;
        while (i > lo && !isSpace(this.buf[i - 1])) i--;
        if (i > from && isSpace(this.buf[i - 1]) && i !== cut) {
          cut = i;
          moved = true;
        }
      }
      if (!moved) break;
    }
    return cut;
  }

  private commit(cut: number): void {
    const abs = this.base + cut;
    this.committed = abs;
    this.cuts.push(abs);
    // Keep as context the latest earlier cut at least LOOKBEHIND behind the new one.
    let keep = 0;
    while (keep + 1 < this.cuts.length && this.cuts[keep + 1]! <= abs - LOOKBEHIND) keep++;
    if (keep > 0) this.cuts = this.cuts.slice(keep);
    const start = this.cuts[0]!;
    if (start > this.base) {
      this.buf = this.buf.slice(start - this.base);
      this.base = start;
    }
  }
}
