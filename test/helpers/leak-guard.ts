// Loaded before every test file (vitest setupFiles): watches every response body written by
// an in-process server and every line written to stdout/stderr, and fails the file if a
// client key, the upstream key, or a raw test secret shows up in any of them.

import { ServerResponse } from 'node:http';
import { afterAll, expect } from 'vitest';
import { CLIENT_KEY, OTHER_KEY } from './app.js';
import { UPSTREAM_KEY } from './upstream.js';

/** Secrets used as test inputs with default (redacting) settings: they must never come back out. */
export const RAW_SECRETS = ['ghp_4kQz9RfT2mXw8LpN5vYb7HcJd3SeUa1GoKiQ', 'AKIAZ7QX4N2VWP5RLM3K'];

const FORBIDDEN = [CLIENT_KEY, OTHER_KEY, UPSTREAM_KEY, ...RAW_SECRETS];
const leaks: string[] = [];

function inspect(where: string, chunk: unknown): void {
  if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
  const text =
    typeof chunk === 'string'
      ? chunk
      : Buffer.isBuffer(chunk) || chunk instanceof Uint8Array
        ? Buffer.from(chunk).toString('utf8')
        : '';
  for (const secret of FORBIDDEN) if (text.includes(secret)) leaks.push(`${where} carried ${secret.slice(0, 6)}…`);
}

const write = ServerResponse.prototype.write;
const end = ServerResponse.prototype.end;
ServerResponse.prototype.write = function guardedWrite(this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
  inspect('a response body', chunk);
  return (write as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
} as typeof write;
ServerResponse.prototype.end = function guardedEnd(this: ServerResponse, chunk?: unknown, ...rest: unknown[]) {
  inspect('a response body', chunk);
  return (end as (...a: unknown[]) => ServerResponse).call(this, chunk, ...rest);
} as typeof end;
for (const stream of [process.stdout, process.stderr]) {
  const original = stream.write.bind(stream) as (...a: unknown[]) => boolean;
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    inspect('a log line', chunk);
    return original(chunk, ...rest);
  }) as typeof stream.write;
}

afterAll(() => {
  expect(leaks, 'secrets leaked into responses or logs').toEqual([]);
});
