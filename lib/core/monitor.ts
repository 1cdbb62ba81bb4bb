// Monitor mode, in one place: what a refusal point does with a refusal. Enforcing, it passes
// the refusal on; monitoring, it records the code (`wouldBlock` in the audit record, an
// event on the request's span) and lets the request go on, so that a shield can be rolled
// out on live traffic and its would-block rate read before it enforces anything.

import { is, type Check } from './options.js';
import type { ShieldError } from './errors.js';
import type { ShieldState } from './state.js';
import { requestEvent } from '../telemetry/request-span.js';

/** `enforce` (default): refusals are made. `monitor`: they are recorded and the request is served. */
export type ShieldMode = 'enforce' | 'monitor';

export const modeCheck: Check = is.oneOf('enforce', 'monitor');

/** Records a refusal that monitor mode did not make: each code once, with an event on the request's span. */
export function recordWouldBlock(state: ShieldState, code: string): void {
  const codes = (state.wouldBlock ??= []);
  if (codes.includes(code)) return;
  codes.push(code);
  requestEvent(state, 'llm_shield.would_block', { 'llm_shield.code': code });
}

/**
 * The refusal to pass to `next`, or undefined when `mode` is `monitor`: the refusal is then
 * only recorded, and the caller goes on as if the check had passed.
 */
export function refuseOrRecord(state: ShieldState, mode: ShieldMode, refusal: ShieldError): ShieldError | undefined {
  if (mode === 'enforce') return refusal;
  recordWouldBlock(state, refusal.code);
  return undefined;
}
