// One choice of a streamed chat completion on its way through the output filter. Each text
// channel of the delta (`content`, `refusal`, `reasoning_content`, `reasoning`) has its own
// hold-back filter, so each is streamed exactly (what goes out equals whole-text filtering).
// Tool calls and the legacy `function_call` are held until the choice finishes: their
// arguments are JSON, judged whole (channels.ts), then sent in one delta per call. Fields the
// table does not know refuse the stream (fail closed).

import type { ModerationVerdict, Moderator } from '../core/moderation.js';
import { filterCall, refused, settledField, type FieldVerdict } from './channels.js';
import type { FilterVerdict, OutputPolicy } from './output-policy.js';
import { StreamTextFilter } from './text-filter.js';

/** Longest text held for moderation without a sentence end. */
const MAX_SENTENCE = 1000;
const SENTENCE_END = /[.!?\u3002\uff01\uff1f]["'\u201d)\]]*\s+|\n+/g;
/** Most characters of tool-call arguments held for one choice before the stream is refused. */
const MAX_HELD_ARGUMENTS = 1024 * 1024;
/** The key under which the legacy `function_call` is held among the tool calls. */
const LEGACY = -1;

/** Holds released text until a sentence is complete, then has it moderated. */
export class SentenceGate {
  private pending = '';
  constructor(private readonly moderate: Moderator) {}

  /** The text that passed moderation, or the failing verdict. */
  async push(text: string, final: boolean): Promise<string | ModerationVerdict> {
    this.pending += text;
    let cut = 0;
    if (final || this.pending.length > MAX_SENTENCE) cut = this.pending.length;
    else for (const m of this.pending.matchAll(SENTENCE_END)) cut = m.index + m[0].length;
    if (cut === 0) return '';
    const piece = this.pending.slice(0, cut);
    this.pending = this.pending.slice(cut);
    if (piece.trim() === '') return piece;
    const verdict = await this.moderate(piece);
    return verdict.flagged ? verdict : piece;
  }
}

/** What one delta of a choice comes to. */
export type DeltaOut =
  | { blocked: true; findings: FilterVerdict['findings'] }
  | {
      blocked: false;
      /** The delta to send in place of the original (the same object when unchanged). */
      delta: Record<string, unknown>;
      /** Released at the finish, for keys the finishing delta does not have: sent just before it. */
      tail: Record<string, unknown> | undefined;
      findings: FilterVerdict['findings'];
    };

interface Channel {
  filter: StreamTextFilter;
  gate: SentenceGate | undefined;
}

type Call = Record<string, unknown>;

/** The filter state of one choice of a stream. */
export class StreamChoice {
  private readonly channels = new Map<string, Channel>();
  private readonly calls = new Map<number, Call>();
  private heldArguments = 0;

  constructor(
    private readonly policy: OutputPolicy,
    private readonly moderate: Moderator | undefined,
  ) {}

  /** Filters one delta; `finishing` when its chunk carries a finish_reason (or the stream ends). */
  push(delta: Record<string, unknown>, finishing: boolean): DeltaOut | Promise<DeltaOut> {
    const findings: FilterVerdict['findings'] = [];
    let out: Record<string, unknown> | undefined;
    for (const [key, value] of Object.entries(delta)) {
      const v = this.field(key, value);
      findings.push(...v.findings);
      if (v.blocked) return { blocked: true, findings };
      if (v.value === value) continue;
      out ??= { ...delta };
      if (v.value === undefined) delete out[key];
      else out[key] = v.value;
    }
    let tail: Record<string, unknown> | undefined;
    if (finishing) {
      const end = this.finish(out ?? delta);
      findings.push(...end.findings);
      if (end.blocked) return { blocked: true, findings };
      if (end.delta) out = end.delta;
      tail = end.tail;
    }
    for (const c of this.channels.values()) findings.push(...c.filter.takeFindings());
    if ([...this.channels.values()].some((c) => c.filter.blocked)) return { blocked: true, findings };
    const result: DeltaOut = { blocked: false, delta: out ?? delta, tail, findings };
    return this.moderate ? this.gated(result, finishing) : result;
  }

  private channel(key: string): Channel {
    let c = this.channels.get(key);
    if (!c) {
      c = {
        filter: new StreamTextFilter(this.policy),
        gate: this.moderate ? new SentenceGate(this.moderate) : undefined,
      };
      this.channels.set(key, c);
    }
    return c;
  }

  /** One field of a delta, by its kind in the table; `value: undefined` removes it. */
  private field(key: string, value: unknown): FieldVerdict {
    const settled = settledField(key, value);
    if (!('kind' in settled)) return settled;
    const { kind } = settled;
    if (kind === 'text') return this.text(key, value);
    if (kind === 'function') return this.hold(LEGACY, value);
    if (!Array.isArray(value)) return refused(key);
    for (const piece of value) {
      const index = (piece as Call | null)?.index;
      if (typeof index !== 'number' || !Number.isInteger(index) || index < 0) return refused('tool_call_index');
      const v = this.hold(index, piece);
      if (v.blocked) return v;
    }
    return { value: undefined, blocked: false, findings: [] };
  }

  /**
   * A text channel's piece through its hold-back filter. A parts array (text parts only) goes
   * out as a string: the standard form, and one the held-back text can be joined to.
   */
  private text(key: string, value: unknown): FieldVerdict {
    let text: string;
    if (typeof value === 'string') text = value;
    else if (Array.isArray(value) && value.every((p) => p?.type === 'text' && typeof p.text === 'string'))
      text = value.map((p: { text: string }) => p.text).join('');
    else return refused('content_part');
    return { value: this.channel(key).filter.push(text), blocked: false, findings: [] };
  }

  /** A piece of a tool call (or the legacy function call) added to what is held. */
  private hold(index: number, piece: unknown): FieldVerdict {
    if (typeof piece !== 'object' || piece === null || Array.isArray(piece)) return refused('tool_call_type');
    const held = this.calls.get(index) ?? {};
    this.calls.set(index, held);
    for (const [key, value] of Object.entries(piece as Call)) {
      if (value == null) continue;
      if (typeof value === 'string') this.heldArguments += value.length;
      const before = held[key];
      if (typeof value === 'object' && !Array.isArray(value)) {
        // `function` / `custom`: their strings arrive in pieces and are joined.
        const into = (typeof before === 'object' && before !== null ? before : {}) as Call;
        for (const [k, v] of Object.entries(value as Call)) {
          if (typeof v === 'string') this.heldArguments += v.length;
          into[k] = typeof v === 'string' && typeof into[k] === 'string' && k !== 'name' ? into[k] + v : v;
        }
        held[key] = into;
      } else
        held[key] =
          typeof value === 'string' && key === 'arguments' && typeof before === 'string' ? before + value : value;
    }
    if (this.heldArguments > MAX_HELD_ARGUMENTS) return refused('tool_arguments_too_long');
    return { value: undefined, blocked: false, findings: [] };
  }

  /** End of the choice: every channel's held text, and the held calls judged whole. */
  private finish(delta: Record<string, unknown>): {
    blocked: boolean;
    findings: FilterVerdict['findings'];
    delta?: Record<string, unknown>;
    tail?: Record<string, unknown>;
  } {
    let out: Record<string, unknown> | undefined;
    const tail: Record<string, unknown> = {};
    for (const [key, c] of this.channels) {
      const rest = c.filter.end();
      if (rest === '') continue;
      const here = delta[key];
      if (typeof here === 'string') (out ??= { ...delta })[key] = here + rest;
      else tail[key] = rest;
    }
    const findings: FilterVerdict['findings'] = [];
    const calls: Call[] = [];
    for (const index of [...this.calls.keys()].sort((a, b) => a - b)) {
      const v = filterCall(this.policy, this.calls.get(index)!, index === LEGACY);
      findings.push(...v.findings);
      if (v.blocked) return { blocked: true, findings };
      if (index === LEGACY) tail.function_call = v.value;
      else calls.push(v.value as Call);
    }
    if (calls.length > 0) tail.tool_calls = calls;
    this.calls.clear();
    this.heldArguments = 0;
    return { blocked: false, findings, delta: out, tail: Object.keys(tail).length > 0 ? tail : undefined };
  }

  /** The text channels of a result through their moderation gates. */
  private async gated(result: DeltaOut & { blocked: false }, finishing: boolean): Promise<DeltaOut> {
    const findings = [...result.findings];
    let delta = result.delta;
    let tail = result.tail;
    for (const [key, c] of this.channels) {
      if (!c.gate) continue;
      const inDelta = typeof delta[key] === 'string';
      const text = inDelta ? (delta[key] as string) : typeof tail?.[key] === 'string' ? (tail[key] as string) : '';
      const passed = await c.gate.push(text, finishing);
      if (typeof passed !== 'string') {
        findings.push(
          ...passed.categories.map((type) => ({ detector: 'moderation' as const, type, action: 'block' as const })),
        );
        return { blocked: true, findings };
      }
      if (passed === text) continue;
      if (inDelta) delta = { ...delta, [key]: passed };
      else if (passed !== '') tail = { ...tail, [key]: passed };
    }
    for (const call of [
      ...((tail?.tool_calls as Call[]) ?? []),
      ...(tail?.function_call ? [tail.function_call as Call] : []),
    ]) {
      const args = String(
        (call.function as Call | undefined)?.arguments ??
          (call.custom as Call | undefined)?.input ??
          call.arguments ??
          '',
      );
      if (args === '' || !this.moderate) continue;
      const verdict = await this.moderate(args);
      if (verdict.flagged) {
        findings.push(
          ...verdict.categories.map((type) => ({ detector: 'moderation' as const, type, action: 'block' as const })),
        );
        return { blocked: true, findings };
      }
    }
    return { blocked: false, delta, tail, findings };
  }
}
