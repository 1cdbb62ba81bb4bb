// Runs an example as a user would (`tsx examples/<name>.ts`) on a free port and waits for its banner.

import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

export interface RunningExample {
  url: string;
  output(): string;
  stop(): void;
}

export async function runExample(file: string, env: NodeJS.ProcessEnv = {}): Promise<RunningExample> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, PORT: '0', ...env };
  // A provider, a Redis or an OTLP endpoint only when the test asks for it: CI's REDIS_URL must not leak into every example.
  for (const name of ['OPENAI_API_KEY', 'OPENAI_BASE_URL', 'REDIS_URL', 'OTEL_EXPORTER_OTLP_ENDPOINT'])
    if (!(name in env)) delete childEnv[name];
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', file], {
    cwd: ROOT,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`${file} did not start:\n${output}`)), 30_000);
    const onData = (d: Buffer) => {
      output += d.toString();
      const m = /listening on (http:\/\/localhost:\d+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolveUrl(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`${file} exited with ${code}:\n${output}`)));
  });
  return { url, output: () => output, stop: () => void child.kill('SIGTERM') };
}
