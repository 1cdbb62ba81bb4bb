// The telemetry hooks' cost per request with no OpenTelemetry SDK registered: the request
// span and the chat span are asked for and dropped (`@opentelemetry/api` hands out
// non-recording spans and a no-op meter). Run against the built package:
//   npm run build && tsx bench/telemetry.ts
// Prints nanoseconds per request for the hooks, beside an empty loop measured in the same run.
// Environment: N calls per round (default 200000), ROUNDS (default 5).

import { EventEmitter } from 'node:events';
import type * as Request from '../lib/telemetry/request-span.js';
import type * as GenAi from '../lib/telemetry/genai.js';
import type * as State from '../lib/core/state.js';
import type * as Mock from '../lib/mock/mock-llm.js';
import type * as Otel from '../lib/telemetry/otel.js';

const dist = '../dist/esm/';
const { startRequestSpan } = (await import(`${dist}telemetry/request-span.js`)) as typeof Request;
const { startChat } = (await import(`${dist}telemetry/genai.js`)) as typeof GenAi;
const { getShieldState } = (await import(`${dist}core/state.js`)) as typeof State;
const { createMockLLM } = (await import(`${dist}mock/mock-llm.js`)) as typeof Mock;
const { otel } = (await import(`${dist}telemetry/otel.js`)) as typeof Otel;

await new Promise((r) => setTimeout(r, 50));
const N = Number(process.env.N ?? 200_000);
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const client = createMockLLM();
const body = { model: 'bench-model', messages: [{ role: 'user', content: 'hi' }], max_tokens: 100 };

function hooks(): void {
  const res = Object.assign(new EventEmitter(), { locals: {} }) as never;
  const state = getShieldState(res);
  startRequestSpan(state, res);
  startChat(state, client, body)?.end(undefined);
}
function baseline(): void {
  const res = Object.assign(new EventEmitter(), { locals: {} }) as never;
  getShieldState(res);
}

function time(fn: () => void): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < N; i++) fn();
  return Number(process.hrtime.bigint() - start) / N;
}

console.log(`@opentelemetry/api loaded: ${otel() !== undefined}; no SDK registered`);
const extra: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  const base = time(baseline);
  const withHooks = time(hooks);
  extra.push(withHooks - base);
  console.log(`round ${r + 1}: state only ${base.toFixed(0)} ns, state + telemetry hooks ${withHooks.toFixed(0)} ns`);
}
extra.sort((a, b) => a - b);
console.log(`telemetry hooks, median extra per request: ${extra[Math.floor(extra.length / 2)]!.toFixed(0)} ns`);
