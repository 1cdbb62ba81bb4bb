// The Chat Completions request schema (OpenAI's, plus the `{ "prompt" }` shorthand), compiled
// once per validatePrompt into one function over the parsed body. One pass, no per-field
// chain objects: this runs on every request, and express-validator's per-chain cost would
// dominate the shield (docs/architecture.md gives the figure).

/** The first thing wrong with a body: what to say and which field (`param`) it is about. */
export interface SchemaViolation {
  message: string;
  param: string | null;
}

export interface ChatSchemaOptions {
  allowedRoles: readonly string[];
  allowTools: boolean;
  allowLogprobs: boolean;
  allowNonText: boolean;
  maxN: number;
  allowedFields: readonly string[];
}

// Field names are echoed in error messages only when they are plainly field names.
const SAFE_FIELD = /^[A-Za-z0-9_.[\]-]{1,80}$/;
const NAME = /^[A-Za-z0-9_-]{1,64}$/;
const TOOL_FIELDS = ['tools', 'tool_choice', 'functions', 'function_call', 'parallel_tool_calls'];
const LOGPROB_FIELDS = ['logprobs', 'top_logprobs', 'logit_bias'];

type FieldCheck = (value: unknown) => boolean;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const strictInt =
  (min: number, max: number): FieldCheck =>
  (v) =>
    Number.isSafeInteger(v) && (v as number) >= min && (v as number) <= max;
const strictNumber =
  (min: number, max: number): FieldCheck =>
  (v) =>
    typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max;
const orNull =
  (check: FieldCheck): FieldCheck =>
  (v) =>
    v === null || check(v);
const anyValue: FieldCheck = () => true;

const TOOL_CALL_MESSAGE =
  'Each tool call must be `{ id, type: "function", function: { name, arguments } }` with string values.';

/**
 * A message's `tool_calls` (only reachable when tools are allowed): the shape OpenAI defines,
 * strings where the provider reads text, so every one of them can be screened and counted.
 */
function checkToolCalls(calls: unknown, i: number): SchemaViolation | undefined {
  if (!Array.isArray(calls)) return { message: '`tool_calls` must be an array.', param: `messages[${i}].tool_calls` };
  for (let c = 0; c < calls.length; c++) {
    const call = calls[c] as unknown;
    const fn = isObject(call) ? call.function : undefined;
    const ok =
      isObject(call) &&
      typeof call.id === 'string' &&
      call.type === 'function' &&
      isObject(fn) &&
      typeof fn.name === 'string' &&
      typeof fn.arguments === 'string';
    if (!ok) return { message: TOOL_CALL_MESSAGE, param: `messages[${i}].tool_calls[${c}]` };
    for (const key in call)
      if (Object.prototype.hasOwnProperty.call(call, key) && key !== 'id' && key !== 'type' && key !== 'function')
        return unknownField(`messages[${i}].tool_calls[${c}].${key}`);
    for (const key in fn)
      if (Object.prototype.hasOwnProperty.call(fn, key) && key !== 'name' && key !== 'arguments')
        return unknownField(`messages[${i}].tool_calls[${c}].function.${key}`);
  }
  return undefined;
}

function unknownField(path: string): SchemaViolation {
  const named = SAFE_FIELD.test(path);
  return {
    message: named ? `Unrecognized or disallowed field \`${path}\`.` : 'The body has an unrecognized field.',
    param: named ? path : null,
  };
}

/** Compiles the schema for these options; the result returns the first violation, or undefined. */
export function compileChatSchema(
  o: ChatSchemaOptions,
): (body: Record<string, unknown>) => SchemaViolation | undefined {
  const roles = new Set(o.allowedRoles);
  const roleMessage = `The role is not accepted here: clients may send ${[...roles].join(', ')}.`;
  const contentMessage = o.allowNonText
    ? 'Content must be a string or an array of content parts.'
    : 'Content must be a string or an array of text parts.';
  // Top-level fields: the check and the message when it fails, in the order they are reported.
  const fields = new Map<string, [FieldCheck, string]>([
    ['model', [(v) => typeof v === 'string' && v.length > 0 && v.length <= 256, '`model` must be a non-empty string.']],
    ['stream', [(v) => typeof v === 'boolean', '`stream` must be a boolean.']],
    ['stream_options', [orNull(isObject), '`stream_options` must be an object.']],
    ['max_tokens', [orNull(strictInt(1, 10_000_000)), '`max_tokens` must be a positive integer.']],
    [
      'max_completion_tokens',
      [orNull(strictInt(1, 10_000_000)), '`max_completion_tokens` must be a positive integer.'],
    ],
    ['temperature', [orNull(strictNumber(0, 2)), '`temperature` must be a number from 0 to 2.']],
    ['top_p', [orNull(strictNumber(0, 1)), '`top_p` must be a number from 0 to 1.']],
    [
      'stop',
      [
        orNull(
          (v) =>
            (typeof v === 'string' && v.length <= 256) ||
            (Array.isArray(v) && v.length <= 4 && v.every((s) => typeof s === 'string' && s.length <= 256)),
        ),
        '`stop` must be a string or up to 4 strings.',
      ],
    ],
    ['user', [(v) => typeof v === 'string' && v.length <= 256, '`user` must be a string of at most 256 characters.']],
    [
      'n',
      [orNull(strictInt(1, o.maxN)), o.maxN === 1 ? '`n` must be 1.' : `\`n\` must be an integer from 1 to ${o.maxN}.`],
    ],
  ]);
  // Fields allowed only by option are passed on unchecked: the provider validates their shape.
  const extra = [...(o.allowTools ? TOOL_FIELDS : []), ...(o.allowLogprobs ? LOGPROB_FIELDS : []), ...o.allowedFields];
  for (const name of extra) if (!fields.has(name)) fields.set(name, [anyValue, '']);
  // Walked as arrays on every request: iterating the map would allocate an entry per field.
  const fieldNames = [...fields.keys()];
  const fieldChecks = fieldNames.map((name) => fields.get(name)![0]);
  const fieldMessages = fieldNames.map((name) => fields.get(name)![1]);
  const messageFields = new Set([
    'role',
    'content',
    'name',
    ...(o.allowTools ? ['tool_calls', 'tool_call_id', 'refusal'] : ['refusal']),
  ]);

  // Params are built only for a violation: a valid body allocates no strings.
  const badContent = (i: number): SchemaViolation => ({ message: contentMessage, param: `messages[${i}].content` });

  function checkContent(content: unknown, i: number, mayBeNull: boolean): SchemaViolation | undefined {
    if (typeof content === 'string') return undefined;
    if (content === null && mayBeNull) return undefined;
    if (!Array.isArray(content) || content.length === 0) return badContent(i);
    for (let j = 0; j < content.length; j++) {
      const part = content[j] as unknown;
      if (!isObject(part)) return badContent(i);
      if (part.type === 'text') {
        if (typeof part.text !== 'string') return badContent(i);
        for (const key in part)
          if (Object.prototype.hasOwnProperty.call(part, key) && key !== 'type' && key !== 'text')
            return unknownField(`messages[${i}].content[${j}].${key}`);
      } else if (!o.allowNonText || typeof part.type !== 'string') {
        return badContent(i);
      }
    }
    return undefined;
  }

  function checkMessage(m: unknown, i: number): SchemaViolation | undefined {
    if (!isObject(m)) return { message: 'Each message must be an object.', param: `messages[${i}]` };
    if (typeof m.role !== 'string' || !roles.has(m.role)) return { message: roleMessage, param: `messages[${i}].role` };
    // An assistant turn that called tools or refused may have no content, as OpenAI sends it.
    const noContent =
      m.role === 'assistant' && ((o.allowTools && Array.isArray(m.tool_calls)) || typeof m.refusal === 'string');
    const bad = checkContent(m.content, i, noContent);
    if (bad) return bad;
    if (m.name !== undefined && (typeof m.name !== 'string' || !NAME.test(m.name)))
      return { message: '`name` must be 1-64 letters, digits, `_` or `-`.', param: `messages[${i}].name` };
    if (m.refusal !== undefined && m.refusal !== null && typeof m.refusal !== 'string')
      return { message: '`refusal` must be a string or null.', param: `messages[${i}].refusal` };
    if (m.tool_call_id !== undefined && typeof m.tool_call_id !== 'string')
      return { message: '`tool_call_id` must be a string.', param: `messages[${i}].tool_call_id` };
    if (m.tool_calls !== undefined) {
      const badCall = checkToolCalls(m.tool_calls, i);
      if (badCall) return badCall;
    }
    // `for…in` kept to own keys visits what `Object.keys` lists, in its order, without an array.
    for (const key in m)
      if (Object.prototype.hasOwnProperty.call(m, key) && !messageFields.has(key))
        return unknownField(`messages[${i}].${key}`);
    return undefined;
  }

  return function checkChatBody(body) {
    const messages = body.messages;
    if (!Array.isArray(messages) || messages.length === 0)
      return { message: '`messages` must be a non-empty array.', param: 'messages' };
    for (let i = 0; i < messages.length; i++) {
      const bad = checkMessage(messages[i], i);
      if (bad) return bad;
    }
    for (let f = 0; f < fieldNames.length; f++) {
      const name = fieldNames[f]!;
      const value = body[name];
      if (value !== undefined && !fieldChecks[f]!(value)) return { message: fieldMessages[f]!, param: name };
    }
    const streamOptions = body.stream_options;
    if (isObject(streamOptions)) {
      for (const key of Object.keys(streamOptions))
        if (key !== 'include_usage') return unknownField(`stream_options.${key}`);
      if (streamOptions.include_usage !== undefined && typeof streamOptions.include_usage !== 'boolean')
        return { message: '`include_usage` must be a boolean.', param: 'stream_options.include_usage' };
    }
    for (const key in body)
      if (Object.prototype.hasOwnProperty.call(body, key) && key !== 'messages' && !fields.has(key))
        return unknownField(key);
    return undefined;
  };
}
