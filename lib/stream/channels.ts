// Which fields of a chat completion carry model text, and what the output filter does with
// each: one table for the JSON message and the streamed delta, with a fail-closed default.
// A field the table does not know is relayed only when it cannot carry text (null, a number,
// a boolean, an empty array or object); otherwise the answer is refused. Outside the message
// (the completion, the chunk, the choice) unknown fields are removed instead: they are
// provider metadata, never the answer.
//
// The per-field filters are plain functions of an OutputPolicy (text in, filtered text or a
// block out), so that other wire formats (the Responses API) can reuse them.

import type { OutputPolicy, FilterVerdict } from './output-policy.js';

/** How the filter treats one field of a message or delta. */
export type FieldKind =
  /** Not model text; relayed as is. */
  | 'meta'
  /** Model text: a string filtered with the policy (`content` may also be an array of parts). */
  | 'text'
  /** `tool_calls`: names checked, arguments filtered as JSON. */
  | 'tools'
  /** The legacy `function_call`: like one tool call. */
  | 'function'
  /** Removed: `annotations` (citations whose offsets and URLs the filter would falsify). */
  | 'drop';

/** The fields of an assistant message (JSON) or delta (stream) that the filter knows. */
export const MESSAGE_FIELDS: Readonly<Record<string, FieldKind>> = {
  role: 'meta',
  content: 'text',
  refusal: 'text',
  reasoning_content: 'text',
  reasoning: 'text',
  tool_calls: 'tools',
  function_call: 'function',
  annotations: 'drop',
};

/** Fields of a choice that are relayed (the message or delta is filtered on its own). */
const CHOICE_FIELDS = new Set(['index', 'message', 'delta', 'finish_reason', 'content_filter_results']);
/** Top-level fields of a completion or chunk that are relayed. */
const ENVELOPE_FIELDS = new Set([
  'id',
  'object',
  'created',
  'model',
  'choices',
  'usage',
  'system_fingerprint',
  'service_tier',
  'obfuscation',
  'prompt_filter_results',
]);

/** A tool or function name as providers accept them; anything else is not relayed. */
const TOOL_NAME = /^[\w.:-]{1,128}$/;

/** Whether a value can carry no text: relayed even in a field the filter does not know. */
export function carriesNoText(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value === 'number' || typeof value === 'boolean') return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && Object.keys(value).length === 0;
}

/** The kind of a message field, or 'refuse' for an unknown field that may carry text. */
export function fieldKind(key: string, value: unknown): FieldKind | 'refuse' {
  const kind = MESSAGE_FIELDS[key];
  if (kind === 'meta') return typeof value === 'string' || value == null ? 'meta' : 'refuse';
  if (kind !== undefined) return kind;
  return carriesNoText(value) ? 'meta' : 'refuse';
}

/**
 * `o` without the fields outside `known` that may carry text, and whether any were removed.
 * `logprobs` (the answer's tokens, as text) is always set to null.
 */
export function stripUnknown<T extends Record<string, unknown>>(
  o: T,
  level: 'envelope' | 'choice',
): { value: T; stripped: boolean } {
  const known = level === 'envelope' ? ENVELOPE_FIELDS : CHOICE_FIELDS;
  let out: Record<string, unknown> | undefined;
  for (const key of Object.keys(o)) {
    if (known.has(key)) continue;
    if (key === 'logprobs' && level === 'choice') {
      if (o[key] != null) (out ??= { ...o }).logprobs = null;
      continue;
    }
    if (!carriesNoText(o[key])) delete (out ??= { ...o })[key];
  }
  return { value: (out ?? o) as T, stripped: out !== undefined };
}

/** What one field filter decided. */
export interface FieldVerdict {
  /** The value to send (meaningless when blocked). */
  value: unknown;
  blocked: boolean;
  findings: FilterVerdict['findings'];
}

export const refused = (type: string): FieldVerdict => ({
  value: undefined,
  blocked: true,
  findings: [{ detector: 'channel', type, action: 'block' }],
});

/** One text through the policy: the per-field filter every text channel uses. */
export function filterText(policy: OutputPolicy, text: string): FieldVerdict {
  const v = policy.whole(text);
  return { value: v.blocked ? undefined : v.text, blocked: v.blocked, findings: v.findings };
}

/** `content` as an array of parts: text (and refusal) parts filtered, any other part refused. */
export function filterParts(policy: OutputPolicy, parts: readonly unknown[]): FieldVerdict {
  const findings: FieldVerdict['findings'] = [];
  let changed = false;
  const out: unknown[] = [];
  for (const part of parts) {
    const p = part as Record<string, unknown> | null;
    const key = p?.type === 'text' ? 'text' : p?.type === 'refusal' ? 'refusal' : undefined;
    if (key === undefined || typeof p![key] !== 'string') return refused('content_part');
    const v = filterText(policy, p![key] as string);
    findings.push(...v.findings);
    if (v.blocked) return { ...v, findings };
    changed ||= v.value !== p![key];
    out.push(v.value === p![key] ? part : { ...p, [key]: v.value });
  }
  return { value: changed ? out : parts, blocked: false, findings };
}

/**
 * Tool-call arguments, a JSON text: every string (and number) inside filtered with the
 * policy, object keys checked. Unchanged arguments keep their exact text; changed ones are
 * serialized again. Arguments that are not JSON are refused: their escapes could hide
 * anything from a text filter.
 */
export function filterArguments(policy: OutputPolicy, args: string): FieldVerdict {
  if (args.trim() === '') return { value: args, blocked: false, findings: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(args);
  } catch {
    return refused('tool_arguments_not_json');
  }
  const findings: FieldVerdict['findings'] = [];
  const walked = walkJson(policy, parsed, findings);
  if (walked === BLOCKED) return { value: undefined, blocked: true, findings };
  return { value: walked === parsed ? args : JSON.stringify(walked), blocked: false, findings };
}

const BLOCKED = Symbol('blocked');

/** `value` with its strings filtered; the same object when nothing changed. */
function walkJson(policy: OutputPolicy, value: unknown, findings: FieldVerdict['findings']): unknown {
  if (typeof value === 'string' || typeof value === 'number') {
    const text = String(value);
    const v = filterText(policy, text);
    findings.push(...v.findings);
    if (v.blocked) return BLOCKED;
    return v.value === text ? value : v.value;
  }
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const w = walkJson(policy, value[i], findings);
      if (w === BLOCKED) return BLOCKED;
      if (w !== value[i]) (out ??= [...value])[i] = w;
    }
    return out ?? value;
  }
  if (value === null || typeof value !== 'object') return value;
  let out: Record<string, unknown> | undefined;
  for (const [key, item] of Object.entries(value)) {
    // A key is text too; one the policy would change cannot be renamed safely.
    const k = filterText(policy, key);
    findings.push(...k.findings);
    if (k.blocked || k.value !== key) return BLOCKED;
    const w = walkJson(policy, item, findings);
    if (w === BLOCKED) return BLOCKED;
    if (w !== item) (out ??= { ...value })[key] = w;
  }
  return out ?? value;
}

/** A function or custom tool call: its name checked, its arguments (or input) filtered. */
export function filterCall(policy: OutputPolicy, call: Record<string, unknown>, legacy: boolean): FieldVerdict {
  for (const [key, value] of Object.entries(call)) {
    if (key === 'id' || key === 'index' || key === 'type' || carriesNoText(value)) continue;
    if (legacy ? key !== 'name' && key !== 'arguments' : key !== 'function' && key !== 'custom')
      return refused('tool_call_field');
  }
  const type = legacy ? 'function' : (call.type ?? 'function');
  const body = (legacy ? call : call[type as string]) as Record<string, unknown> | undefined;
  if ((type !== 'function' && type !== 'custom') || typeof body !== 'object' || body === null)
    return refused('tool_call_type');
  const field = type === 'function' ? 'arguments' : 'input';
  for (const [key, value] of Object.entries(body))
    if (key !== 'name' && key !== field && !carriesNoText(value)) return refused('tool_call_field');
  if (typeof body.name !== 'string' || !TOOL_NAME.test(body.name)) return refused('tool_call_name');
  const raw = body[field] ?? '';
  if (typeof raw !== 'string') return refused('tool_call_field');
  const v = type === 'function' ? filterArguments(policy, raw) : filterText(policy, raw);
  if (v.blocked || v.value === raw) return { ...v, value: call };
  const filtered = { ...body, [field]: v.value };
  return { ...v, value: legacy ? filtered : { ...call, [type as string]: filtered } };
}

/** The texts of a filtered message, for moderation. */
export function messageTexts(message: Record<string, unknown>): string[] {
  const texts: string[] = [];
  for (const [key, value] of Object.entries(message)) {
    const kind = MESSAGE_FIELDS[key];
    if (kind === 'text' && typeof value === 'string') texts.push(value);
    else if (kind === 'text' && Array.isArray(value))
      for (const p of value as Array<Record<string, unknown>>) texts.push(String(p.text ?? p.refusal ?? ''));
    else if (kind === 'tools' && Array.isArray(value))
      for (const c of value as Array<Record<string, Record<string, unknown>>>)
        texts.push(String(c.function?.arguments ?? c.custom?.input ?? ''));
    else if (kind === 'function' && value) texts.push(String((value as Record<string, unknown>).arguments ?? ''));
  }
  return texts.filter((t) => t !== '');
}

/**
 * An assistant message filtered field by field (a JSON completion's `message`): the message
 * to send, or a block. Unchanged messages are returned as the same object.
 */
export function filterMessage(policy: OutputPolicy, message: Record<string, unknown>): FieldVerdict {
  const findings: FieldVerdict['findings'] = [];
  let out: Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(message)) {
    const v = filterField(policy, key, value);
    findings.push(...v.findings);
    if (v.blocked) return { value: undefined, blocked: true, findings };
    if (v.value === value) continue;
    out ??= { ...message };
    if (v.value === undefined) delete out[key];
    else out[key] = v.value;
  }
  return { value: out ?? message, blocked: false, findings };
}

/**
 * The verdict on a field that needs no filtering of its own, whole or streamed: kept (metadata,
 * null), dropped (a known field that carries no text here), refused (unknown); `kind` when the
 * field's text must be filtered.
 */
export function settledField(key: string, value: unknown): FieldVerdict | { kind: FieldKind } {
  const kind = fieldKind(key, value);
  const keep: FieldVerdict = { value, blocked: false, findings: [] };
  if (kind === 'refuse') return refused('unknown_field');
  if (kind === 'meta' || value == null) return keep;
  if (kind === 'drop')
    return carriesNoText(value)
      ? keep
      : { value: undefined, blocked: false, findings: [{ detector: 'channel', type: key, action: 'redact' }] };
  return { kind };
}

/** One field of a whole message, by its kind. `value: undefined` removes the field. */
function filterField(policy: OutputPolicy, key: string, value: unknown): FieldVerdict {
  const settled = settledField(key, value);
  if (!('kind' in settled)) return settled;
  const { kind } = settled;
  if (kind === 'text') {
    if (typeof value === 'string')
      return value === '' ? { value, blocked: false, findings: [] } : filterText(policy, value);
    return Array.isArray(value) ? filterParts(policy, value) : refused('content_type');
  }
  if (kind === 'function')
    return typeof value === 'object' ? filterCall(policy, value as Record<string, unknown>, true) : refused(key);
  if (!Array.isArray(value)) return refused(key);
  const findings: FieldVerdict['findings'] = [];
  let out: unknown[] | undefined;
  for (let i = 0; i < value.length; i++) {
    const call = value[i] as Record<string, unknown> | null;
    if (typeof call !== 'object' || call === null) return refused('tool_call_type');
    const v = filterCall(policy, call, false);
    findings.push(...v.findings);
    if (v.blocked) return { ...v, findings };
    if (v.value !== call) (out ??= [...value])[i] = v.value;
  }
  return { value: out ?? value, blocked: false, findings };
}
