// Instructions per request of one app of bench/app.ts, counted by valgrind's callgrind.
// Seconds on a shared 2-core machine swing by 30% or more between runs; instruction counts
// repeat within a few per cent, so this is what tells whether a change made a request cheaper.
// Only the measured requests are counted: the app warms up (JIT, pools) uninstrumented first.
//
//   npm run build && tsx bench/instructions.ts shield      # or bare, only-filter, …
//   SHIELD_OFF=audit+filter tsx bench/instructions.ts shield
// Environment: N measured requests (default 800), WARM requests before them (default 4000).
// Counts include GC and JIT threads: compare runs of the same N, and expect a major GC
// landing inside the window or not to move a result by up to ~10%: compare several runs.

import { execFileSync, fork } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = (f: string) => fileURLToPath(new URL(f, import.meta.url));
const mode = process.argv[2] ?? 'shield';
const N = Number(process.env.N ?? 800);
const WARM = Number(process.env.WARM ?? 4000);
const prefix = `llm-shield-callgrind-${process.pid}.out`;
const out = join(tmpdir(), prefix);

const upstream = fork(here('./upstream.ts'), [], {
  execArgv: ['--import', 'tsx'],
  stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
});
const upstreamPort = await new Promise<number>((r) => upstream.once('message', (m: { port: number }) => r(m.port)));
const app = fork(here('./app.ts'), [mode], {
  execPath: 'valgrind',
  execArgv: [
    '--tool=callgrind',
    '--instr-atstart=no',
    `--callgrind-out-file=${out}`,
    '-q',
    process.execPath,
    '--import',
    'tsx',
  ],
  env: { ...process.env, UPSTREAM_URL: `http://127.0.0.1:${upstreamPort}/v1` },
  stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
});
const port = await new Promise<number>((r) => app.once('message', (m: { port: number }) => r(m.port)));

// One request at a time, on one kept-alive connection: the same work in every run.
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const body = JSON.stringify({
  model: 'bench-model',
  messages: [
    {
      role: 'user',
      content: 'Could you suggest a three-day itinerary for Paris, with museums, markets and a cooking class?',
    },
  ],
});
const one = () =>
  new Promise<void>((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: '/v1/chat/completions',
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', authorization: 'Bearer bench-key-00000000' },
      },
      (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`status ${res.statusCode}`))));
      },
    );
    req.on('error', reject);
    req.end(body);
  });

const control = (...args: string[]) =>
  execFileSync('callgrind_control', [...args, String(app.pid)], { stdio: 'ignore' });
for (let i = 0; i < WARM; i++) await one();
control('-i', 'on');
for (let i = 0; i < N; i++) await one();
control('-i', 'off');
control('-d');
app.kill('SIGKILL');
upstream.kill('SIGKILL');
await new Promise((r) => setTimeout(r, 500));

let total = 0;
for (const f of readdirSync(tmpdir()).filter((f) => f.startsWith(prefix))) {
  const m = /^totals: (\d+)/m.exec(readFileSync(join(tmpdir(), f), 'utf8'));
  if (m) total += Number(m[1]);
  rmSync(join(tmpdir(), f));
}
const off = process.env.SHIELD_OFF ? ` (off: ${process.env.SHIELD_OFF})` : '';
console.log(`${mode}${off}: ${(total / N / 1e6).toFixed(3)} M instructions per request over ${N} requests`);
process.exit(0);
