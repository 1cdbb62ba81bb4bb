// The request's span: one INTERNAL span per request through the shield, child of whatever
// span is active (an HTTP server span when the app is instrumented). The guard's decisions
// go on it — refusal code, would-block codes, checks, findings by type, rate-limit state —
// as attributes and events; never prompt or completion text, never a key.

import type { Response } from 'express';
import type { Span } from '@opentelemetry/api';
import type { ShieldState } from '../core/state.js';
import { otel, shieldTracer } from './otel.js';

// Kept beside the state rather than in it: the state stays plain data with one shape, and a
// request that no SDK records makes no entry here.
const spans = new WeakMap<ShieldState, Span>();

/** Starts the request's span when an SDK records it; ends it when the response closes. */
export function startRequestSpan(state: ShieldState, res: Response): void {
  const api = otel();
  if (api === undefined) return;
  const span = shieldTracer(api).startSpan('llm_shield.request', {
    kind: api.SpanKind.INTERNAL,
    attributes: { 'llm_shield.request_id': state.requestId },
  });
  if (!span.isRecording()) return;
  spans.set(state, span);
  res.once('close', () => endRequestSpan(state, res, span));
}

/** The request's span, when one is recording. */
export function requestSpan(state: ShieldState): Span | undefined {
  return spans.get(state);
}

/** An event on the request's span (a no-op when there is none). */
export function requestEvent(state: ShieldState, name: string, attributes: Record<string, string | number>): void {
  spans.get(state)?.addEvent(name, attributes);
}

/** The guard's decisions, read from the state once the response is over. */
function endRequestSpan(state: ShieldState, res: Response, span: Span): void {
  spans.delete(state);
  const status = res.headersSent ? res.statusCode : 499;
  span.setAttribute('http.response.status_code', status);
  // The principal's id only: `keyId` may also hold a fingerprint of an unknown key.
  if (state.principal !== undefined) span.setAttribute('llm_shield.key_id', state.principal.id);
  span.setAttribute('llm_shield.checks', state.checks.slice());
  if (state.wouldBlock !== undefined) span.setAttribute('llm_shield.would_block', state.wouldBlock.slice());
  if (state.rateLimit !== undefined) {
    span.setAttribute('llm_shield.rate_limit.limit', state.rateLimit.limit);
    span.setAttribute('llm_shield.rate_limit.remaining', state.rateLimit.remaining);
    if (state.rateLimit.tokensRemaining !== undefined)
      span.setAttribute('llm_shield.rate_limit.tokens_remaining', state.rateLimit.tokensRemaining);
  }
  for (const f of state.findings)
    span.addEvent('llm_shield.finding', {
      'llm_shield.stage': f.stage,
      'llm_shield.detector': f.detector,
      'llm_shield.finding.type': f.type,
      'llm_shield.action': f.action,
      'llm_shield.count': f.count,
    });
  const code = !res.writableFinished
    ? 'client_closed_request'
    : (state.error?.code ?? (state.outputBlocked === true ? 'content_filter' : undefined));
  if (code !== undefined) {
    span.setAttribute('llm_shield.code', code);
    span.addEvent(code === 'content_filter' ? 'llm_shield.content_filter' : 'llm_shield.refused', {
      'llm_shield.code': code,
    });
  }
  const api = otel();
  if (api !== undefined && (status >= 500 || (state.error?.status ?? 0) >= 500))
    span.setStatus({ code: api.SpanStatusCode.ERROR });
  span.end();
}
