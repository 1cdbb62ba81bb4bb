// An Express app with callLLM alone (as a user would mount it), a real OpenAI client
// pointed at the loopback upstream, and the per-request shield state kept for assertions.

import express, { type NextFunction, type Request, type Response } from 'express';
import OpenAI from 'openai';
import {
  callLLM,
  errorHandler,
  getShieldState,
  type CallLLMOptions,
  type Principal,
  type ShieldState,
} from '../../lib/index.js';
import { listen } from './app.js';
import { startUpstream, UPSTREAM_KEY, type Upstream } from './upstream.js';

export interface LLMHarness {
  upstream: Upstream;
  url: string;
  /** Shield state of every finished or closed request, newest last. */
  states: ShieldState[];
  /** An SDK client pointed at the app's `/v1` route. */
  sdk(): OpenAI;
  close(): Promise<void>;
}

/** Starts an upstream and an app serving `POST /v1/chat/completions` with `callLLM(options)`. */
export async function startLLMApp(options: Partial<CallLLMOptions> = {}, principal?: Principal): Promise<LLMHarness> {
  const upstream = await startUpstream();
  // The SDK logs unparsable provider output at `error` level; users who inject a client
  // choose its logLevel (callLLM's own env-built client has it off).
  const client = new OpenAI({ apiKey: UPSTREAM_KEY, baseURL: upstream.baseURL, logLevel: 'off' });
  const states: ShieldState[] = [];
  const app = express();
  app.post(
    '/v1/chat/completions',
    express.json(),
    (_req: Request, res: Response, next: NextFunction) => {
      const state = getShieldState(res);
      if (principal) state.principal = principal;
      res.once('close', () => states.push(state));
      next();
    },
    callLLM({ client, model: 'up-model', backoffMs: 5, timeoutMs: 2_000, ...options }),
  );
  app.use(errorHandler());
  const server = await listen(app);
  return {
    upstream,
    url: server.url,
    states,
    sdk: () => new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'client-key', maxRetries: 0, timeout: 10_000 }),
    close: async () => {
      await server.close();
      await upstream.close();
    },
  };
}

/** Waits until `check` holds, polling; returns the elapsed ms, or throws after `withinMs`. */
export async function waitFor(check: () => boolean, withinMs: number): Promise<number> {
  const start = performance.now();
  while (!check()) {
    if (performance.now() - start > withinMs) throw new Error(`condition not met within ${withinMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
  return performance.now() - start;
}

/** The shield state of the last request, once its response has closed. */
export async function lastState(h: LLMHarness, count: number): Promise<ShieldState> {
  await waitFor(() => h.states.length >= count, 2_000);
  return h.states.at(-1)!;
}

export const userMessage = (content = 'Hi') => [{ role: 'user' as const, content }];
