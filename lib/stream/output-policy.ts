// The output policy of one request: every finder over model output (PII and secrets from
// the detection core, exfiltration URLs, blocked patterns, and leaks of the system prompt,
// its canary or a protected phrase, leaks.ts), as spans over a text, plus how much of a
// growing text is final.
// The whole-text filter (JSON) and the streaming filter both run through this.

import { scanText } from '../detect/scan.js';
import { stableBoundary } from '../detect/boundary.js';
import type { ScanOptions } from '../detect/types.js';
import type { StateFinding } from '../core/state.js';
import type { CompiledPattern } from './patterns.js';
import { applySpans, sortSpans, type Span } from './spans.js';
import { findUrlSpans, urlBoundary, type UrlPolicy } from './urls.js';
import { compileProtect, LeakCheck, leakConfig, type LeakConfig } from './leaks.js';

/** Everything of the policy that is fixed when the middleware is created. */
export interface PolicyConfig {
  scan: ScanOptions & { normalize: false; injection: 'off' };
  urls: UrlPolicy | undefined;
  patterns: readonly CompiledPattern[];
  canary: boolean;
  /** Phrases that must never be sent (`protect`), matched like the system prompt. */
  protect: readonly string[];
  /** The longest match any of `patterns` can make (0 without patterns). */
  patternReach: number;
  /** `protect`, compiled. */
  protected: LeakConfig;
  /** Monitor mode: what would block is found and reported, and the text kept. */
  monitor: boolean;
}

/** A policy config, with what follows from its parts worked out once. */
export function policyConfig(
  parts: Omit<PolicyConfig, 'patternReach' | 'protect' | 'protected' | 'monitor'> & {
    protect?: readonly string[];
    monitor?: boolean;
  },
): PolicyConfig {
  const protect = parts.protect ?? [];
  return {
    ...parts,
    protect,
    patternReach: Math.max(0, ...parts.patterns.map((p) => p.reach)),
    protected: compileProtect(protect),
    monitor: parts.monitor ?? false,
  };
}

/** What `callLLM` told us about this request. */
export interface PolicyContext {
  canary?: string | undefined;
  systemPrompt?: string | undefined;
}

/** The verdict over a whole text. */
export interface FilterVerdict {
  /** The text with every replacement applied (meaningless when blocked). */
  text: string;
  findings: Omit<StateFinding, 'stage' | 'count'>[];
  blocked: boolean;
}

const redactionLabel = (type: string): string => `[REDACTED:${type.toUpperCase()}]`;

/** The output policy for one request. */
export class OutputPolicy {
  private readonly leaks: LeakCheck | undefined;

  constructor(
    private readonly config: PolicyConfig,
    context: PolicyContext = {},
  ) {
    const leaks = leakConfig(config.protected, config.canary ? context : {});
    this.leaks = leaks && new LeakCheck(leaks);
  }

  /** Monitor mode: blocking findings are reported, never blocking. */
  get monitor(): boolean {
    return this.config.monitor;
  }

  /** Everything found in `text`, sorted. Offsets index into `text`. */
  find(text: string): Span[] {
    const spans: Span[] = [];
    const { scan } = this.config;
    if (scan.pii !== 'off' || scan.secrets !== 'off') {
      for (const f of scanText(text, scan).findings) {
        spans.push({
          start: f.start,
          end: f.end,
          replacement: f.action === 'redact' ? redactionLabel(f.type) : null,
          block: f.action === 'block',
          finding: { detector: f.detector, type: f.type, action: f.action },
        });
      }
    }
    if (this.config.urls) spans.push(...findUrlSpans(text, this.config.urls));
    for (const p of this.config.patterns) {
      p.re.lastIndex = 0;
      for (const m of text.matchAll(p.re)) {
        if (m[0].length === 0) continue;
        spans.push(blockSpan(m.index, m.index + m[0].length, 'pattern', 'blocked_pattern'));
      }
    }
    if (this.leaks !== undefined)
      for (const leak of this.leaks.find(text)) spans.push(blockSpan(leak.start, leak.end, 'canary', leak.type));
    // Monitoring, a blocking span keeps its finding (action `block`, which the output filter
    // records as would-block) and the text it covers.
    if (this.config.monitor) for (const s of spans) s.block = false;
    return sortSpans(spans);
  }

  /**
   * The index before which the spans of `text` cannot change when more text is appended,
   * so that output up to it may be released.
   */
  boundary(text: string): number {
    let b = stableBoundary(text);
    if (this.config.urls) b = Math.min(b, urlBoundary(text, this.config.urls));
    const reach = this.config.patternReach;
    if (reach > 0) b = Math.min(b, Math.max(0, text.length - reach + 1));
    if (this.leaks !== undefined) b = Math.min(b, this.leaks.boundary(text));
    return b;
  }

  /** Filters a whole text at once. */
  whole(text: string): FilterVerdict {
    const spans = this.find(text);
    const findings = spans.map((s) => s.finding);
    if (spans.some((s) => s.block)) return { text: '', findings, blocked: true };
    return { text: applySpans(text, spans, 0, text.length), findings, blocked: false };
  }
}

function blockSpan(start: number, end: number, detector: 'pattern' | 'canary', type: string): Span {
  return { start, end, replacement: null, block: true, finding: { detector, type, action: 'block' } };
}
