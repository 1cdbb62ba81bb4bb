// Bytes allocated per request by one app of bench/app.ts, by package and by function, from
// V8's sampling heap profiler with short-lived objects kept (what the scavenger pays for).
//
//   npm run build && tsx bench/alloc.ts shield             # or bare, only-filter, …
// Environment: N measured requests (default 3000), TOP functions listed (default 30), SHIELD_OFF as for bench/app.ts,
// SAMPLING bytes between samples (default 4096; 256 makes the figures of functions that allocate
// a few hundred bytes a request steady from run to run, at some cost in speed), PROMOTED=1 to
// count only the objects that lived through a scavenge: what the young-generation collector
// copies and promotes, i.e. what a request keeps reachable after it ends (e.g. from the
// response object, which outlives it in the old generation until a full collection).

import { fork } from 'node:child_process';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

interface ProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: ProfileNode[];
}

const here = (f: string) => fileURLToPath(new URL(f, import.meta.url));
const mode = process.argv[2] ?? 'shield';
const N = Number(process.env.N ?? 3000);

const upstream = fork(here('./upstream.ts'), [], {
  execArgv: ['--import', 'tsx'],
  stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
});
const upstreamPort = await new Promise<number>((r) => upstream.once('message', (m: { port: number }) => r(m.port)));
const app = fork(here('./app.ts'), [mode], {
  execArgv: ['--import', 'tsx'],
  env: { ...process.env, UPSTREAM_URL: `http://127.0.0.1:${upstreamPort}/v1` },
  stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
});
const port = await new Promise<number>((r) => app.once('message', (m: { port: number }) => r(m.port)));

const get = (path: string) =>
  new Promise<string>((resolve, reject) =>
    http
      .get({ host: '127.0.0.1', port, path }, (res) => {
        let s = '';
        res.on('data', (d) => (s += d));
        res.on('end', () => resolve(s));
      })
      .on('error', reject),
  );
const hit = (amount: number) =>
  autocannon({
    url: `http://127.0.0.1:${port}/v1/chat/completions`,
    method: 'POST',
    connections: 8,
    amount,
    headers: { 'content-type': 'application/json', authorization: 'Bearer bench-key-00000000' },
    body: JSON.stringify({
      model: 'bench-model',
      messages: [
        { role: 'user', content: 'Could you suggest a three-day itinerary for Paris, with museums and markets?' },
      ],
    }),
  });

await hit(3000);
await get('/__alloc/start');
await hit(N);
const { profile } = JSON.parse(await get('/__alloc/stop')) as { profile: { head: ProfileNode } };
app.kill('SIGKILL');
upstream.kill('SIGKILL');

// A sample belongs to the nearest frame of ours or of a package (express and its router are the app).
const owner = (url: string): string | undefined => {
  const ours = /\/(?:lib|dist\/esm)\/(.*)$/.exec(url);
  if (ours && !url.includes('node_modules')) return `shield: ${ours[1]}`;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  return pkg && !['express', 'router', 'tsx'].includes(pkg) ? pkg : undefined;
};
const byOwner = new Map<string, number>();
const byFunction = new Map<string, number>();
let total = 0;
const walk = (node: ProfileNode, inherited: string) => {
  const { functionName, url, lineNumber } = node.callFrame;
  const who = owner(url) ?? inherited;
  const fn = `${functionName || '(anonymous)'} ${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/(lib|dist)\//, '$1/')}:${lineNumber}`;
  byOwner.set(who, (byOwner.get(who) ?? 0) + node.selfSize);
  byFunction.set(fn, (byFunction.get(fn) ?? 0) + node.selfSize);
  total += node.selfSize;
  for (const child of node.children) walk(child, who);
};
walk(profile.head, '(node, express, the app)');

const top = (m: Map<string, number>, n: number) =>
  [...m]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `${(v / N).toFixed(0).padStart(8)}  ${k}`)
    .join('\n');
const what = process.env.PROMOTED === '1' ? 'allocated and promoted (survived a scavenge)' : 'allocated';
console.log(`${mode}: ${(total / N / 1024).toFixed(1)} KB ${what} per request over ${N} requests\n`);
console.log(`bytes per request, by owner:\n${top(byOwner, 20)}\n`);
console.log(`bytes per request, by function:\n${top(byFunction, Number(process.env.TOP ?? 30))}`);
process.exit(0);
