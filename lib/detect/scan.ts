/**
 * `scanText`: the pure detection core shared by input validation and output filtering.
 */
import { checkOptions, describe, type Check } from '../core/options.js';
import type { DetectorAction, DetectorName, Finding, ScanOptions, ScanResult } from './types.js';
import { normalizeText, toOriginal, type Normalized } from './normalize.js';
import { findEncodedRuns, newBudget } from './decode.js';
import { batchSpan, placeInBatch, toBatches, type Batch, type Piece } from './batch.js';
import { findTransformedText, mayHoldTransformedText } from './transforms.js';
import { findPii } from './pii.js';
import { findSecrets } from './secrets.js';
import { dominantType, scoreInjection, type InjectionHit } from './injection.js';

const ACTIONS: readonly DetectorAction[] = ['block', 'redact', 'flag', 'off'];

/** Options after validation, with defaults applied. */
interface Config {
  injection: DetectorAction;
  pii: DetectorAction;
  secrets: DetectorAction;
  threshold: number;
  redaction: (type: string, detector: DetectorName) => string;
  normalize: boolean;
}

const defaultRedaction = (type: string): string => `[REDACTED:${type.toUpperCase()}]`;

const configCache = new WeakMap<object, Config>();
let lastOptions: object | undefined;
let lastConfig: Config | undefined;
const DEFAULT_CONFIG: Config = {
  injection: 'block',
  pii: 'redact',
  secrets: 'redact',
  threshold: 0.5,
  redaction: defaultRedaction,
  normalize: true,
};

const action: Check = (v) =>
  typeof v === 'string' && (ACTIONS as readonly string[]).includes(v)
    ? undefined
    : "one of 'block', 'redact', 'flag', 'off'";

/** One check per scan option, through the option checking every factory shares. */
const SCAN_CHECKS: { [K in keyof ScanOptions]-?: Check } = {
  injection: action,
  pii: action,
  secrets: action,
  threshold: (v) =>
    typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 1 ? undefined : 'a number in [0, 1]',
  redaction: (v) => (typeof v === 'function' ? undefined : 'a function (type, detector) => string'),
  normalize: (v) => (typeof v === 'boolean' ? undefined : 'a boolean'),
};

/**
 * Validate scan options. Unknown keys and invalid values throw a `TypeError` naming
 * `scanText` and the option, so a typo never silently switches a detector off.
 * Results are cached per options object, so middlewares that pass the same object pay once.
 */
export function resolveScanOptions(options: ScanOptions | undefined, caller = 'scanText'): Config {
  if (options === undefined) return DEFAULT_CONFIG;
  // The middlewares pass the same few objects on every call: the last one answers without
  // a WeakMap lookup (measurable at two scans per request).
  if (options === lastOptions) return lastConfig!;
  const cached = options !== null && typeof options === 'object' ? configCache.get(options) : undefined;
  if (cached !== undefined) {
    lastOptions = options;
    lastConfig = cached;
    return cached;
  }
  const o = checkOptions<ScanOptions>(caller, options, SCAN_CHECKS);
  const config: Config = {
    injection: o.injection ?? DEFAULT_CONFIG.injection,
    pii: o.pii ?? DEFAULT_CONFIG.pii,
    secrets: o.secrets ?? DEFAULT_CONFIG.secrets,
    threshold: o.threshold ?? DEFAULT_CONFIG.threshold,
    redaction: o.redaction ?? DEFAULT_CONFIG.redaction,
    normalize: o.normalize ?? DEFAULT_CONFIG.normalize,
  };
  configCache.set(options, config);
  lastOptions = options;
  lastConfig = config;
  return config;
}

/** A finding with its span in both the original and the normalized (`clean`) string. */
interface Located {
  finding: Finding;
  nStart: number;
  nEnd: number;
}

/** One scan's state: the text, its views, the configuration and what was found so far. */
interface Scan {
  text: string;
  norm: Normalized;
  cfg: Config;
  located: Located[];
}

/** What a finding is, before it has a place. */
interface FindingKind {
  detector: DetectorName;
  type: string;
  action: Exclude<DetectorAction, 'off'>;
}

/** Record a finding of `kind` at `[nStart, nEnd)` of the normalized views. */
function add(scan: Scan, kind: FindingKind, [nStart, nEnd]: readonly [number, number]): void {
  const { detector, type, action } = kind;
  const [start, end] = toOriginal(scan.norm, nStart, nEnd, scan.text.length);
  scan.located.push({ finding: { detector, type, start, end, action }, nStart, nEnd });
}

/** PII and secrets in `view`; `place` maps a match to normalized coordinates of the text. */
function runDetectors(scan: Scan, view: string, place: (start: number, end: number) => [number, number]): void {
  const { cfg } = scan;
  if (cfg.pii !== 'off')
    for (const m of findPii(view)) add(scan, { detector: 'pii', type: m.type, action: cfg.pii }, place(m.start, m.end));
  if (cfg.secrets !== 'off')
    for (const m of findSecrets(view))
      add(scan, { detector: 'secrets', type: m.type, action: cfg.secrets }, place(m.start, m.end));
}

/**
 * Decode the encoded runs of the text, and the runs inside them (base64 of URL-encoded text
 * and the like), scan them for PII and secrets, and return their batches for the injection
 * score. A match maps to the encoded run of the text it came from.
 */
function scanEncoded(scan: Scan): Batch[] {
  const budget = newBudget(scan.text.length);
  const outer = toBatches(findEncodedRuns(scan.norm.fold, budget));
  const inner: Piece[] = [];
  for (const b of outer) {
    for (const seg of findEncodedRuns(b.n.fold, budget)) {
      const [start, end] = placeInBatch(b, seg.start, seg.end);
      inner.push({ text: seg.text, start, end });
    }
  }
  const batches = inner.length > 0 ? [...outer, ...toBatches(inner)] : outer;
  for (const b of batches) runDetectors(scan, b.n.fold, (s, e) => placeInBatch(b, s, e));
  return batches;
}

/**
 * Score batches of decoded text. Returns the highest score; at the threshold, each rule hit
 * (or, with none, the whole batch) becomes an `encoded_payload` hit at its encoded span.
 */
function scoreBatches(batches: Batch[], threshold: number, hits: InjectionHit[]): number {
  let best = 0;
  for (const b of batches) {
    const s = scoreInjection(b.n.leet, b.n.fold);
    if (s.score > best) best = s.score;
    if (s.score < threshold) continue;
    const spans = s.hits.length > 0 ? s.hits.map((h) => placeInBatch(b, h.start, h.end)) : [batchSpan(b)];
    for (const [start, end] of spans) hits.push({ type: 'encoded_payload', start, end, weight: s.score });
  }
  return best;
}

/** The injection score of the text, its decoded and transformed segments and its hidden text; findings at the threshold. */
function scanInjection(scan: Scan, decoded: Batch[]): number {
  const { norm, cfg } = scan;
  const main = scoreInjection(norm.leet, norm.fold);
  let score = main.score;
  const encodedHits: InjectionHit[] = [];
  score = Math.max(score, scoreBatches(decoded, cfg.threshold, encodedHits));
  // rot13 and reversed passages only change the injection verdict, which is whole-text:
  // screening them for PII would make a streamed result depend on where a passage ends.
  if (score < cfg.threshold && mayHoldTransformedText(norm.leet)) {
    const transformed = findTransformedText(norm.leet, norm.clean);
    if (transformed.length > 0)
      score = Math.max(score, scoreBatches(toBatches(transformed), cfg.threshold, encodedHits));
  }
  // Hidden text (tags, variation selectors) has its span in original coordinates and is
  // already gone from `clean`: it is reported, never redacted.
  const hiddenHits: InjectionHit[] = [];
  if (norm.hidden.length > 0) score = Math.max(score, scoreBatches(toBatches(norm.hidden), cfg.threshold, hiddenHits));
  for (const h of hiddenHits) {
    const finding: Finding = {
      detector: 'injection',
      type: h.type,
      start: h.start,
      end: h.end,
      action: cfg.injection as Exclude<DetectorAction, 'off'>,
    };
    scan.located.push({ finding, nStart: -1, nEnd: -1 });
  }
  if (score >= cfg.threshold) {
    const action = cfg.injection as Exclude<DetectorAction, 'off'>;
    const reported = [...encodedHits, ...main.hits];
    for (const h of reported) add(scan, { detector: 'injection', type: h.type, action }, [h.start, h.end]);
    if (reported.length === 0 && hiddenHits.length === 0) {
      // The model fired without a rule: report the whole text, typed by the weak rules.
      add(scan, { detector: 'injection', type: dominantType(main.hits), action }, [0, norm.clean.length]);
    }
  }
  return score;
}

/**
 * Scan `text` for prompt injection, PII and secrets.
 *
 * Offsets in findings index into `text` as given. `redacted` is the normalized text
 * (`normalize: true`, the default) or the original characters (`normalize: false`) with every
 * finding of a detector whose action is `redact` replaced by `[REDACTED:TYPE]`; overlapping
 * spans merge. `score` is the injection score in [0, 1]; an `injection` finding is reported
 * when it reaches `threshold`.
 *
 * @example
 * ```ts
 * const r = scanText('mail me at jane@example.com');
 * r.redacted; // 'mail me at [REDACTED:EMAIL]'
 * r.findings; // [{ detector: 'pii', type: 'email', start: 11, end: 27, action: 'redact' }]
 * ```
 */
export function scanText(text: string, options?: ScanOptions): ScanResult {
  if (typeof text !== 'string') {
    throw new TypeError(`scanText: \`text\` must be a string (received ${describe(text)})`);
  }
  const cfg = resolveScanOptions(options);
  const norm = normalizeText(text);
  const scan: Scan = { text, norm, cfg, located: [] };
  runDetectors(scan, norm.fold, (s, e) => [s, e]);
  // Decoded segments are scanned like the main text; what they find maps to the encoded run.
  const any = cfg.pii !== 'off' || cfg.secrets !== 'off' || cfg.injection !== 'off';
  const decoded = any ? scanEncoded(scan) : [];
  const score = cfg.injection !== 'off' ? scanInjection(scan, decoded) : 0;

  const { located } = scan;
  located.sort((a, b) => a.finding.start - b.finding.start || b.finding.end - a.finding.end);
  const findings = dedupe(located.map((l) => l.finding));
  const redacted = redact(text, norm, located, cfg);
  return { findings, redacted, score: round(score) };
}

function round(x: number): number {
  return Math.min(1, Math.max(0, Math.round(x * 1e4) / 1e4));
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  const out: Finding[] = [];
  for (const f of findings) {
    const key = `${f.detector}|${f.type}|${f.start}|${f.end}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(f);
  }
  return out;
}

/** `[start, end)` of the views as a span of the text `redacted` is built from (see `Normalized.unjoined`). */
function toDisplay(norm: Normalized, start: number, end: number): [number, number] {
  const u = norm.unjoined;
  if (u === undefined) return [start, end];
  const len = u.at.length;
  const s = start < len ? (u.at[start] as number) : u.clean.length;
  const e = end > 0 ? (u.at[Math.min(end, len) - 1] as number) + 1 : s;
  return [s, Math.max(s, e)];
}

function redact(text: string, norm: Normalized, located: Located[], cfg: Config): string {
  const spans: { start: number; end: number; label: string }[] = [];
  for (const l of located) {
    if (l.finding.action !== 'redact') continue;
    const f = l.finding;
    if (cfg.normalize) {
      if (l.nStart < 0) continue; // invisible tag payloads are already gone from `clean`
      const [start, end] = toDisplay(norm, l.nStart, l.nEnd);
      spans.push({ start, end, label: cfg.redaction(f.type, f.detector) });
    } else {
      spans.push({ start: f.start, end: f.end, label: cfg.redaction(f.type, f.detector) });
    }
  }
  const base = cfg.normalize ? (norm.unjoined?.clean ?? norm.clean) : text;
  if (spans.length === 0) return base;
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  let out = '';
  let pos = 0;
  let cur = spans[0] as { start: number; end: number; label: string };
  const flush = () => {
    out += base.slice(pos, cur.start) + cur.label;
    pos = cur.end;
  };
  for (let i = 1; i < spans.length; i++) {
    const s = spans[i] as { start: number; end: number; label: string };
    if (s.start < cur.end) {
      // Overlapping spans merge under the label of the span that starts first.
      if (s.end > cur.end) cur = { ...cur, end: s.end };
      continue;
    }
    flush();
    cur = s;
  }
  flush();
  return out + base.slice(pos);
}
