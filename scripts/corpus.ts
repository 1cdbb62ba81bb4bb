/**
 * Where the development corpus is: `CORPUS_DIR`, else `../shared/corpus` beside the checkout.
 * The corpus is not part of the repository, so a missing one ends the script with one line
 * that says what to set (exit 2), not a stack trace.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export function corpusDir(script: string): string {
  const dir = resolve(process.env.CORPUS_DIR ?? join(process.cwd(), '..', 'shared', 'corpus'));
  if (!existsSync(join(dir, 'injection_positive.jsonl'))) {
    console.error(
      `${script}: no development corpus in ${dir}; set CORPUS_DIR to the folder that holds injection_positive.jsonl and the other corpus files`,
    );
    process.exit(2);
  }
  return dir;
}
