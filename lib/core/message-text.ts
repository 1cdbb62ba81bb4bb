// Every text of a chat message that the provider reads, named, so that screening, redaction,
// size limits and token estimates all cover the same fields: content (string or text parts),
// `refusal`, `name`, `tool_call_id`, and each tool call's id, function name and arguments.
// A field left out here would reach the model unscreened and uncounted.

/** A message as this module reads it: any object (a chat message before or after validation). */
type Message = Record<string, unknown>;

/** Which text of a message: `sub` is the content part or the tool call it belongs to (-1 otherwise). */
export type TextField =
  'content' | 'part' | 'refusal' | 'name' | 'tool_call_id' | 'tool_call.id' | 'tool_call.name' | 'tool_call.arguments';

export type TextVisitor = (field: TextField, sub: number, text: string) => void;

interface ToolCall {
  id?: unknown;
  function?: { name?: unknown; arguments?: unknown };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** Calls `visit` for each text of `m` the provider reads, in wire order. */
export function forEachText(m: Readonly<Message>, visit: TextVisitor): void {
  const content = m.content as unknown;
  if (typeof content === 'string') visit('content', -1, content);
  else if (Array.isArray(content))
    for (let j = 0; j < content.length; j++) {
      const p = content[j] as unknown;
      if (isRecord(p) && p.type === 'text' && typeof p.text === 'string') visit('part', j, p.text);
    }
  if (typeof m.refusal === 'string') visit('refusal', -1, m.refusal);
  if (typeof m.name === 'string') visit('name', -1, m.name);
  if (typeof m.tool_call_id === 'string') visit('tool_call_id', -1, m.tool_call_id);
  if (!Array.isArray(m.tool_calls)) return;
  const calls = m.tool_calls as unknown[];
  for (let c = 0; c < calls.length; c++) {
    const call = calls[c];
    if (!isRecord(call)) continue;
    const { id, function: fn } = call as ToolCall;
    if (typeof id === 'string') visit('tool_call.id', c, id);
    if (!isRecord(fn)) continue;
    if (typeof fn.name === 'string') visit('tool_call.name', c, fn.name);
    if (typeof fn.arguments === 'string') visit('tool_call.arguments', c, fn.arguments);
  }
}

/** The `param` that names a text of `messages[index]`. */
export function textParam(index: number, field: TextField, sub: number): string {
  const at = `messages[${index}]`;
  switch (field) {
    case 'content':
      return `${at}.content`;
    case 'part':
      return `${at}.content[${sub}].text`;
    case 'tool_call.id':
      return `${at}.tool_calls[${sub}].id`;
    case 'tool_call.name':
      return `${at}.tool_calls[${sub}].function.name`;
    case 'tool_call.arguments':
      return `${at}.tool_calls[${sub}].function.arguments`;
    default:
      return `${at}.${field}`;
  }
}

/**
 * A copy of `m` with the texts `textOf` gives (it returns the text to keep for each field;
 * `undefined` removes an optional field). Objects the change goes through are copied, never
 * the client's mutated; parts and calls whose text is kept are reused.
 */
export function withTexts<M extends Message>(m: M, textOf: (field: TextField, sub: number) => string | undefined): M {
  const out: Message = { ...m };
  if (typeof m.content === 'string') out.content = textOf('content', -1) ?? '';
  else if (Array.isArray(m.content))
    out.content = m.content.map((p, j) =>
      isRecord(p) && p.type === 'text' && typeof p.text === 'string' ? { ...p, text: textOf('part', j) ?? '' } : p,
    );
  if (typeof m.refusal === 'string') setOrDrop(out, 'refusal', textOf('refusal', -1));
  if (typeof m.name === 'string') setOrDrop(out, 'name', textOf('name', -1));
  if (typeof m.tool_call_id === 'string') out.tool_call_id = textOf('tool_call_id', -1) ?? '';
  if (Array.isArray(m.tool_calls))
    out.tool_calls = (m.tool_calls as unknown[]).map((call, c) => callWith(call, c, textOf));
  return out as M;
}

function setOrDrop(m: Message, key: 'refusal' | 'name', text: string | undefined): void {
  if (text === undefined) delete m[key];
  else m[key] = text;
}

function callWith(call: unknown, c: number, textOf: (field: TextField, sub: number) => string | undefined): unknown {
  if (!isRecord(call)) return call;
  const out: Record<string, unknown> = { ...call };
  if (typeof call.id === 'string') out.id = textOf('tool_call.id', c) ?? '';
  const fn = call.function;
  if (isRecord(fn)) {
    const f: Record<string, unknown> = { ...fn };
    if (typeof fn.name === 'string') f.name = textOf('tool_call.name', c) ?? '';
    if (typeof fn.arguments === 'string') f.arguments = textOf('tool_call.arguments', c) ?? '';
    out.function = f;
  }
  return out;
}
