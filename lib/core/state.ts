import type { Response } from 'express';
import type { DetectorAction, DetectorName } from '../detect/types.js';
import type { ChatMessage, Usage } from './openai-types.js';

/** Who is calling, as established by `apiKeyAuth` (or your own verify function). */
export interface Principal {
  id: string;
  /** Models this key may use; all allowed models when absent. */
  models?: readonly string[];
  /** This key's request limit per window (overrides `rateLimitByKey`'s). */
  limit?: number;
  /** This key's token budget (overrides `rateLimitByKey`'s). */
  tokens?: { limit: number; windowMs?: number };
}

/** One kind of detection in a request, aggregated for the audit record. */
export interface StateFinding {
  stage: 'input' | 'output';
  /** `channel`: a field of the answer the output filter refused or removed (lib/stream/channels.ts). */
  detector: DetectorName | 'rule' | 'moderation' | 'canary' | 'url' | 'pattern' | 'channel';
  type: string;
  action: Exclude<DetectorAction, 'off'>;
  count: number;
}

/**
 * Per-request state shared by the middlewares, in `res.locals.llmShield`. A string key
 * (not a module-private Symbol) so that two installed copies of the package agree.
 */
export interface ShieldState {
  requestId: string;
  /** `performance.now()` when the first shield middleware saw the request. */
  startedAt: number;
  /** The principal id from `apiKeyAuth`, else a hash of the presented key, else null. */
  keyId: string | null;
  principal?: Principal;
  model?: string;
  stream?: boolean;
  /** Sanitized (normalized, redacted) messages, as sent upstream. */
  messages?: ChatMessage[];
  findings: StateFinding[];
  /** Token usage reported by the provider (or estimated when it never arrived). */
  usage?: Usage;
  /** Time spent waiting on the provider, all attempts included. */
  upstreamMs?: number;
  attempts?: number;
  /** `filterOutput` replaced or cut the model's output (`finish_reason: "content_filter"`). */
  outputBlocked?: boolean;
  /** The refusal that ended the request, if any. */
  error?: { status: number; code: string };
  /** Set by `callLLM` for `filterOutput`: the server-side system prompt and its canary. */
  systemPrompt?: string;
  canary?: string;
  /**
   * Set by `callLLM` while a provider request is in flight, cleared when the call is over:
   * aborting it stops that request (`filterOutput` does when it blocks a stream). The state
   * holds data only, never a callback one middleware leaves for another.
   */
  upstreamAbort?: AbortController;
  /**
   * Set by `callLLM` when it starts calling the provider; resolves (never rejects) once the
   * call is over — answered, failed or aborted — with the usage then recorded in `usage`.
   * `rateLimitByKey` waits on it to settle a token reservation after a client disconnect.
   */
  settled?: Promise<Usage | undefined>;
  /** Rate-limit state for the audit record. */
  rateLimit?: { limit: number; remaining: number; tokensRemaining?: number };
  /**
   * The checks that ran on this request, in the order they ran (`auth`, `rate_limit`,
   * `input.injection`, `output.pii`, … — docs/audit-log.md lists them). A check switched off,
   * skipped or never reached is absent.
   */
  checks: string[];
  /** Monitor mode: the codes of the refusals that were recorded instead of made. */
  wouldBlock?: string[];
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      llmShield?: ShieldState;
    }
  }
}

const STATE_KEY = 'llmShield';

/**
 * The shield's per-request state, created on first access. Safe to call from your own
 * handlers, before or after any shield middleware.
 *
 * @example
 * ```ts
 * app.post('/chat', validatePrompt(), (req, res) => {
 *   const { findings, keyId } = getShieldState(res)
 *   res.json({ findings, keyId })
 * })
 * ```
 */
export function getShieldState(res: Response): ShieldState {
  const locals = res.locals as Record<string, unknown>;
  let state = locals[STATE_KEY] as ShieldState | undefined;
  if (state === undefined) {
    // Every field from the start, so every request's state has one shape: the middlewares
    // that fill it in, in whatever order, then read and write it at a known offset instead
    // of growing it through a different chain of hidden classes per mounting. `satisfies`
    // makes a field added to ShieldState but left out here a compile error.
    state = {
      requestId: '',
      startedAt: performance.now(),
      keyId: null,
      principal: undefined,
      model: undefined,
      stream: undefined,
      messages: undefined,
      findings: [],
      usage: undefined,
      upstreamMs: undefined,
      attempts: undefined,
      outputBlocked: undefined,
      error: undefined,
      systemPrompt: undefined,
      canary: undefined,
      upstreamAbort: undefined,
      settled: undefined,
      rateLimit: undefined,
      checks: [],
      wouldBlock: undefined,
    } satisfies Record<keyof ShieldState, unknown>;
    locals[STATE_KEY] = state;
  }
  return state;
}

/** Adds findings to the state, one entry per stage / detector / type / action. */
export function recordFindings(
  state: ShieldState,
  found: ReadonlyArray<Omit<StateFinding, 'count'> & { count?: number }>,
): void {
  for (const f of found) {
    const same = state.findings.find(
      (g) => g.stage === f.stage && g.detector === f.detector && g.type === f.type && g.action === f.action,
    );
    if (same) same.count += f.count ?? 1;
    else
      state.findings.push({
        stage: f.stage,
        detector: f.detector,
        type: f.type,
        action: f.action,
        count: f.count ?? 1,
      });
  }
}

/** Adds checks that ran on the request, each once. */
export function recordChecks(state: ShieldState, names: readonly string[]): void {
  const checks = state.checks;
  for (const name of names) if (!checks.includes(name)) checks.push(name);
}
