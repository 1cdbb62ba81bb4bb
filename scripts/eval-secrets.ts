/**
 * The secrets section of `npm run eval`: recall and near-miss false alarms per source, and a
 * leave-one-source-out view of the parameters tuned from data.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scanText } from '../lib/detect/index.js';
import { normalizeText } from '../lib/detect/normalize.js';
import { DEFAULT_TUNING, findSecrets, type SecretTuning } from '../lib/detect/secrets.js';

export interface SecretRow {
  text: string;
  is_secret: boolean;
  secret_type: string | null;
  source?: string;
}

/** The scanner whose fixtures a row comes from: v1 is gitleaks; v2 names it in `source`. */
export function sourceOf(row: SecretRow): string {
  const s = row.source ?? '';
  if (s.startsWith('secretlint/')) return 'secretlint';
  if (s.startsWith('sirwart/ripsecrets')) return 'ripsecrets';
  if (s.startsWith('Skyscanner/whispers')) return 'whispers';
  if (s.startsWith('americanexpress/earlybird')) return 'earlybird';
  return 'gitleaks';
}

export function readSecretRows(dir: string): SecretRow[] {
  const rows: SecretRow[] = [];
  for (const f of ['secrets.jsonl', 'secrets_v2.jsonl']) {
    for (const line of readFileSync(join(dir, f), 'utf8').split('\n')) {
      if (line.trim() !== '') rows.push(JSON.parse(line) as SecretRow);
    }
  }
  return rows;
}

interface Tally {
  pos: number;
  hit: number;
  neg: number;
  fp: number;
}

const pct = (a: number, b: number) => (b === 0 ? '   n/a' : `${((100 * a) / b).toFixed(1).padStart(5)}%`);

export function evalSecrets(dir: string, verbose: boolean, timed: <T>(f: () => T) => T): void {
  const rows = readSecretRows(dir);
  const tallies = new Map<string, Tally>();
  const byType = new Map<string, Tally>();
  const miss: string[] = [];
  const fps: string[] = [];
  for (const row of rows) {
    const src = sourceOf(row);
    const t = tallies.get(src) ?? { pos: 0, hit: 0, neg: 0, fp: 0 };
    const r = timed(() => scanText(row.text, { injection: 'off', pii: 'off' }));
    const flagged = r.findings.length > 0;
    if (row.is_secret) {
      const key = `${src}\t${row.secret_type ?? '?'}`;
      const ty = byType.get(key) ?? { pos: 0, hit: 0, neg: 0, fp: 0 };
      ty.pos++;
      if (flagged) ty.hit++;
      byType.set(key, ty);
      t.pos++;
      if (flagged) t.hit++;
      else miss.push(`${src} ${row.secret_type}: ${JSON.stringify(row.text.slice(0, 160))}`);
    } else {
      t.neg++;
      if (flagged) {
        t.fp++;
        fps.push(
          `${src} ${r.findings.map((f) => `${f.type}=${JSON.stringify(row.text.slice(f.start, f.end).slice(0, 40))}`).join(',')}: ${JSON.stringify(row.text.slice(0, 120))}`,
        );
      }
    }
    tallies.set(src, t);
  }
  console.log('\n== Secrets (recall: a secret row is flagged; false alarms: a near-miss row is flagged)');
  const all: Tally = { pos: 0, hit: 0, neg: 0, fp: 0 };
  for (const [src, t] of [...tallies].sort()) {
    console.log(
      `  ${src.padEnd(12)} recall ${pct(t.hit, t.pos)} (${t.hit}/${t.pos});  near misses flagged ${pct(t.fp, t.neg)} (${t.fp}/${t.neg})`,
    );
    all.pos += t.pos;
    all.hit += t.hit;
    all.neg += t.neg;
    all.fp += t.fp;
  }
  console.log(
    `  ${'all'.padEnd(12)} recall ${pct(all.hit, all.pos)} (${all.hit}/${all.pos});  near misses flagged ${pct(all.fp, all.neg)} (${all.fp}/${all.neg})`,
  );
  printTypes(byType, verbose);
  if (verbose)
    console.log('  missed:\n    ' + miss.join('\n    ') + '\n  flagged near misses:\n    ' + fps.join('\n    '));
  leaveOneSourceOut(rows);
}

/**
 * Recall per labelled type (the scanner's rule name) within each source: the types with a
 * miss always, every type with EVAL_VERBOSE=1.
 */
function printTypes(byType: Map<string, Tally>, verbose: boolean): void {
  console.log(`  per type (${byType.size} types; ${verbose ? 'all' : 'those with a miss'}):`);
  const lines = new Map<string, string[]>();
  for (const [key, t] of [...byType].sort()) {
    const [src = '', type = ''] = key.split('\t');
    if (!verbose && t.hit === t.pos) continue;
    const short = type.replace(/^[a-z]+:/, '');
    lines.set(src, [...(lines.get(src) ?? []), `${short} ${t.hit}/${t.pos}`]);
  }
  for (const [src, l] of lines) {
    // Six types a line, so a source with a hundred types stays readable.
    for (let i = 0; i < l.length; i += 6)
      console.log(`    ${(i === 0 ? src : '').padEnd(12)} ${l.slice(i, i + 6).join(', ')}`);
  }
}

/** The values tried for each tuned limit of the key-name detector. */
const GRID: { [K in keyof SecretTuning]: number[] } = {
  passwordMinLength: [4, 5, 6, 8],
  passwordMinEntropy: [1.5, 2, 2.2, 2.5],
  tokenMinLength: [8, 10, 12, 16],
  tokenMinEntropy: [2.8, 3, 3.2, 3.5],
  keyishMinEntropy: [3.2, 3.5, 3.7, 4],
};

interface Scored {
  src: string;
  secret: boolean;
  fold: string;
}

/** Per row, the detector parts (`rule:<id>` or a pass name) that find something in it. */
function partsFired(rows: readonly Scored[], tuning: SecretTuning): Set<string>[] {
  return rows.map((r) => {
    const fired = new Set<string>();
    findSecrets(r.fold, tuning, { fired });
    return fired;
  });
}

function tally(rows: readonly Scored[], tuning: SecretTuning): Map<string, Tally> {
  return tallyFired(rows, partsFired(rows, tuning), () => true);
}

/** Per-source figures when only the parts that `keep` accepts count. */
function tallyFired(
  rows: readonly Scored[],
  fired: readonly Set<string>[],
  keep: (part: string) => boolean,
): Map<string, Tally> {
  const out = new Map<string, Tally>();
  rows.forEach((r, i) => {
    const t = out.get(r.src) ?? { pos: 0, hit: 0, neg: 0, fp: 0 };
    const flagged = [...(fired[i] as Set<string>)].some(keep);
    if (r.secret) {
      t.pos++;
      if (flagged) t.hit++;
    } else {
      t.neg++;
      if (flagged) t.fp++;
    }
    out.set(r.src, t);
  });
  return out;
}

/** Mean over sources of recall minus twice the false-alarm rate: each source weighs the same. */
function objective(tallies: Map<string, Tally>): number {
  let sum = 0;
  for (const t of tallies.values()) sum += t.hit / Math.max(1, t.pos) - (2 * t.fp) / Math.max(1, t.neg);
  return sum / Math.max(1, tallies.size);
}

/**
 * Where the search starts: the limits the detector had before they were tuned on this data,
 * so that a fold's choice does not lean on the shipped (all-source) choice.
 */
const START: SecretTuning = {
  passwordMinLength: 6,
  passwordMinEntropy: 2.2,
  tokenMinLength: 12,
  tokenMinEntropy: 3.2,
  keyishMinEntropy: 3.7,
};

/** Coordinate search over {@link GRID}, two rounds, from {@link START}. */
function tune(rows: readonly Scored[]): SecretTuning {
  let best: SecretTuning = { ...START };
  let bestScore = objective(tally(rows, best));
  for (let round = 0; round < 2; round++) {
    for (const key of Object.keys(GRID) as (keyof SecretTuning)[]) {
      for (const v of GRID[key]) {
        const cand = { ...best, [key]: v };
        const score = objective(tally(rows, cand));
        if (score > bestScore + 1e-9) {
          best = cand;
          bestScore = score;
        }
      }
    }
  }
  return best;
}

const show = (t: SecretTuning) =>
  `password >= ${t.passwordMinLength} chars & ${t.passwordMinEntropy} bits, token >= ${t.tokenMinLength} chars & ${t.tokenMinEntropy} bits, weak key ${t.keyishMinEntropy} bits`;

const fig = (t: Tally) => `${pct(t.hit, t.pos)} / ${pct(t.fp, t.neg)}`;

/**
 * Leave-one-source-out, three ways, each source scored by choices made without it:
 * - limits: the key-name limits are chosen on the other sources (every part kept);
 * - + passes: as well, a class pass (assignments, XML elements, .netrc, URIs, …) counts only
 *   if it finds a secret of another source: a pass that only that source's rows call for
 *   would not have been written without them;
 * - + rules: the same selection applied to every provider rule too. Provider rules are
 *   written from the providers' formats and the gitleaks and secretlint rule sets, not from
 *   rows, so this is the strictest reading: a format seen in one source only is dropped.
 */
function leaveOneSourceOut(rows: readonly SecretRow[]): void {
  // The detector sees the normalized text, as in scanText (decoded segments aside).
  const scored: Scored[] = rows.map((r) => ({
    src: sourceOf(r),
    secret: r.is_secret,
    fold: normalizeText(r.text).fold,
  }));
  const sources = [...new Set(scored.map((r) => r.src))].sort();
  console.log(
    '\n== Secrets, leave-one-source-out (recall / near misses flagged; choices made without the scored source)',
  );
  console.log(`  shipped limits: ${show(DEFAULT_TUNING)}`);
  console.log(`  chosen on all sources: ${show(tune(scored))}`);
  console.log(
    `  ${'source'.padEnd(12)} ${'limits'.padEnd(16)} ${'+ passes'.padEnd(16)} ${'+ rules'.padEnd(16)} parts only this source calls for`,
  );
  const sum = { limits: new Map<string, Tally>(), passes: new Map<string, Tally>(), rules: new Map<string, Tally>() };
  for (const src of sources) {
    const chosen = tune(scored.filter((r) => r.src !== src));
    const fired = partsFired(scored, chosen);
    // The parts that find a secret of some other source: the ones a fold can justify.
    const justified = new Set<string>();
    scored.forEach((r, i) => {
      if (r.secret && r.src !== src) for (const p of fired[i] as Set<string>) justified.add(p);
    });
    const own = scored.filter((r) => r.src === src);
    const ownFired = fired.filter((_, i) => scored[i]?.src === src);
    const views = {
      limits: tallyFired(own, ownFired, () => true).get(src) as Tally,
      passes: tallyFired(own, ownFired, (p) => p.startsWith('rule:') || justified.has(p)).get(src) as Tally,
      rules: tallyFired(own, ownFired, (p) => justified.has(p)).get(src) as Tally,
    };
    const dropped = new Set<string>();
    own.forEach((r, i) => {
      if (r.secret) for (const p of ownFired[i] as Set<string>) if (!justified.has(p)) dropped.add(p);
    });
    console.log(
      `  ${src.padEnd(12)} ${fig(views.limits).padEnd(16)} ${fig(views.passes).padEnd(16)} ${fig(views.rules).padEnd(16)} ${[...dropped].sort().join(', ') || '-'}`,
    );
    if (show(chosen) !== show(DEFAULT_TUNING)) console.log(`    limits chosen without it: ${show(chosen)}`);
    for (const k of ['limits', 'passes', 'rules'] as const) sum[k].set(src, views[k]);
  }
  const pooled = (m: Map<string, Tally>) =>
    fig(
      [...m.values()].reduce(
        (a, t) => ({ pos: a.pos + t.pos, hit: a.hit + t.hit, neg: a.neg + t.neg, fp: a.fp + t.fp }),
        {
          pos: 0,
          hit: 0,
          neg: 0,
          fp: 0,
        },
      ),
    );
  console.log(
    `  ${'pooled'.padEnd(12)} ${pooled(sum.limits).padEnd(16)} ${pooled(sum.passes).padEnd(16)} ${pooled(sum.rules).padEnd(16)}`,
  );
}
