// The output filter for one text, whole or streamed. Streaming holds back the tail that a
// detector could still match differently once more text arrives, and emits the rest.

import type { Finding } from '../detect/types.js';

/** The verdict of an output policy over a text. */
export interface FilterVerdict {
  /** The text with redactions applied (meaningless when blocked). */
  text: string;
  findings: Finding[];
  /** A finding whose action is `block`: the whole output must be withheld. */
  blocked: boolean;
}

/** Filters a whole text. */
export type OutputPolicy = (text: string) => FilterVerdict;

/** Characters held back while streaming: longer than any single PII or secret match. */
export const DEFAULT_HOLD_BACK = 512;

/**
 * Streams text through a policy: `push` returns what is safe to send now, `end` the rest.
 * Once blocked, nothing more is ever returned.
 */
export class StreamTextFilter {
  private pending = '';
  private blockedFlag = false;
  readonly findings: Finding[] = [];

  constructor(
    private readonly policy: OutputPolicy,
    private readonly holdBack = DEFAULT_HOLD_BACK,
  ) {}

  get blocked(): boolean {
    return this.blockedFlag;
  }

  push(text: string): string {
    if (this.blockedFlag) return '';
    this.pending += text;
    if (this.pending.length <= this.holdBack) return '';
    const look = this.policy(this.pending);
    if (look.blocked) return this.block(look.findings);
    let cut = this.pending.length - this.holdBack;
    // Never cut inside something a detector matched: the whole match is decided together.
    for (const f of look.findings) if (f.start < cut && f.end > cut) cut = f.start;
    // Prefer a cut at white space, where matches rarely continue.
    const space = this.pending.lastIndexOf(' ', cut);
    if (space > 0) cut = space;
    if (cut <= 0) return '';
    return this.emit(cut);
  }

  end(): string {
    if (this.blockedFlag || this.pending.length === 0) return '';
    const verdict = this.policy(this.pending);
    if (verdict.blocked) return this.block(verdict.findings);
    this.pending = '';
    this.findings.push(...verdict.findings);
    return verdict.text;
  }

  private emit(cut: number): string {
    const head = this.pending.slice(0, cut);
    const verdict = this.policy(head);
    if (verdict.blocked) return this.block(verdict.findings);
    this.pending = this.pending.slice(cut);
    this.findings.push(...verdict.findings);
    return verdict.text;
  }

  private block(findings: Finding[]): string {
    this.blockedFlag = true;
    this.pending = '';
    this.findings.push(...findings);
    return '';
  }
}
