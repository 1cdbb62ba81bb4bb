/**
 * `npm run eval`: measure the detectors on the development corpora in ../shared/corpus
 * (override with CORPUS_DIR). The corpora are read, never copied into this repository.
 *
 * Injection figures come in two forms: the shipped detector (whose model was trained on
 * these rows, so its figures are optimistic) and k-fold / leave-one-source-out figures,
 * where each row is scored by a model that never saw it. Only the latter say anything about
 * unseen prompts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { scanText } from '../lib/detect/index.js';
import { calibrate } from '../lib/detect/injection.js';
import { MODEL } from '../lib/detect/injection-weights.js';
import { crossValidate, loadRows } from './train-injection.js';
import { corpusDir } from './corpus.js';
import { evalSecrets } from './eval-secrets.js';

const dir = corpusDir('npm run eval');
const read = <T>(f: string): T[] =>
  readFileSync(join(dir, f), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as T);

const pct = (a: number, b: number) => (b === 0 ? '   n/a' : `${((100 * a) / b).toFixed(1).padStart(5)}%`);
let totalTexts = 0;
let totalMs = 0;
function timed<T>(f: () => T): T {
  const t0 = performance.now();
  const r = f();
  totalMs += performance.now() - t0;
  totalTexts++;
  return r;
}

// --- Injection -----------------------------------------------------------------------------
// Every injection file, v1 and v2. The figure that predicts unseen prompts is
// leave-one-source-out: each source (attack sources and benign sources alike) is held out in
// turn, the model is retrained on the rest and scores the held-out rows. 5-fold mixes every
// source into training and is printed only as an optimistic secondary figure.
const rows = loadRows(dir);
const pos = rows.filter((r) => r.label === 1);
const neg = rows.filter((r) => r.label === 0);

/** Per-subset flagged counts at `threshold` for per-row `scores`. */
function tally(scores: number[], threshold: number) {
  const bySubset = new Map<string, { n: number; flagged: number; label: number }>();
  let tp = 0;
  let fp = 0;
  rows.forEach((r, i) => {
    const flagged = (scores[i] as number) >= threshold;
    const s = bySubset.get(r.subset) ?? { n: 0, flagged: 0, label: r.label };
    s.n++;
    if (flagged) s.flagged++;
    bySubset.set(r.subset, s);
    if (flagged && r.label === 1) tp++;
    if (flagged && r.label === 0) fp++;
  });
  return { bySubset, tp, fp };
}

function printTally(scores: number[], threshold: number, indent: string): void {
  const t = tally(scores, threshold);
  const sorted = [...t.bySubset].sort((a, b) => b[1].label - a[1].label || a[0].localeCompare(b[0]));
  for (const [name, s] of sorted) {
    console.log(
      `${indent}${name.padEnd(30)} n=${String(s.n).padStart(4)}  ${s.label === 1 ? 'caught      ' : 'false alarms'} ${pct(s.flagged, s.n)}`,
    );
  }
  console.log(
    `${indent}pooled: caught ${pct(t.tp, pos.length)} of ${pos.length} attacks, false alarms ${pct(t.fp, neg.length)} of ${neg.length} benign`,
  );
}

function worstBenign(bySubset: Map<string, { n: number; flagged: number; label: number }>): string {
  let worst = '';
  let rate = -1;
  for (const [name, s] of bySubset) {
    if (s.label === 0 && s.flagged / s.n > rate) {
      rate = s.flagged / s.n;
      worst = name;
    }
  }
  return `${worst} ${pct(rate, 1)}`;
}

/** Caught share at the threshold that keeps false alarms at or below each target. */
function rocTable(scores: number[], indent: string): void {
  const negScores = rows.flatMap((r, i) => (r.label === 0 ? [scores[i] as number] : [])).sort((a, b) => b - a);
  for (const target of [0.01, 0.03, 0.05, 0.1]) {
    // The lowest threshold above the (k+1)-th highest benign score flags at most k benign rows.
    const k = Math.floor(target * negScores.length);
    const t = k < negScores.length ? (negScores[k] as number) + 1e-9 : 0;
    const { tp, fp } = tally(scores, t);
    console.log(
      `${indent}at ${String(target * 100).padStart(2)}% false alarms: caught ${pct(tp, pos.length)} (threshold ${t.toFixed(3)}, false alarms ${pct(fp, neg.length)})`,
    );
  }
}

const shipped = rows.map((row) => {
  const r = timed(() => scanText(row.text, { pii: 'off', secrets: 'off' }));
  return r.score;
});
console.log('\n== Injection: shipped detector at the default threshold 0.5 (trained on these rows: optimistic)');
{
  const t = tally(shipped, 0.5);
  console.log(
    `  pooled: caught ${pct(t.tp, pos.length)}, false alarms ${pct(t.fp, neg.length)} (per source with EVAL_VERBOSE=1)`,
  );
  if (process.env.EVAL_VERBOSE) printTally(shipped, 0.5, '  ');
}

{
  const t0 = performance.now();
  const loso = { scores: crossValidate(rows, 'source').map(calibrate) };
  const secs = ((performance.now() - t0) / 1000).toFixed(1);
  console.log(`\n== Injection: leave-one-source-out (each source held out in turn; ${secs} s to train all folds)`);
  console.log('  at the default threshold 0.5:');
  printTally(loso.scores, 0.5, '    ');
  for (const [name, t] of [
    ['strict', MODEL.operatingPoints.strict],
    ['lenient', MODEL.operatingPoints.lenient],
  ] as const) {
    const r = tally(loso.scores, t);
    console.log(
      `  ${name} (threshold ${t}): caught ${pct(r.tp, pos.length)}, false alarms ${pct(r.fp, neg.length)}; worst benign source ${worstBenign(r.bySubset)}`,
    );
  }
  console.log('  ROC on the pooled held-out scores:');
  rocTable(loso.scores, '    ');
  if (process.env.EVAL_VERBOSE) {
    rows.forEach((r, i) => {
      const s = loso.scores[i] as number;
      if ((r.label === 1) !== s >= 0.5)
        console.log(
          `    ${r.label === 1 ? 'MISS' : 'FA  '} ${r.subset} ${s.toFixed(2)} ${r.text.slice(0, 110).replace(/\s+/g, ' ')}`,
        );
    });
  }
}
{
  const kfold = { scores: crossValidate(rows, 'kfold').map(calibrate) };
  const t = tally(kfold.scores, 0.5);
  console.log(
    `\n== Injection: 5-fold cross-validation (optimistic: every source is in training) caught ${pct(t.tp, pos.length)}, false alarms ${pct(t.fp, neg.length)}`,
  );
}

// --- PII -----------------------------------------------------------------------------------
interface PiiRow {
  text: string;
  entities: { type: string; start: number; end: number }[];
  source?: string;
}
const OURS: Record<string, string> = {
  EMAIL_ADDRESS: 'email',
  PHONE_NUMBER: 'phone',
  CREDIT_CARD: 'credit_card',
  US_SSN: 'us_ssn',
  IBAN_CODE: 'iban',
  IP_ADDRESS: 'ip_address',
};

/** The near-miss class of an entity-free v2 row, from the file its source names. */
function nearMissCategory(row: PiiRow): string {
  const src = row.source ?? '';
  if (src.includes('ShortNumber')) return 'service numbers';
  if (src.includes('isemail')) return 'invalid e-mails';
  if (src.includes('ip-regex')) return 'invalid IPs';
  if (src.includes('card-validator')) return 'Luhn-invalid cards';
  if (src.includes('iban')) return 'checksum-invalid IBANs';
  return 'other';
}

/** Recall per type, typed recall, entity-free texts altered, per file and per near-miss class. */
function evalPii(file: string): void {
  const rowsOf = read<PiiRow>(file);
  const recall = new Map<string, { n: number; hit: number; typed: number }>();
  const nearMiss = new Map<string, { n: number; altered: number }>();
  let free = 0;
  let freeAltered = 0;
  let ms = 0;
  const piiMiss: string[] = [];
  const piiFp: string[] = [];
  for (const row of rowsOf) {
    const t0 = performance.now();
    const r = timed(() => scanText(row.text, { injection: 'off' }));
    ms += performance.now() - t0;
    const ours = row.entities.filter((e) => OURS[e.type] !== undefined);
    for (const e of ours) {
      const s = recall.get(e.type) ?? { n: 0, hit: 0, typed: 0 };
      s.n++;
      // Covered: some redacting finding overlaps most of the entity.
      const cover = r.findings.filter((f) => f.action === 'redact' && f.start < e.end && f.end > e.start);
      const covered =
        cover.reduce((acc, f) => acc + Math.min(f.end, e.end) - Math.max(f.start, e.start), 0) >=
        (e.end - e.start) * 0.8;
      if (covered) s.hit++;
      else piiMiss.push(`${e.type} ${row.text.slice(e.start, e.end)}`);
      if (cover.some((f) => f.type === OURS[e.type])) s.typed++;
      recall.set(e.type, s);
    }
    if (ours.length === 0) {
      free++;
      const altered = r.redacted !== row.text;
      if (altered) {
        freeAltered++;
        piiFp.push(r.findings.map((f) => `${f.type}:${row.text.slice(f.start, f.end)}`).join(', '));
      }
      if (row.entities.length === 0 && file.includes('_v2')) {
        const c = nearMissCategory(row);
        const s = nearMiss.get(c) ?? { n: 0, altered: 0 };
        s.n++;
        if (altered) s.altered++;
        nearMiss.set(c, s);
      }
    }
  }
  console.log(`\n== PII, ${file} (recall: the entity is redacted; typed: with the right type)`);
  let pn = 0;
  let ph = 0;
  for (const [t, s] of [...recall].sort()) {
    console.log(
      `  ${t.padEnd(16)} n=${String(s.n).padStart(3)}  recall ${pct(s.hit, s.n)}  typed ${pct(s.typed, s.n)}`,
    );
    pn += s.n;
    ph += s.hit;
  }
  console.log(
    `  overall recall ${pct(ph, pn)} (${ph}/${pn});  texts without our entity types altered: ${freeAltered}/${free} = ${pct(freeAltered, free)}`,
  );
  for (const [c, s] of [...nearMiss].sort())
    console.log(`    near misses, ${c.padEnd(24)} n=${String(s.n).padStart(3)}  altered ${pct(s.altered, s.n)}`);
  console.log(`  ${((1000 * ms) / rowsOf.length).toFixed(1)} µs/text (first pass, ${rowsOf.length} texts)`);
  if (process.env.EVAL_VERBOSE) console.log('  missed: ' + piiMiss.join(' | ') + '\n  altered: ' + piiFp.join(' | '));
}
// The PII rules were tuned on both files, so neither figure is held out; the held-out check
// is the table of strings written for test/detect/pii-formats.test.ts.
console.log('\n== PII: rules tuned on pii.jsonl and pii_v2.jsonl (held-out table: test/detect/pii-formats.test.ts)');
evalPii('pii.jsonl');
evalPii('pii_v2.jsonl');

// --- Secrets -------------------------------------------------------------------------------
// v1 (gitleaks) and v2 (secretlint, ripsecrets, whispers, earlybird), per source, with the
// leave-one-source-out view of the tuned key-name limits: scripts/eval-secrets.ts.
evalSecrets(dir, Boolean(process.env.EVAL_VERBOSE), timed);

// --- Speed ---------------------------------------------------------------------------------
// Warm passes over the injection rows with all detectors on, after the first pass above.
// Each pass is timed in wall-clock and in this process's CPU time: on a shared machine the
// wall clock also counts time spent waiting for a core, while process CPU time also counts
// V8's own GC and compiler threads. The median pass of five is reported.
const passes: { wall: number; cpu: number }[] = [];
for (let pass = 0; pass < 5; pass++) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (const row of rows) scanText(row.text);
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  passes.push({ wall, cpu: (c.user + c.system) / 1000 });
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[2] as number;
const ms = median(passes.map((p) => p.wall));
const cpuMs = median(passes.map((p) => p.cpu));
const meanChars = rows.reduce((a, r) => a + r.text.length, 0) / rows.length;
console.log('\n== Speed');
console.log(
  `  first pass (cold, all files): ${((1000 * totalMs) / totalTexts).toFixed(1)} µs/text over ${totalTexts} texts`,
);
console.log(
  `  warm, all detectors, injection rows: ${((1000 * ms) / rows.length).toFixed(1)} µs/text wall-clock, ${((1000 * cpuMs) / rows.length).toFixed(1)} µs/text process CPU, all threads incl. GC and JIT (median of 5 passes; mean ${meanChars.toFixed(0)} chars)`,
);

// Adversarial 100 KB inputs: each must stay far below 250 ms (linear-time patterns).
const big = 100_000;
const adversarial: [string, string][] = [
  ['one char', 'a'.repeat(big)],
  ['a@a@…', 'a@'.repeat(big / 2)],
  ['unterminated BEGIN', '-----BEGIN RSA PRIVATE KEY-----\n' + 'A'.repeat(big)],
  ['digits', '1'.repeat(big)],
  ['digits+spaces', '1 '.repeat(big / 2)],
  ['base64 run', 'QUJD'.repeat(big / 4)],
  ['%xx run', '%41'.repeat(big / 3)],
  ['key= bait', 'password='.repeat(big / 9)],
  ['auth( bait', "auth('a','".repeat(big / 10)],
  ['.pgpass lines', ('a'.repeat(300) + ':1:\n').repeat(big / 304)],
  ['zero-width', '\u200b'.repeat(big)],
  // Normalization and decoding (docs/normalization.md): each class at its worst.
  ['spaced letters', 'i g n o r e '.repeat(big / 12)],
  ['variation selectors', '\u{1F600}' + '\u{E0150}'.repeat(big / 2)],
  ['wrapped base64', ('QUJD'.repeat(19) + '\r\n').repeat(big / 78)],
  ['base64 decoys', 'aGVsbG8gd29ybGQh '.repeat(big / 17)],
  ['rot13 words', 'vtaber '.repeat(big / 7)],
];
console.log('\n== Adversarial 100 KB inputs (ms per scan)');
console.log(
  '  ' +
    adversarial
      .map(([name, text]) => {
        const t0 = performance.now();
        scanText(text);
        return `${name}: ${(performance.now() - t0).toFixed(1)}`;
      })
      .join('; '),
);
