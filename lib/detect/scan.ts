/**
 * `scanText`: the pure detection core shared by input validation and output filtering.
 */
import type { DetectorAction, DetectorName, Finding, ScanOptions, ScanResult } from './types.js';
import { normalizeText, toOriginal, type Normalized } from './normalize.js';
import { findEncodedRuns, newBudget, type DecodedSegment } from './decode.js';
import { findPii, type RawMatch } from './pii.js';
import { findSecrets } from './secrets.js';
import { dominantType, scoreInjection, type InjectionHit } from './injection.js';

const ACTIONS: readonly DetectorAction[] = ['block', 'redact', 'flag', 'off'];
const KNOWN = new Set(['injection', 'pii', 'secrets', 'threshold', 'redaction', 'normalize']);

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

function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'function') return 'a function';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  return String(v);
}

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

/**
 * Validate scan options. Unknown keys and invalid values throw a `TypeError` naming
 * `scanText` and the option, so a typo never silently switches a detector off.
 * Results are cached per options object, so middlewares that pass the same object pay once.
 */
export function resolveScanOptions(options: ScanOptions | undefined, caller = 'scanText'): Config {
  if (options === undefined) return DEFAULT_CONFIG;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(`${caller}: options must be an object (received ${describe(options)})`);
  }
  // The middlewares pass the same few objects on every call: the last one answers without
  // a WeakMap lookup (measurable at two scans per request).
  if (options === lastOptions) return lastConfig!;
  const cached = configCache.get(options);
  if (cached !== undefined) {
    lastOptions = options;
    lastConfig = cached;
    return cached;
  }
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key)) throw new TypeError(`${caller}: unknown option \`${key}\``);
  }
  const o = options as Record<string, unknown>;
  const action = (name: 'injection' | 'pii' | 'secrets'): DetectorAction => {
    const v = o[name];
    if (v === undefined) return DEFAULT_CONFIG[name];
    if (typeof v !== 'string' || !(ACTIONS as readonly string[]).includes(v)) {
      throw new TypeError(
        `${caller}: \`${name}\` must be one of 'block', 'redact', 'flag', 'off' (received ${describe(v)})`,
      );
    }
    return v as DetectorAction;
  };
  const t = o.threshold;
  if (t !== undefined && (typeof t !== 'number' || !Number.isFinite(t) || t < 0 || t > 1)) {
    throw new TypeError(`${caller}: \`threshold\` must be a number in [0, 1] (received ${describe(t)})`);
  }
  const r = o.redaction;
  if (r !== undefined && typeof r !== 'function') {
    throw new TypeError(
      `${caller}: \`redaction\` must be a function (type, detector) => string (received ${describe(r)})`,
    );
  }
  const n = o.normalize;
  if (n !== undefined && typeof n !== 'boolean') {
    throw new TypeError(`${caller}: \`normalize\` must be a boolean (received ${describe(n)})`);
  }
  const config: Config = {
    injection: action('injection'),
    pii: action('pii'),
    secrets: action('secrets'),
    threshold: (t as number | undefined) ?? 0.5,
    redaction: (r as Config['redaction'] | undefined) ?? defaultRedaction,
    normalize: (n as boolean | undefined) ?? true,
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
  const located: Located[] = [];
  const budget = newBudget();

  // Decoded segments are scanned like the main text; what they find maps to the encoded run.
  const segments: DecodedSegment[] = [];
  if (cfg.pii !== 'off' || cfg.secrets !== 'off' || cfg.injection !== 'off') {
    segments.push(...findEncodedRuns(norm.fold, budget));
  }

  const add = (
    detector: DetectorName,
    type: string,
    nStart: number,
    nEnd: number,
    action: Exclude<DetectorAction, 'off'>,
  ) => {
    const [start, end] = toOriginal(norm, nStart, nEnd, text.length);
    located.push({ finding: { detector, type, start, end, action }, nStart, nEnd });
  };

  const runDetectors = (view: string, place: (m: RawMatch) => [number, number]): void => {
    if (cfg.pii !== 'off') for (const m of findPii(view)) add('pii', m.type, ...place(m), cfg.pii);
    if (cfg.secrets !== 'off') for (const m of findSecrets(view)) add('secrets', m.type, ...place(m), cfg.secrets);
  };

  runDetectors(norm.fold, (m) => [m.start, m.end]);
  // Tag-character smuggling is a decoded segment whose span is in original coordinates.
  const decodedViews: { n: Normalized; nStart: number; nEnd: number }[] = [];
  for (const seg of segments) {
    const n = normalizeText(seg.text);
    decodedViews.push({ n, nStart: seg.start, nEnd: seg.end });
    runDetectors(n.fold, () => [seg.start, seg.end]);
    // One more level: base64 of URL-encoded text and the like, within the same budget.
    for (const inner of findEncodedRuns(n.fold, budget)) {
      const n2 = normalizeText(inner.text);
      decodedViews.push({ n: n2, nStart: seg.start, nEnd: seg.end });
      runDetectors(n2.fold, () => [seg.start, seg.end]);
    }
  }

  let score = 0;
  if (cfg.injection !== 'off') {
    const main = scoreInjection(norm.leet, norm.fold);
    score = main.score;
    const hits: InjectionHit[] = main.hits;
    const encodedHits: InjectionHit[] = [];
    for (const d of decodedViews) {
      const s = scoreInjection(d.n.leet, d.n.fold);
      if (s.score > score) score = s.score;
      if (s.score >= cfg.threshold)
        encodedHits.push({ type: 'encoded_payload', start: d.nStart, end: d.nEnd, weight: s.score });
    }
    for (const tag of norm.tagRuns) {
      const n = normalizeText(tag.text);
      const s = scoreInjection(n.leet, n.fold);
      if (s.score > score) score = s.score;
      if (s.score >= cfg.threshold) {
        located.push({
          finding: {
            detector: 'injection',
            type: 'encoded_payload',
            start: tag.start,
            end: tag.end,
            action: cfg.injection,
          },
          nStart: -1,
          nEnd: -1,
        });
      }
    }
    if (score >= cfg.threshold) {
      const reported = [...encodedHits, ...hits];
      for (const h of reported) add('injection', h.type, h.start, h.end, cfg.injection);
      const alreadyReported = reported.length > 0 || located.some((l) => l.finding.detector === 'injection');
      if (!alreadyReported) {
        // The model fired without a rule: report the whole text, typed by the weak rules.
        add('injection', dominantType(hits), 0, norm.clean.length, cfg.injection);
      }
    }
  }

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

function redact(text: string, norm: Normalized, located: Located[], cfg: Config): string {
  const spans: { start: number; end: number; label: string }[] = [];
  for (const l of located) {
    if (l.finding.action !== 'redact') continue;
    const f = l.finding;
    if (cfg.normalize) {
      if (l.nStart < 0) continue; // invisible tag payloads are already gone from `clean`
      spans.push({ start: l.nStart, end: l.nEnd, label: cfg.redaction(f.type, f.detector) });
    } else {
      spans.push({ start: f.start, end: f.end, label: cfg.redaction(f.type, f.detector) });
    }
  }
  const base = cfg.normalize ? norm.clean : text;
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
