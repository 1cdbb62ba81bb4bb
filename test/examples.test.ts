// `npm start` as a newcomer runs it: the example server on the embedded mock model.

import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');

describe('examples/server.ts (npm start)', () => {
  let child: ChildProcess;
  let url: string;
  let output = '';
  beforeAll(async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', SHIELD_API_KEYS: 'team-a:example-key-0123456789' };
    delete env.OPENAI_API_KEY;
    delete env.OPENAI_BASE_URL;
    child = spawn(process.execPath, ['--import', 'tsx', 'examples/server.ts'], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    url = await new Promise<string>((resolveUrl, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 30_000);
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
      child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
    });
  }, 60_000);
  afterAll(() => {
    child?.kill('SIGTERM');
  });

  it('says it runs on the mock model', () => {
    expect(output).toContain('MOCK MODEL');
    expect(output).not.toContain('example-key-0123456789');
  });

  it('answers POST /v1/chat/completions through the openai SDK', async () => {
    const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'example-key-0123456789', maxRetries: 0 });
    const completion = await client.chat.completions.create({
      model: 'mock-model',
      messages: [{ role: 'user', content: 'Hello' }],
    });
    expect(completion.choices[0]!.message.content).toContain('Hello');
  });

  it('serves the chat page at /', async () => {
    const res = await fetch(`${url}/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('express-llm-shield demo');
  });
});
