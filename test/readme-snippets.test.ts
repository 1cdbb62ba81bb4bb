// Every JavaScript block of the README runs as pasted: each server block is started against a
// local OpenAI-compatible upstream (or its own mock model), and the README's client block is
// then run against it. A README that drifts from the package fails here.

import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runExample, type RunningExample } from './helpers/example.js';
import { startUpstream, UPSTREAM_KEY, type Upstream } from './helpers/upstream.js';

const ROOT = resolve(import.meta.dirname, '..');
const OUT = join(ROOT, 'test', '.snippets');
const TEAM_A_KEY = 'team-a-readme-key-0123456789';
const UPSTREAM_REPLY = 'Hello from the loopback upstream.';

/** The fenced blocks of one language, in README order. */
function blocks(lang: string): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  return [...readme.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]!);
}

/** Writes a block as an .mjs file that imports the package from this checkout. */
function save(code: string, name: string): string {
  const file = join(OUT, `${name}.mjs`);
  const lib = pathToFileURL(join(ROOT, 'lib', 'index.ts')).href;
  writeFileSync(file, code.replaceAll("'express-llm-shield'", `'${lib}'`));
  return file;
}

/** How to talk to a server block, read from its own text. */
function target(code: string): { path: string; key: string; model: string; reply: string } {
  const mock = /createMockLLM\(\{ reply: '([^']+)'/.exec(code);
  const key = /key: '([^']+)'/.exec(code)?.[1] ?? TEAM_A_KEY;
  return {
    path: /app\.use\(\s*'\/v1'/.test(code) ? '/v1' : '',
    key,
    model: mock ? 'mock-model' : 'gpt-4o-mini',
    reply: mock ? mock[1]! : UPSTREAM_REPLY,
  };
}

const js = blocks('js');
const servers = js.filter((code) => code.includes('app.listen('));
const clients = js.filter((code) => !code.includes('app.listen('));

describe('README JavaScript blocks', () => {
  let upstream: Upstream;
  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    upstream = await startUpstream(UPSTREAM_REPLY);
  });
  afterAll(async () => {
    await upstream?.close();
    rmSync(OUT, { recursive: true, force: true });
  });

  it('are there: servers (preset, offline, by hand) and one client', () => {
    expect(servers.length).toBeGreaterThanOrEqual(3);
    expect(clients).toHaveLength(1);
  });

  it.each(servers.map((code, i) => [i, code] as const))(
    'server block %i answers the client block',
    async (i, code) => {
      const env = { OPENAI_API_KEY: UPSTREAM_KEY, OPENAI_BASE_URL: upstream.baseURL, TEAM_A_KEY };
      let server: RunningExample | undefined;
      try {
        server = await runExample(save(code, `server-${i}`), env);
        const t = target(code);
        const client = save(clients[0]!, `client-${i}`);
        const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', client], {
          cwd: ROOT,
          env: { ...process.env, SHIELD_URL: `${server.url}${t.path}`, SHIELD_KEY: t.key, SHIELD_MODEL: t.model },
          timeout: 30_000,
        });
        expect(stdout.trim()).toBe(t.reply);
      } finally {
        server?.stop();
      }
    },
    60_000,
  );
});
