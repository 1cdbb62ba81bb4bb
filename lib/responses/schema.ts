// The Responses request schema, compiled once per validatePrompt into one function over the
// parsed body, as the Chat Completions one is (core/chat-schema.ts): the same options mean
// the same here. Fields that carry context the server never screened (`previous_response_id`,
// `conversation`), the client's own `instructions` and tools are refused unless allowed.

import type { SchemaViolation } from '../core/chat-schema.js';

export interface ResponsesSchemaOptions {
  /** Roles a message item may have; `system` or `developer` in it also admits `instructions`. */
  allowedRoles: readonly string[];
  allowTools: boolean;
  allowLogprobs: boolean;
  allowNonText: boolean;
  allowStoredContext: boolean;
  /** Further input item types passed on unscanned. */
  allowedItems: readonly string[];
  allowedFields: readonly string[];
}

const SAFE_FIELD = /^[A-Za-z0-9_.[\]-]{1,80}$/;
const TOOL_FIELDS = ['tools', 'tool_choice', 'parallel_tool_calls', 'max_tool_calls'];
const TOOL_ITEMS = ['function_call', 'function_call_output'];
const STORED_CONTEXT = ['previous_response_id', 'conversation'];
const TEXT_PARTS: Record<string, readonly string[]> = {
  user: ['input_text'],
  system: ['input_text'],
  developer: ['input_text'],
  assistant: ['output_text', 'refusal', 'input_text'],
};

type FieldCheck = (value: unknown) => boolean;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const orNull =
  (check: FieldCheck): FieldCheck =>
  (v) =>
    v === null || check(v);
const anyValue: FieldCheck = () => true;
const positiveInt: FieldCheck = (v) => Number.isSafeInteger(v) && (v as number) >= 1 && (v as number) <= 10_000_000;
const between =
  (min: number, max: number): FieldCheck =>
  (v) =>
    typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max;
/** `text` with only a plain-text format (and verbosity): structured output is opted into with `allowedFields`. */
const plainText: FieldCheck = (v) =>
  isObject(v) &&
  Object.keys(v).every((k) => k === 'format' || k === 'verbosity') &&
  (v.format === undefined || (isObject(v.format) && v.format.type === 'text' && Object.keys(v.format).length === 1)) &&
  (v.verbosity === undefined || v.verbosity === null || ['low', 'medium', 'high'].includes(v.verbosity as string));

function unknownField(path: string): SchemaViolation {
  const named = SAFE_FIELD.test(path);
  return {
    message: named ? `Unrecognized or disallowed field \`${path}\`.` : 'The body has an unrecognized field.',
    param: named ? path : null,
  };
}

/** The top-level fields accepted with these options: each one's check and the message when it fails. */
function fieldTable(o: ResponsesSchemaOptions): Map<string, [FieldCheck, string]> {
  const fields = new Map<string, [FieldCheck, string]>([
    ['model', [(v) => typeof v === 'string' && v.length > 0 && v.length <= 256, '`model` must be a non-empty string.']],
    ['stream', [(v) => typeof v === 'boolean', '`stream` must be a boolean.']],
    [
      'stream_options',
      [
        orNull((v) => isObject(v) && Object.keys(v).every((k) => k === 'include_obfuscation')),
        '`stream_options` may only hold `include_obfuscation`.',
      ],
    ],
    ['max_output_tokens', [orNull(positiveInt), '`max_output_tokens` must be a positive integer.']],
    ['temperature', [orNull(between(0, 2)), '`temperature` must be a number from 0 to 2.']],
    ['top_p', [orNull(between(0, 1)), '`top_p` must be a number from 0 to 1.']],
    ['user', [(v) => typeof v === 'string' && v.length <= 256, '`user` must be a string of at most 256 characters.']],
    ['store', [orNull((v) => typeof v === 'boolean'), '`store` must be a boolean.']],
    [
      'text',
      [
        o.allowedFields.includes('text') ? anyValue : plainText,
        '`text.format` other than `{ "type": "text" }` is not accepted here.',
      ],
    ],
  ]);
  const roles = new Set(o.allowedRoles);
  if (roles.has('system') || roles.has('developer'))
    fields.set('instructions', [orNull((v) => typeof v === 'string'), '`instructions` must be a string.']);
  const extra = [
    ...(o.allowTools ? TOOL_FIELDS : []),
    ...(o.allowLogprobs ? ['top_logprobs'] : []),
    ...(o.allowStoredContext ? STORED_CONTEXT : []),
    ...o.allowedFields,
  ];
  for (const name of extra) if (!fields.has(name)) fields.set(name, [anyValue, '']);
  return fields;
}

/** Compiles the schema for these options; the result returns the first violation, or undefined. */
export function compileResponsesSchema(
  o: ResponsesSchemaOptions,
): (body: Record<string, unknown>) => SchemaViolation | undefined {
  const roles = new Set(o.allowedRoles);
  const roleMessage = `The role is not accepted here: clients may send ${[...roles].join(', ')}.`;
  const items = new Set([...(o.allowTools ? TOOL_ITEMS : []), ...o.allowedItems]);
  const fields = fieldTable(o);
  const partMessage = o.allowNonText
    ? 'Content must be a string or an array of content parts.'
    : 'Content must be a string or an array of text parts (`input_text`).';

  function checkParts(content: unknown, role: string, i: number): SchemaViolation | undefined {
    if (typeof content === 'string') return undefined;
    const bad = { message: partMessage, param: `input[${i}].content` };
    if (!Array.isArray(content) || content.length === 0) return bad;
    const textTypes = TEXT_PARTS[role] ?? ['input_text'];
    for (let j = 0; j < content.length; j++) {
      const part = content[j] as unknown;
      if (!isObject(part) || typeof part.type !== 'string') return bad;
      if (textTypes.includes(part.type)) {
        const key = part.type === 'refusal' ? 'refusal' : 'text';
        if (typeof part[key] !== 'string') return bad;
        // Output parts echoed back by a client carry annotations and logprobs: not text, not screened, dropped by no one.
        if (part.type === 'input_text')
          for (const k of Object.keys(part))
            if (k !== 'type' && k !== 'text') return unknownField(`input[${i}].content[${j}].${k}`);
      } else if (!o.allowNonText) return bad;
    }
    return undefined;
  }

  function checkItem(item: unknown, i: number): SchemaViolation | undefined {
    if (!isObject(item)) return { message: 'Each input item must be an object.', param: `input[${i}]` };
    if (item.type !== undefined && item.type !== 'message') {
      if (typeof item.type === 'string' && items.has(item.type)) return undefined;
      return { message: 'This input item type is not accepted here.', param: `input[${i}].type` };
    }
    if (typeof item.role !== 'string' || !roles.has(item.role))
      return { message: roleMessage, param: `input[${i}].role` };
    const bad = checkParts(item.content, item.role, i);
    if (bad) return bad;
    for (const key of Object.keys(item))
      if (key !== 'type' && key !== 'role' && key !== 'content' && key !== 'id' && key !== 'status')
        return unknownField(`input[${i}].${key}`);
    return undefined;
  }

  return function checkResponsesBody(body) {
    const input = body.input;
    if (typeof input === 'string') {
      if (input.length === 0) return { message: '`input` must be a non-empty string or array.', param: 'input' };
    } else if (!Array.isArray(input) || input.length === 0) {
      return { message: '`input` must be a non-empty string or array.', param: 'input' };
    } else {
      for (let i = 0; i < input.length; i++) {
        const bad = checkItem(input[i], i);
        if (bad) return bad;
      }
    }
    for (const key of Object.keys(body)) {
      if (key === 'input') continue;
      const field = fields.get(key);
      if (field === undefined) return unknownField(key);
      const value = body[key];
      if (value !== undefined && !field[0](value)) return { message: field[1], param: key };
    }
    return undefined;
  };
}
