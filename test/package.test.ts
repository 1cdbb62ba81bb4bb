// The package as users get it: packed, installed into a fresh project, imported by name
// from ESM and CommonJS, and compiled as a TypeScript dependency.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SPEC_EXPORTS } from './helpers/public-api.js';

const ROOT = resolve(import.meta.dirname, '..');
const NAMES = SPEC_EXPORTS;
const run = (cmd: string, args: string[], cwd: string) =>
  execFileSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false' },
  });

describe('packed tarball', () => {
  let dir: string;
  let files: string[];
  let tarball: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'shield-pkg-'));
    const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', dir], ROOT)) as Array<{
      filename: string;
      files: Array<{ path: string }>;
    }>;
    files = packed[0]!.files.map((f) => f.path);
    tarball = join(dir, packed[0]!.filename);
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
    run(
      'npm',
      [
        'install',
        '--no-package-lock',
        '--prefer-offline',
        tarball,
        'express@5',
        'openai@6',
        'typescript@5.9',
        '@types/express@5',
        '@types/node@20',
      ],
      dir,
    );
  }, 240_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('ships only what users need', () => {
    expect(files).toContain('dist/esm/index.js');
    expect(files).toContain('dist/cjs/index.js');
    expect(files).toContain('README.md');
    expect(files.some((f) => f.startsWith('lib/') || f.startsWith('test/') || f.startsWith('.ci'))).toBe(false);
  });

  it('is clean for publint and are-the-types-wrong', () => {
    expect(run(join(ROOT, 'node_modules/.bin/publint'), ['--strict'], ROOT)).toContain('All good');
    // attw exits non-zero on any problem, which fails this test with its report.
    expect(run(join(ROOT, 'node_modules/.bin/attw'), [tarball, '--format', 'ascii'], ROOT)).toContain(
      'No problems found',
    );
  });

  it('exposes every public name through import', () => {
    const out = run(
      'node',
      [
        '--input-type=module',
        '-e',
        `import * as m from 'express-llm-shield'; console.log(JSON.stringify(Object.keys(m)))`,
      ],
      dir,
    );
    const keys = JSON.parse(out) as string[];
    for (const name of NAMES) expect(keys).toContain(name);
  });

  it('exposes every public name through require', () => {
    const out = run(
      'node',
      ['-e', `const m = require('express-llm-shield'); console.log(JSON.stringify(Object.keys(m)))`],
      dir,
    );
    const keys = JSON.parse(out) as string[];
    for (const name of NAMES) expect(keys).toContain(name);
  });

  it('serves a completion from the installed package (CommonJS)', () => {
    const script = `
      const express = require('express');
      const { llmShield, createMockLLM } = require('express-llm-shield');
      const app = express();
      app.use('/v1', llmShield({ client: createMockLLM(), model: 'mock-model', keys: [{ id: 'a', key: 'consumer-key-0123456789' }], audit: false }));
      const server = app.listen(0, '127.0.0.1', async () => {
        const res = await fetch('http://127.0.0.1:' + server.address().port + '/v1/chat/completions', {
          method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer consumer-key-0123456789' },
          body: JSON.stringify({ messages: [{ role: 'user', content: 'ping' }] }),
        });
        console.log(res.status, (await res.json()).object);
        server.close();
      });`;
    // @opentelemetry/api is an optional peer: not installed here, and nothing asks for it.
    expect(existsSync(join(dir, 'node_modules/@opentelemetry/api'))).toBe(false);
    expect(run('node', ['-e', script], dir).trim()).toBe('200 chat.completion');
  });

  it.each(['node16', 'bundler'])('compiles a TypeScript consumer under moduleResolution %s', (resolution) => {
    const module = resolution === 'bundler' ? 'esnext' : 'node16';
    const src = `import express from 'express';
import { llmShield, createMockLLM, scanText, type LLMShieldOptions, type ScanResult } from 'express-llm-shield';
const options: LLMShieldOptions = { client: createMockLLM(), model: 'm', keys: [{ id: 'a', key: 'consumer-key-0123456789' }] };
const app = express();
app.use('/v1', llmShield(options));
const r: ScanResult = scanText('hello');
export { r };
`;
    for (const ext of ['mts', 'cts']) {
      if (resolution === 'bundler' && ext === 'cts') continue;
      writeFileSync(join(dir, `consumer.${ext}`), src);
      const files = readdirSync(dir).filter((f) => f === `consumer.${ext}`);
      run(
        join(dir, 'node_modules/.bin/tsc'),
        [
          '--noEmit',
          '--strict',
          '--skipLibCheck',
          '--esModuleInterop',
          '--module',
          module,
          '--moduleResolution',
          resolution,
          '--types',
          'node',
          ...files,
        ],
        dir,
      );
    }
  });
});
