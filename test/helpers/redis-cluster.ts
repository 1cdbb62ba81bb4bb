// A real three-master Redis Cluster on loopback, started by the tests that need it and shut
// down after them: `redis-server --cluster-enabled yes` three times, joined by
// `redis-cli --cluster create`. Never skipped: without redis-server the tests fail.
//
// Each node needs its port P and its cluster bus port P + 10000 free. Ports are drawn at
// random from a range below Linux's ephemeral ports (32768 up), checked by binding them, and
// drawn again when a node still fails to start (another checkout's tests took the port).

import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { once } from 'node:events';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

const LOW = 17_000;
const HIGH = 22_000; // bus ports then stay under 32 000
const ATTEMPTS = 8;

export interface TestCluster {
  /** The three master ports. */
  ports: number[];
  /** `redis://127.0.0.1:P` for each master. */
  urls: string[];
  /** Stops the three servers (by the pids they wrote) and removes their directory. */
  stop(): Promise<void>;
}

async function isFree(port: number): Promise<boolean> {
  const server = net.createServer();
  server.listen(port, '127.0.0.1');
  const ok = await Promise.race([once(server, 'listening').then(() => true), once(server, 'error').then(() => false)]);
  if (ok) {
    server.close();
    await once(server, 'close');
  }
  return ok;
}

async function freeNodePort(taken: Set<number>): Promise<number> {
  for (;;) {
    const port = LOW + Math.floor(Math.random() * (HIGH - LOW));
    if (taken.has(port)) continue;
    if ((await isFree(port)) && (await isFree(port + 10_000))) return port;
  }
}

const cli = (port: number, ...args: string[]) => run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args]);

/** Starts one cluster-enabled node writing into `dir`; rejects when it does not answer PING. */
async function startNode(port: number, dir: string): Promise<void> {
  await run('redis-server', [
    ...['--port', String(port), '--bind', '127.0.0.1', '--dir', dir],
    ...['--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`],
    ...['--save', '', '--appendonly', 'no', '--daemonize', 'yes'],
    ...['--pidfile', path.join(dir, `${port}.pid`), '--logfile', path.join(dir, `${port}.log`)],
  ]);
  // The node that answers must be ours (its pid is in our pid file), not another run's that
  // took the port between our check and our start.
  const pidFile = path.join(dir, `${port}.pid`);
  await waitFor(
    async () => {
      const info = (await cli(port, 'info', 'server')).stdout;
      const pid = /process_id:(\d+)/.exec(info)?.[1];
      return pid !== undefined && Number(pid) === (await readPid(pidFile));
    },
    5_000,
    `node ${port} to answer`,
  );
}

async function waitFor(check: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`redis cluster: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function readPid(pidFile: string): Promise<number> {
  const pid = Number((await readFile(pidFile, 'utf8').catch(() => '')).trim());
  return Number.isInteger(pid) && pid > 0 ? pid : 0;
}

function kill(pid: number): void {
  if (pid <= 0) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

async function killFrom(pidFile: string): Promise<void> {
  kill(await readPid(pidFile));
}

async function stopNodes(dir: string, ports: number[]): Promise<void> {
  await Promise.all(ports.map((p) => killFrom(path.join(dir, `${p}.pid`))));
  await rm(dir, { recursive: true, force: true });
}

/** Three nodes up on free ports, or an error after a few tries. */
async function startNodes(dir: string): Promise<number[]> {
  let lastError: unknown;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const taken = new Set<number>();
    const ports: number[] = [];
    for (let i = 0; i < 3; i++) {
      const p = await freeNodePort(taken);
      taken.add(p);
      taken.add(p + 10_000);
      ports.push(p);
    }
    try {
      for (const p of ports) await startNode(p, dir);
      return ports;
    } catch (err) {
      lastError = err;
      await Promise.all(ports.map((p) => killFrom(path.join(dir, `${p}.pid`))));
    }
  }
  throw new Error(`redis cluster: no three nodes started after ${ATTEMPTS} tries`, { cause: lastError });
}

/** Starts a three-master cluster and waits until every node reports `cluster_state:ok`. */
export async function startCluster(): Promise<TestCluster> {
  const dir = await mkdtemp(path.join(tmpdir(), 'llm-shield-cluster-'));
  let ports: number[] = [];
  try {
    ports = await startNodes(dir);
    const addresses = ports.map((p) => `127.0.0.1:${p}`);
    await run('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes']);
    for (const p of ports)
      await waitFor(
        async () => /cluster_state:ok/.test((await cli(p, 'cluster', 'info')).stdout),
        15_000,
        `node ${p} to report cluster_state:ok`,
      );
  } catch (err) {
    await stopNodes(dir, ports);
    throw err;
  }
  const pids = await Promise.all(ports.map((p) => readPid(path.join(dir, `${p}.pid`))));
  // A test process that dies without its afterAll still takes the servers with it.
  const killAll = () => pids.forEach(kill);
  process.once('exit', killAll);
  return {
    ports,
    urls: ports.map((p) => `redis://127.0.0.1:${p}`),
    stop: async () => {
      process.off('exit', killAll);
      killAll();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
