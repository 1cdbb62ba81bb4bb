// The slice of OpenAI's Responses API wire format this package reads and writes, and the
// few facts about it the middlewares share: which bodies are Responses requests, the
// client's input seen as chat messages (for screening, limits and estimates), and usage in
// the Chat Completions names the shield state and audit record use.

import type { ChatMessage, TextPart, Usage } from '../core/openai-types.js';

/** A `POST /responses` body, as far as the shield reads it. */
export interface ResponsesRequest {
  model?: string;
  input: string | ResponseInputItem[];
  instructions?: string | null;
  stream?: boolean;
  max_output_tokens?: number | null;
  [extra: string]: unknown;
}

/** One input item: a message (`type` optional, as the API allows) or another item type. */
export interface ResponseInputItem {
  type?: string;
  role?: string;
  content?: string | ResponseContentPart[];
  [extra: string]: unknown;
}

/** A content part of a message: `input_text` / `output_text` / `refusal` carry text. */
export interface ResponseContentPart {
  type: string;
  text?: string;
  refusal?: string;
  [extra: string]: unknown;
}

/** One output item: `message`, `reasoning`, `function_call`, …. */
export interface ResponseOutputItem {
  type: string;
  id?: string;
  content?: ResponseContentPart[];
  summary?: Array<{ type: string; text: string; [extra: string]: unknown }>;
  arguments?: string;
  [extra: string]: unknown;
}

export interface ResponsesUsage {
  input_tokens: number;
  output_tokens: number;
  total_tokens: number;
  [extra: string]: unknown;
}

/** A `response` object, as answered as JSON and carried by the lifecycle events. */
export interface ResponseObject {
  id: string;
  object: 'response';
  status?: string;
  model?: string;
  output: ResponseOutputItem[];
  incomplete_details?: { reason: string } | null;
  usage?: ResponsesUsage | null;
  [extra: string]: unknown;
}

/** One streamed event (`response.created`, `response.output_text.delta`, …). */
export interface ResponseStreamEvent {
  type: string;
  sequence_number?: number;
  [extra: string]: unknown;
}

const has = (o: object, key: string) => Object.prototype.hasOwnProperty.call(o, key);

/**
 * Whether a parsed body is a Responses request: it has `input` and neither of the Chat
 * Completions fields (`messages`, the `{ prompt }` shorthand). The two APIs share no
 * required field, so the shape tells them apart wherever the middlewares are mounted.
 */
export function isResponsesBody(body: unknown): body is ResponsesRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  return has(body, 'input') && !has(body, 'messages') && !has(body, 'prompt');
}

/** Whether a value sent with `res.json` is a `response` object. */
export function isResponseObject(body: unknown): body is ResponseObject {
  return (
    typeof body === 'object' &&
    body !== null &&
    (body as { object?: unknown }).object === 'response' &&
    Array.isArray((body as { output?: unknown }).output)
  );
}

/** Item types whose text the shield screens as a message. */
const MESSAGE = 'message';
const TOOL_OUTPUT = 'function_call_output';

/** Whether an input item is a message (an item with a role and no other `type`). */
export function isMessageItem(item: ResponseInputItem): boolean {
  return item.type === undefined || item.type === MESSAGE;
}

const TEXT_PARTS = new Set(['input_text', 'output_text', 'text']);

/** The text a content part carries, if it is a text part. */
export function partText(part: ResponseContentPart): string | undefined {
  if (TEXT_PARTS.has(part.type) && typeof part.text === 'string') return part.text;
  if (part.type === 'refusal' && typeof part.refusal === 'string') return part.refusal;
  return undefined;
}

/**
 * The input as chat messages, one per item, in order (so `messages[i]` is `input[i]`): a
 * message's text parts as `text` parts (other parts kept as they are, unscanned), a tool's
 * output as a `tool` message, any other item as a message without content. A string input
 * is one user message. The client's `instructions`, when given, come first as a `system`
 * message.
 */
export function inputAsMessages(body: ResponsesRequest): ChatMessage[] {
  const out: ChatMessage[] = [];
  if (typeof body.instructions === 'string') out.push({ role: 'system', content: body.instructions });
  const input = body.input;
  if (typeof input === 'string') {
    out.push({ role: 'user', content: input });
    return out;
  }
  if (!Array.isArray(input)) return out;
  for (const item of input) out.push(itemAsMessage(item));
  return out;
}

function itemAsMessage(item: ResponseInputItem): ChatMessage {
  if (typeof item !== 'object' || item === null) return { role: 'user', content: null };
  if (item.type === TOOL_OUTPUT) return { role: 'tool', content: typeof item.output === 'string' ? item.output : null };
  if (!isMessageItem(item)) return { role: 'assistant', content: null };
  const role = typeof item.role === 'string' ? item.role : 'user';
  const content = item.content;
  if (typeof content === 'string') return { role, content };
  if (!Array.isArray(content)) return { role, content: null };
  const parts = content.map((p) => {
    const text = typeof p === 'object' && p !== null ? partText(p) : undefined;
    return (text === undefined ? p : { type: 'text', text }) as TextPart;
  });
  return { role, content: parts };
}

/**
 * The input rebuilt with the sanitized text of `clean` (as made by `inputAsMessages` and
 * then sanitized): the same items and parts, new objects where text changed.
 */
export function inputFromMessages(body: ResponsesRequest, clean: readonly ChatMessage[]): ResponsesRequest['input'] {
  const offset = typeof body.instructions === 'string' ? 1 : 0;
  const input = body.input;
  if (typeof input === 'string') return (clean[offset]?.content as string | undefined) ?? input;
  return input.map((item, i) => {
    const m = clean[i + offset];
    if (m === undefined || m.content === null) return item;
    if (item.type === TOOL_OUTPUT) return { ...item, output: m.content };
    if (typeof m.content === 'string') return { ...item, content: m.content };
    const parts = m.content;
    const content = (item.content as ResponseContentPart[]).map((p, j) => {
      const cleanPart = parts[j];
      if (cleanPart === undefined || cleanPart.type !== 'text' || partText(p) === undefined) return p;
      return p.type === 'refusal' ? { ...p, refusal: cleanPart.text } : { ...p, text: cleanPart.text };
    });
    return { ...item, content };
  });
}

/**
 * A `param` naming a place in the chat view (`messages[2].content[0].text`) renamed for
 * the Responses body it came from (`input[1].content[0].text`, `instructions`, `input`).
 */
export function responsesParam(body: ResponsesRequest, param: string | null): string | null {
  if (param === null || !param.startsWith('messages')) return param;
  const offset = typeof body.instructions === 'string' ? 1 : 0;
  const m = /^messages\[(\d+)\](.*)$/.exec(param);
  if (m === null) return 'input';
  const index = Number(m[1]) - offset;
  if (index < 0) return 'instructions';
  if (typeof body.input === 'string') return 'input';
  const rest = body.input[index]?.type === TOOL_OUTPUT ? '.output' : m[2]!;
  return `input[${index}]${rest}`;
}

/**
 * A response object as it may reach the client: without the `instructions` the provider
 * echoes back (the server's system prompt and its canary), and with the provider's own
 * error text (a `failed` response) replaced by ours.
 */
export function withoutInstructions<T extends object>(response: T): T {
  const r = response as { instructions?: unknown; error?: unknown };
  const error = typeof r.error === 'object' && r.error !== null ? (r.error as { code?: unknown }) : undefined;
  if (r.instructions == null && error === undefined) return response;
  const out = { ...response } as Record<string, unknown>;
  if (r.instructions != null) out.instructions = null;
  if (error !== undefined)
    out.error = { code: typeof error.code === 'string' ? error.code : 'server_error', message: 'The provider failed.' };
  return out as T;
}

/** Responses usage in the names the shield state and audit record use. */
export function usageOf(usage: ResponsesUsage | null | undefined): Usage | undefined {
  if (typeof usage !== 'object' || usage === null) return undefined;
  const prompt = Number(usage.input_tokens) || 0;
  const completion = Number(usage.output_tokens) || 0;
  const total = Number.isFinite(usage.total_tokens) ? usage.total_tokens : prompt + completion;
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: total };
}
