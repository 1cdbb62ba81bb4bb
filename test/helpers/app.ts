// Builders for test apps: a real Express app on 127.0.0.1 and an SDK client pointed at it.

import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express } from 'express';
import OpenAI from 'openai';
import { llmShield, createMockLLM, type AuditLogger, type LLMShieldOptions } from '../../lib/index.js';

export const CLIENT_KEY = 'shield-test-key-0123456789abcdef';
export const OTHER_KEY = 'shield-other-key-fedcba9876543210';

/** A logger that keeps every record in memory (and every line as the JSON that would be written). */
export function memoryLogger(): AuditLogger & { records: any[]; lines: string[] } {
  const records: any[] = [];
  const lines: string[] = [];
  const keep = (r: object) => {
    const line = JSON.stringify(r);
    lines.push(line);
    records.push(JSON.parse(line));
  };
  return { records, lines, info: keep, warn: keep, error: keep };
}

export async function listen(app: Express): Promise<{ server: Server; url: string; close(): Promise<void> }> {
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The preset at /v1 with one test key and an in-memory audit logger. */
export function presetApp(overrides: Partial<LLMShieldOptions> = {}) {
  const logger = memoryLogger();
  const app = express();
  app.use(
    '/v1',
    llmShield({
      client: createMockLLM(),
      model: 'mock-model',
      keys: [{ id: 'team-a', key: CLIENT_KEY }],
      audit: { logger },
      ...overrides,
    }),
  );
  return { app, logger };
}

export function sdk(url: string, apiKey = CLIENT_KEY): OpenAI {
  return new OpenAI({ baseURL: `${url}/v1`, apiKey, maxRetries: 0, timeout: 10_000 });
}
