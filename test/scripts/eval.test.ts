// `npm run eval` and the training script read the corpus from outside the repository: without
// it they say in one line what to set, and exit 2.

import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

function run(script: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', script],
      { cwd: ROOT, env: { ...process.env, CORPUS_DIR: '/nonexistent/corpus' }, timeout: 60_000 },
      (err, stdout, stderr) => done({ code: err ? ((err as { code?: number }).code ?? null) : 0, stdout, stderr }),
    );
  });
}

describe('the corpus scripts without a corpus', () => {
  it.each(['scripts/eval.ts', 'scripts/train-injection.ts'])(
    '%s names CORPUS_DIR in one line, exit 2',
    async (script) => {
      const { code, stdout, stderr } = await run(script);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr).toContain('no development corpus in /nonexistent/corpus; set CORPUS_DIR');
    },
    60_000,
  );
});
