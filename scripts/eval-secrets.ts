/**
 * The secrets section of `npm run eval`: recall and near-miss false alarms per source, and a
 * leave-one-source-out view of the parameters tuned from data.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scanText } from '../lib/detect/index.js';

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
  const miss: string[] = [];
  const fps: string[] = [];
  for (const row of rows) {
    const src = sourceOf(row);
    const t = tallies.get(src) ?? { pos: 0, hit: 0, neg: 0, fp: 0 };
    const r = timed(() => scanText(row.text, { injection: 'off', pii: 'off' }));
    const flagged = r.findings.length > 0;
    if (row.is_secret) {
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
  if (verbose)
    console.log('  missed:\n    ' + miss.join('\n    ') + '\n  flagged near misses:\n    ' + fps.join('\n    '));
}
