// Every `@example` in the library's JSDoc compiles against the public API, so the docs
// a user reads in their editor cannot drift from the code.

import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SPEC_EXPORTS } from './helpers/public-api.js';

const ROOT = resolve(import.meta.dirname, '..');
const OUT = join(ROOT, 'test', '.examples');

const PUBLIC: string[] = [...SPEC_EXPORTS, 'estimateTokens'];

// What the examples may use without defining: the package's exports and "your app's own"
// things, each added only when the example does not import or declare that name itself.
const GIVEN: Array<[string, string]> = [
  ['express', "import express from 'express';"],
  ['OpenAI', "import OpenAI from 'openai';"],
  ['winston', "import winston from 'winston';"],
  ['readFileSync', "import { readFileSync } from 'node:fs';"],
  ...PUBLIC.map((name): [string, string] => [name, `import { ${name} } from '../../lib/index.js';`]),
  ['app', 'declare const app: express.Express;'],
  ['handler', 'declare const handler: express.RequestHandler;'],
  ['myOwnLlmHandler', 'declare const myOwnLlmHandler: express.RequestHandler;'],
  ['keys', "declare const keys: import('../../lib/index.js').ApiKeyEntry[];"],
  ['client', "declare const client: import('../../lib/index.js').LLMClient;"],
  ['logger', "declare const logger: import('../../lib/index.js').AuditLogger;"],
  ['reportToSentry', 'declare function reportToSentry(err: unknown): void;'],
];

function withGiven(code: string): string {
  const own = (name: string) =>
    new RegExp(
      `\\b(const|let|var|function|class)\\s+${name}\\b|\\bimport\\s+${name}\\b|\\bimport\\s*(\\w+\\s*,\\s*)?\\{[^}]*\\b${name}\\b`,
    ).test(code);
  const uses = (name: string) => new RegExp(`\\b${name}\\b`).test(code);
  const lines = GIVEN.filter(([name]) => !own(name) && (uses(name) || name === 'express')).map(([, line]) => line);
  return `${lines.join('\n')}\nexport {};\n${code.replaceAll("from 'express-llm-shield'", "from '../../lib/index.js'")}`;
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

function examples(): Array<{ name: string; where: string; code: string }> {
  const found: Array<{ name: string; where: string; code: string }> = [];
  for (const file of sources(join(ROOT, 'lib'))) {
    const text = readFileSync(file, 'utf8');
    // Only the examples of the public API: those right above `export function|class <public name>`.
    for (const m of text.matchAll(
      /@example\s*\n((?:\s*\*.*\n)+?)\s*\*\/\s*export (?:async )?(?:function|class) (\w+)/g,
    )) {
      if (!PUBLIC.includes(m[2]!)) continue;
      const body = m[1]!
        .split('\n')
        .map((line) => line.replace(/^\s*\* ?/, ''))
        .join('\n');
      const code = /```ts\n([\s\S]*?)```/.exec(body)?.[1];
      if (code)
        found.push({
          name: m[2]!,
          where: `${relative(ROOT, file)}:${text.slice(0, m.index).split('\n').length}`,
          code,
        });
    }
  }
  return found;
}

describe('JSDoc examples', () => {
  afterAll(() => rmSync(OUT, { recursive: true, force: true }));

  it('every public factory has one', () => {
    const text = sources(join(ROOT, 'lib'))
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    for (const name of PUBLIC) {
      expect(text, name).toMatch(
        new RegExp(`@example[\\s\\S]{0,2000}?\\*/\\s*export (async )?(function|class) ${name}\\b`),
      );
    }
  });

  it('all compile against the public API', () => {
    rmSync(OUT, { recursive: true, force: true });
    mkdirSync(OUT, { recursive: true });
    const list = examples();
    expect(list.map((ex) => ex.name).sort()).toEqual([...PUBLIC].sort());
    list.forEach((ex, i) =>
      writeFileSync(
        join(OUT, `example-${i}.ts`),
        `// ${ex.where}
${withGiven(ex.code)}`,
      ),
    );
    writeFileSync(
      join(OUT, 'tsconfig.json'),
      JSON.stringify({
        extends: '../../tsconfig.base.json',
        compilerOptions: { noEmit: true, noUnusedLocals: false, rootDir: '../..' },
        include: ['*.ts'],
      }),
    );
    try {
      execFileSync(
        process.execPath,
        [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(OUT, 'tsconfig.json')],
        { encoding: 'utf8', stdio: 'pipe' },
      );
    } catch (err) {
      const out = (err as { stdout?: string }).stdout ?? String(err);
      // Name the JSDoc location of each failing example.
      const named = out.replace(/example-(\d+)\.ts/g, (_m, i: string) => `${list[Number(i)]!.where} (example ${i})`);
      expect.fail(`JSDoc examples do not compile:\n${named}`);
    }
  }, 120_000);
});
