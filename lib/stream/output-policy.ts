// The output policy of one request: every finder over model output (PII and secrets from
// the detection core, exfiltration URLs, blocked patterns, the canary token and verbatim
// system-prompt overlap), as spans over a text, plus how much of a growing text is final.
// The whole-text filter (JSON) and the streaming filter both run through this.

import { scanText } from '../detect/scan.js';
import { stableBoundary } from '../detect/boundary.js';
import type { ScanOptions } from '../detect/types.js';
import type { StateFinding } from '../core/state.js';
import type { CompiledPattern } from './patterns.js';
import { applySpans, sortSpans, type Span } from './spans.js';
import { findUrlSpans, urlBoundary, type UrlPolicy } from './urls.js';

/** Consecutive words shared with the system prompt that count as a leak. */
export const SHINGLE_WORDS = 8;
/** Words longer than this never match the system prompt (keeps the word scan local). */
const MAX_WORD = 64;
const WORD = /[\p{L}\p{N}]+/gu;

/** Everything of the policy that is fixed when the middleware is created. */
export interface PolicyConfig {
  scan: ScanOptions & { normalize: false; injection: 'off' };
  urls: UrlPolicy | undefined;
  patterns: readonly CompiledPattern[];
  canary: boolean;
  /** The longest match any of `patterns` can make (0 without patterns). */
  patternReach: number;
  /** Monitor mode: what would block is found and reported, and the text kept. */
  monitor: boolean;
}

/** A policy config, with what follows from its parts worked out once. */
export function policyConfig(
  parts: Omit<PolicyConfig, 'patternReach' | 'monitor'> & { monitor?: boolean },
): PolicyConfig {
  return {
    ...parts,
    patternReach: Math.max(0, ...parts.patterns.map((p) => p.reach)),
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

/**
 * The k-grams (k = 1..SHINGLE_WORDS) of a system prompt's words, cached per prompt; null for
 * a prompt of fewer words than a shingle, which cannot be quoted "at length".
 */
const promptGrams = new Map<string, Set<string> | null>();

function gramsOf(prompt: string): Set<string> | null {
  let grams = promptGrams.get(prompt);
  if (grams !== undefined) return grams;
  grams = (prompt.match(WORD)?.length ?? 0) < SHINGLE_WORDS ? null : shingles(prompt);
  // A server has few system prompts; the cap only guards against prompts built per request.
  if (promptGrams.size >= 64) promptGrams.delete(promptGrams.keys().next().value as string);
  promptGrams.set(prompt, grams);
  return grams;
}

function shingles(prompt: string): Set<string> {
  const words = (prompt.toLowerCase().match(WORD) ?? []).filter((w) => w.length <= MAX_WORD);
  const grams = new Set<string>();
  for (let i = 0; i < words.length; i++)
    for (let k = 1; k <= SHINGLE_WORDS && i + k <= words.length; k++) grams.add(words.slice(i, i + k).join(' '));
  return grams;
}

interface Word {
  text: string;
  start: number;
  end: number;
}

function wordsOf(text: string): Word[] {
  const out: Word[] = [];
  for (const m of text.matchAll(WORD)) {
    const w = m[0].length <= MAX_WORD ? m[0].toLowerCase() : '\u0000';
    out.push({ text: w, start: m.index, end: m.index + m[0].length });
  }
  return out;
}

/** The output policy for one request. */
export class OutputPolicy {
  private readonly grams: Set<string> | undefined;
  private readonly canaryToken: string | undefined;

  constructor(
    private readonly config: PolicyConfig,
    context: PolicyContext = {},
  ) {
    const useCanary = config.canary;
    this.canaryToken = useCanary && context.canary ? context.canary.toLowerCase() : undefined;
    const prompt = useCanary ? context.systemPrompt : undefined;
    this.grams = (prompt && gramsOf(prompt)) || undefined;
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
    if (this.canaryToken !== undefined) {
      const lower = text.toLowerCase();
      for (let at = lower.indexOf(this.canaryToken); at >= 0; at = lower.indexOf(this.canaryToken, at + 1))
        spans.push(blockSpan(at, at + this.canaryToken.length, 'canary', 'canary_token'));
    }
    if (this.grams !== undefined) spans.push(...this.promptOverlap(text));
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
    if (this.config.urls) b = Math.min(b, urlBoundary(text));
    const reach = this.config.patternReach;
    if (reach > 0) b = Math.min(b, Math.max(0, text.length - reach + 1));
    if (this.canaryToken !== undefined) b = Math.min(b, Math.max(0, text.length - this.canaryToken.length + 1));
    if (this.grams !== undefined) b = Math.min(b, this.openOverlap(text));
    return b;
  }

  /** Filters a whole text at once. */
  whole(text: string): FilterVerdict {
    const spans = this.find(text);
    const findings = spans.map((s) => s.finding);
    if (spans.some((s) => s.block)) return { text: '', findings, blocked: true };
    return { text: applySpans(text, spans, 0, text.length), findings, blocked: false };
  }

  /** Runs of SHINGLE_WORDS words that appear, in order, in the system prompt. */
  private promptOverlap(text: string): Span[] {
    const words = wordsOf(text);
    const spans: Span[] = [];
    const grams = this.grams!;
    for (let i = 0; i + SHINGLE_WORDS <= words.length; i++) {
      // Every prefix of a prompt shingle is a gram too, so the run grows a word at a time and
      // stops at the first miss: most output words start no quote, and cost one lookup.
      let gram = words[i]!.text;
      let k = 1;
      while (grams.has(gram) && k < SHINGLE_WORDS) gram += ' ' + words[i + k++]!.text;
      if (k === SHINGLE_WORDS && grams.has(gram))
        spans.push(blockSpan(words[i]!.start, words[i + SHINGLE_WORDS - 1]!.end, 'canary', 'system_prompt'));
    }
    return spans;
  }

  /** Start of the trailing words that could still become a quote of the system prompt. */
  private openOverlap(text: string): number {
    const words = wordsOf(text.slice(Math.max(0, text.length - SHINGLE_WORDS * (MAX_WORD + 16))));
    const offset = Math.max(0, text.length - SHINGLE_WORDS * (MAX_WORD + 16));
    let hold = text.length;
    // The last word may be unfinished: it is held, and not matched.
    let last = words.length;
    if (last > 0 && words[last - 1]!.end === text.length - offset) {
      hold = words[last - 1]!.start + offset;
      last--;
    }
    for (let k = 1; k < SHINGLE_WORDS && k <= last; k++) {
      const gram = words
        .slice(last - k, last)
        .map((w) => w.text)
        .join(' ');
      if (!this.grams!.has(gram)) break;
      hold = words[last - k]!.start + offset;
    }
    return hold;
  }
}

function blockSpan(start: number, end: number, detector: 'pattern' | 'canary', type: string): Span {
  return { start, end, replacement: null, block: true, finding: { detector, type, action: 'block' } };
}
