// npm run bench: the shield's cost, as ratios against a baseline measured in the same run.
//   0. CPU per request at a fixed rate (RATE req/s, default 200), many short alternating rounds
//      (CPU_ROUNDS, default 12, of CPU_SECONDS, default 3): the median ratio and its spread, and the
//      baseline's own round-to-round spread, which says whether the machine is quiet enough to trust
//   1. throughput and latency: the llmShield preset (everything on) vs a bare Express + openai SDK
//      proxy, same upstream, interleaved A B A B; app, upstream and load generator in separate processes
//   2. streaming: time to first byte and total time of a 500-chunk stream with and without filterOutput
//   3. scanText throughput on 1 KB, 100 KB and 1 MB prompts (the 1 MB / 100 KB time ratio should stay near 10),
//      the mean cost per prompt over the development corpus when it is beside the checkout, and the
//      slowest of a dozen worst-case 100 KB shapes (bench/scan-inputs.ts)
//   4. memory: heap after 100k requests spread over 10k keys
//   5. telemetry: the OpenTelemetry hooks' cost per request with no SDK registered (bench/telemetry.ts)
// Results are printed and written to bench/results/latest.json. Nothing here is pass/fail.
// PARTS=1 adds 1b: each part's share (audit, validate, filter, rateLimit) as CPU per request saved with it off.
// Environment: ROUNDS (default 6: single rounds on a shared machine swing by ±10%), DURATION seconds per round (default 5), MEM_REQUESTS (default 100000).

import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import type * as Scan from '../lib/detect/scan.js';
import { corpusPrompts, worstCases } from './scan-inputs.js';

// The built package, as users run it (npm run bench builds it first): sources compiled on the
// fly by tsx carry esbuild's keepNames helper into every closure and misstate the cost.
const built: string = '../dist/esm/detect/scan.js';
const { scanText } = (await import(built)) as typeof Scan;

const ROUNDS = Number(process.env.ROUNDS ?? 6);
const DURATION = Number(process.env.DURATION ?? 5);
const MEM_REQUESTS = Number(process.env.MEM_REQUESTS ?? 100_000);
const RATE = Number(process.env.RATE ?? 200);
const CPU_ROUNDS = Number(process.env.CPU_ROUNDS ?? 12);
const CPU_SECONDS = Number(process.env.CPU_SECONDS ?? 3);
// A baseline whose own rounds differ by more than this is measured on a machine too busy to trust.
const BUSY_SPREAD = 0.1;
const here = (f: string) => fileURLToPath(new URL(f, import.meta.url));

const children: ChildProcess[] = [];
async function start(
  script: string,
  args: string[],
  env: Record<string, string> = {},
  execArgv: string[] = [],
): Promise<{ port: number; child: ChildProcess }> {
  const child = fork(here(script), args, {
    execArgv: ['--import', 'tsx', ...execArgv],
    env: { ...process.env, ...env },
    // stdout is where the shield's default audit logger writes: /dev/null, not the terminal.
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  children.push(child);
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m: { port: number }) => resolve(m.port));
    child.once('exit', (code) => reject(new Error(`${script} ${args.join(' ')} exited with ${code}`)));
  });
  return { port, child };
}
function stopAll() {
  for (const c of children) c.kill('SIGKILL');
}
process.on('exit', stopAll);

const PROMPT =
  'I am planning a week-long trip to France in the spring and would like some help. Could you suggest an itinerary that covers Paris, the Loire valley and Provence, with a rough budget for trains, hotels and meals? I prefer museums and markets to nightlife, and I would like one day for a cooking class. Please keep the answer short and organised by day.';
const BODY = JSON.stringify({ model: 'bench-model', messages: [{ role: 'user', content: PROMPT }] });

interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}
async function load(
  port: number,
  opts: { connections: number; duration: number; key?: string; overallRate?: number },
): Promise<LoadResult & { requests: number }> {
  const result = await autocannon({
    ...(opts.overallRate ? { overallRate: opts.overallRate } : {}),
    url: `http://127.0.0.1:${port}/v1/chat/completions`,
    method: 'POST',
    connections: opts.connections,
    duration: opts.duration,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${opts.key ?? 'bench-key-00000000'}` },
    body: BODY,
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    requests: result.requests.total,
  };
}

async function getJson<T>(port: number, path: string): Promise<T> {
  const body = await new Promise<string>((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path }, (res) => {
        let s = '';
        res.on('data', (d) => (s += d));
        res.on('end', () => resolve(s));
      })
      .on('error', reject);
  });
  return JSON.parse(body) as T;
}

/** CPU microseconds the app process spent per request over one fixed-rate round. */
async function cpuRound(port: number): Promise<number> {
  type Cpu = { user: number; system: number };
  const before = await getJson<Cpu>(port, '/__cpu');
  const r = await load(port, { connections: 8, duration: CPU_SECONDS, overallRate: RATE });
  const after = await getJson<Cpu>(port, '/__cpu');
  return (after.user - before.user + after.system - before.system) / Math.max(1, r.requests);
}

/** Quartiles-free spread for a handful of rounds: (max - min) / median. */
const spread = (xs: number[]) => (Math.max(...xs) - Math.min(...xs)) / median(xs);

/**
 * CPU per request of the shield against the bare proxy at the same fixed rate, in alternating
 * rounds (A B, then B A, so drift over the run falls on both). The ratio of each adjacent pair
 * is what is summarised: pairs share the machine's state of the moment.
 */
async function cpuPerRequest(bare: { port: number }, shield: { port: number }) {
  const bareUs: number[] = [];
  const shieldUs: number[] = [];
  for (let r = 0; r < CPU_ROUNDS; r++) {
    const order = r % 2 === 0 ? [bare, shield] : [shield, bare];
    for (const app of order) (app === bare ? bareUs : shieldUs).push(await cpuRound(app.port));
  }
  const ratios = bareUs.map((b, i) => shieldUs[i]! / b);
  const sorted = [...ratios].sort((a, b) => a - b);
  const q = (f: number) => sorted[Math.min(sorted.length - 1, Math.round(f * (sorted.length - 1)))]!;
  return {
    rate: RATE,
    rounds: CPU_ROUNDS,
    bareUsPerRequest: median(bareUs),
    shieldUsPerRequest: median(shieldUs),
    ratio: median(ratios),
    ratioQuartiles: [q(0.25), q(0.75)] as const,
    baselineSpread: spread(bareUs),
    tooBusy: spread(bareUs) > BUSY_SPREAD,
  };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const fmt = (n: number, d = 2) => n.toFixed(d);

/**
 * PARTS=1: what each of the preset's parts costs, as CPU per request of the full preset less
 * that of the preset with the part switched off (SHIELD_OFF), in alternating rounds as above.
 */
async function parts(upstreamUrl: string) {
  const full = await start('./app.ts', ['shield'], { UPSTREAM_URL: upstreamUrl });
  const out: Array<{ part: string; savedUs: number; quartiles: readonly [number, number] }> = [];
  for (const part of ['audit', 'validate', 'filter', 'rateLimit', 'audit+validate+filter+rateLimit']) {
    const off = await start('./app.ts', ['shield'], { UPSTREAM_URL: upstreamUrl, SHIELD_OFF: part });
    for (const app of [off, full]) await load(app.port, { connections: 16, duration: 3 });
    const cpu = await cpuPerRequest(off, full);
    off.child.kill();
    const saved = cpu.shieldUsPerRequest - cpu.bareUsPerRequest;
    const q = cpu.ratioQuartiles.map((r) => cpu.bareUsPerRequest * (r - 1)) as unknown as readonly [number, number];
    out.push({ part, savedUs: saved, quartiles: q });
    console.log(`  ${part} off: ${fmt(saved, 0)} µs less per request (quartiles ${fmt(q[0], 0)}–${fmt(q[1], 0)})`);
  }
  full.child.kill();
  return out;
}

async function throughput(upstreamUrl: string) {
  const bare = await start('./app.ts', ['bare'], { UPSTREAM_URL: upstreamUrl });
  const shield = await start('./app.ts', ['shield'], { UPSTREAM_URL: upstreamUrl });
  // Warm both until the JIT has settled (the shield has more code to optimise), and the keep-alive pools.
  for (let i = 0; i < 2; i++) {
    await load(bare.port, { connections: 16, duration: 3 });
    await load(shield.port, { connections: 16, duration: 3 });
  }
  const cpu = await cpuPerRequest(bare, shield);
  console.log(
    `  CPU per request at ${cpu.rate} req/s: bare ${fmt(cpu.bareUsPerRequest, 0)} µs, shield ${fmt(cpu.shieldUsPerRequest, 0)} µs, ratio ${fmt(cpu.ratio)} (quartiles ${fmt(cpu.ratioQuartiles[0])}–${fmt(cpu.ratioQuartiles[1])}, ${cpu.rounds} rounds)`,
  );
  console.log(
    `  baseline spread ${fmt(cpu.baselineSpread * 100, 1)}% between rounds` +
      (cpu.tooBusy ? ` — over ${BUSY_SPREAD * 100}%: this machine is too busy to trust these ratios` : ''),
  );
  const rounds: Array<{ bare: LoadResult; shield: LoadResult }> = [];
  for (let r = 0; r < ROUNDS; r++) {
    const a = await load(bare.port, { connections: 16, duration: DURATION });
    const b = await load(shield.port, { connections: 16, duration: DURATION });
    rounds.push({ bare: a, shield: b });
    console.log(
      `  round ${r + 1}: bare ${fmt(a.rps, 0)} req/s, shield ${fmt(b.rps, 0)} req/s, ratio ${fmt(b.rps / a.rps)} (non-2xx ${a.non2xx}/${b.non2xx})`,
    );
  }
  // Latency without queueing: one connection at a time.
  const latBare: LoadResult[] = [];
  const latShield: LoadResult[] = [];
  for (let r = 0; r < 2; r++) {
    latBare.push(await load(bare.port, { connections: 1, duration: 3 }));
    latShield.push(await load(shield.port, { connections: 1, duration: 3 }));
  }
  bare.child.kill();
  shield.child.kill();
  const ratio = mean(rounds.map((r) => r.shield.rps)) / mean(rounds.map((r) => r.bare.rps));
  return {
    cpu,
    bareRps: mean(rounds.map((r) => r.bare.rps)),
    shieldRps: mean(rounds.map((r) => r.shield.rps)),
    ratio,
    medianRoundRatio: median(rounds.map((r) => r.shield.rps / r.bare.rps)),
    loadedP99: { bare: mean(rounds.map((r) => r.bare.p99)), shield: mean(rounds.map((r) => r.shield.p99)) },
    p50: { bare: mean(latBare.map((l) => l.p50)), shield: mean(latShield.map((l) => l.p50)) },
    p99: { bare: mean(latBare.map((l) => l.p99)), shield: mean(latShield.map((l) => l.p99)) },
  };
}

function timeStream(port: number): Promise<{ ttfb: number; total: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    let ttfb = -1;
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: '/v1/chat/completions',
        method: 'POST',
        headers: { 'content-type': 'application/json' },
      },
      (res) => {
        res.on('data', () => {
          if (ttfb < 0) ttfb = performance.now() - t0;
        });
        res.on('end', () => resolve({ ttfb, total: performance.now() - t0 }));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify({ messages: [{ role: 'user', content: PROMPT }], stream: true }));
  });
}

async function streaming(upstreamUrl: string) {
  const bare = await start('./app.ts', ['stream-bare'], { UPSTREAM_URL: upstreamUrl });
  const filtered = await start('./app.ts', ['stream-filter'], { UPSTREAM_URL: upstreamUrl });
  for (let i = 0; i < 10; i++) {
    await timeStream(bare.port);
    await timeStream(filtered.port);
  }
  const a: Array<{ ttfb: number; total: number }> = [];
  const b: Array<{ ttfb: number; total: number }> = [];
  for (let i = 0; i < 40; i++) {
    a.push(await timeStream(bare.port));
    b.push(await timeStream(filtered.port));
  }
  bare.child.kill();
  filtered.child.kill();
  return {
    ttfb: { bare: median(a.map((x) => x.ttfb)), filtered: median(b.map((x) => x.ttfb)) },
    total: { bare: median(a.map((x) => x.total)), filtered: median(b.map((x) => x.total)) },
  };
}

function scanning() {
  const words = [
    'the',
    'model',
    'answer',
    'shield',
    'express',
    'request',
    'token',
    'policy',
    'stream',
    'filter',
    'user',
    'prompt',
    'server',
    'client',
    'Paris',
    'budget',
    'itinerary',
    'museum',
    '2024',
    'v1.2.3',
  ];
  const makeText = (size: number) => {
    let s = '';
    let i = 0;
    while (s.length < size) {
      s += words[(i * 7 + (i >> 3)) % words.length] + (i % 13 === 12 ? '. ' : ' ');
      i++;
    }
    return s.slice(0, size);
  };
  const out: Record<'1KB' | '100KB' | '1MB', { ms: number; mbPerS: number }> = {} as never;
  for (const [label, size, reps] of [
    ['1KB', 1024, 2000],
    ['100KB', 100 * 1024, 40],
    ['1MB', 1024 * 1024, 6],
  ] as const) {
    const text = makeText(size);
    scanText(text);
    const times: number[] = [];
    for (let r = 0; r < reps; r++) {
      const t0 = performance.now();
      scanText(text);
      times.push(performance.now() - t0);
    }
    const ms = median(times);
    out[label] = { ms, mbPerS: size / 1024 / 1024 / (ms / 1000) };
  }
  return { ...out, ratio1MBto100KB: out['1MB'].ms / out['100KB'].ms, prompts: corpusCost(), worst: worstCost() };
}

/** Mean scanText cost per prompt over the development corpus's prompts (none: the corpus is not here). */
function corpusCost() {
  const prompts = corpusPrompts();
  if (prompts.length === 0) return undefined;
  for (const p of prompts) scanText(p);
  const times: number[] = [];
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    for (const p of prompts) scanText(p);
    times.push(((performance.now() - t0) * 1000) / prompts.length);
  }
  const chars = prompts.reduce((n, p) => n + p.length, 0) / prompts.length;
  return { prompts: prompts.length, meanChars: chars, meanUs: median(times) };
}

/** The slowest of the worst-case 100 KB inputs (bench/scan-inputs.ts), each the median of 5 runs. */
function worstCost() {
  const all = worstCases(100 * 1024).map(([name, text]) => {
    scanText(text);
    const times: number[] = [];
    for (let r = 0; r < 5; r++) {
      const t0 = performance.now();
      scanText(text);
      times.push(performance.now() - t0);
    }
    return { name, ms: median(times) };
  });
  return all.sort((a, b) => b.ms - a.ms);
}

async function memory(upstreamUrl: string) {
  const app = await start('./app.ts', ['shield'], { UPSTREAM_URL: upstreamUrl, KEYS: '10000' }, ['--expose-gc']);
  const heap = async () => (await getJson<{ heapUsed: number }>(app.port, '/__heap')).heapUsed / 1024 / 1024;
  const hit = (amount: number, offset: number) =>
    autocannon({
      url: `http://127.0.0.1:${app.port}/v1/chat/completions`,
      method: 'POST',
      connections: 16,
      amount,
      headers: { 'content-type': 'application/json' },
      body: BODY,
      requests: [
        {
          setupRequest: (req: Record<string, any>, ctx: Record<string, any>) => {
            ctx.n = (ctx.n ?? offset) + 1;
            const key = `bench-key-${String((ctx.n * 7919) % 10_000).padStart(8, '0')}`;
            return { ...req, headers: { ...req.headers, authorization: `Bearer ${key}` } };
          },
        },
      ],
    });
  await hit(2000, 0);
  const start0 = await heap();
  await hit(MEM_REQUESTS / 2, 1);
  const half = await heap();
  await hit(MEM_REQUESTS / 2, 2);
  const full = await heap();
  app.child.kill();
  return { heapMB: { afterWarmup: start0, afterHalf: half, afterAll: full }, requests: MEM_REQUESTS, keys: 10_000 };
}

/** bench/telemetry.ts in its own process (a clean JIT): its summary line. */
function telemetryCost(): string {
  const out = execFileSync(process.execPath, ['--import', 'tsx', here('./telemetry.ts')], { encoding: 'utf8' });
  return out.trim().split('\n').at(-1) ?? '';
}

async function main() {
  const machine = `${os.cpus().length} cores, ${os.cpus()[0]?.model ?? 'unknown cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  console.log(`express-llm-shield bench — ${machine}`);
  const upstream = await start('./upstream.ts', []);
  const upstreamUrl = `http://127.0.0.1:${upstream.port}/v1`;

  console.log('\n1. CPU per request and throughput: llmShield (all on) vs bare Express + openai SDK');
  const tp = await throughput(upstreamUrl);
  console.log(
    `  ratio ${fmt(tp.ratio)} (median round ${fmt(tp.medianRoundRatio)}), bare ${fmt(tp.bareRps, 0)} req/s, shield ${fmt(tp.shieldRps, 0)} req/s`,
  );
  console.log(
    `  latency at 1 connection: p50 ${fmt(tp.p50.bare)} -> ${fmt(tp.p50.shield)} ms, p99 ${fmt(tp.p99.bare)} -> ${fmt(tp.p99.shield)} ms (added p99 ${fmt(tp.p99.shield - tp.p99.bare)} ms)`,
  );

  let partCosts: Awaited<ReturnType<typeof parts>> | undefined;
  if (process.env.PARTS === '1') {
    console.log('\n1b. What each part of the preset costs (PARTS=1): CPU per request, full preset less the part off');
    partCosts = await parts(upstreamUrl);
  }

  console.log('\n2. Streaming 500 chunks: without vs with filterOutput');
  const st = await streaming(upstreamUrl);
  console.log(
    `  time to first byte ${fmt(st.ttfb.bare)} -> ${fmt(st.ttfb.filtered)} ms (added ${fmt(st.ttfb.filtered - st.ttfb.bare)} ms); total ${fmt(st.total.bare)} -> ${fmt(st.total.filtered)} ms (ratio ${fmt(st.total.filtered / st.total.bare)})`,
  );

  console.log('\n3. scanText');
  const sc = scanning();
  for (const k of ['1KB', '100KB', '1MB'] as const)
    console.log(`  ${k}: ${fmt(sc[k]!.ms, 3)} ms, ${fmt(sc[k]!.mbPerS)} MB/s`);
  console.log(`  1 MB / 100 KB time ratio ${fmt(sc.ratio1MBto100KB)} (linear: ~10)`);
  if (sc.prompts)
    console.log(
      `  corpus prompts: ${fmt(sc.prompts.meanUs, 1)} µs per prompt (mean of ${sc.prompts.prompts}, ${fmt(sc.prompts.meanChars, 0)} chars on average)`,
    );
  else console.log('  corpus prompts: skipped (no ../shared/corpus; set CORPUS_DIR)');
  const slow = sc.worst.slice(0, 3).map((w) => `${w.name} ${fmt(w.ms, 1)} ms`);
  console.log(`  worst-case 100 KB inputs (${sc.worst.length} shapes), slowest: ${slow.join('; ')}`);

  console.log(`\n4. Memory: ${MEM_REQUESTS} requests over 10k keys`);
  const mem = await memory(upstreamUrl);
  console.log(
    `  heap ${fmt(mem.heapMB.afterWarmup, 1)} MB after warm-up, ${fmt(mem.heapMB.afterHalf, 1)} MB at half, ${fmt(mem.heapMB.afterAll, 1)} MB at the end`,
  );

  console.log('\n5. Telemetry hooks with no OpenTelemetry SDK registered');
  const telemetry = telemetryCost();
  console.log(`  ${telemetry}`);

  const results = {
    time: new Date().toISOString(),
    machine,
    throughput: tp,
    parts: partCosts,
    streaming: st,
    scan: sc,
    memory: mem,
    telemetry,
  };
  mkdirSync(here('./results'), { recursive: true });
  writeFileSync(here('./results/latest.json'), JSON.stringify(results, null, 2) + '\n');
  console.log('\nwritten to bench/results/latest.json');
  stopAll();
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  stopAll();
  process.exit(1);
});
