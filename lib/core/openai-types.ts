import { estimateTokens } from '../detect/tokens.js';
import { forEachText, type TextField } from './message-text.js';

// The slice of OpenAI's Chat Completions wire format this package reads and writes.
// Kept here rather than imported from `openai` so that any SDK major (5, 6, 7) fits.

export interface TextPart {
  type: 'text';
  text: string;
}

export interface ChatMessage {
  role: string;
  content: string | TextPart[] | null;
  name?: string;
  [extra: string]: unknown;
}

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  [extra: string]: unknown;
}

export interface ChatCompletionRequest {
  model?: string;
  messages: ChatMessage[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean } | null;
  max_tokens?: number;
  max_completion_tokens?: number;
  [extra: string]: unknown;
}

export interface ChatCompletion {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: Array<{
    index: number;
    message: { role: string; content: string | null; refusal?: string | null; [extra: string]: unknown };
    finish_reason: string | null;
    logprobs?: unknown;
  }>;
  usage?: Usage;
  [extra: string]: unknown;
}

export interface ChatCompletionChunk {
  id: string;
  object: 'chat.completion.chunk';
  created: number;
  model: string;
  choices: Array<{
    index: number;
    delta: { role?: string; content?: string | null; refusal?: string | null; [extra: string]: unknown };
    finish_reason: string | null;
    logprobs?: unknown;
  }>;
  usage?: Usage | null;
  [extra: string]: unknown;
}

/** The part of an OpenAI client (`new OpenAI()`, or `createMockLLM()`) that is used. */
export interface LLMClient {
  chat: {
    completions: {
      create(body: any, options?: any): any;
    };
  };
  /** The Responses API (`POST /responses`), when the client speaks it. */
  responses?: { create(body: any, options?: any): any };
  models?: { list(options?: any): any };
  moderations?: { create(body: any, options?: any): any };
}

/** Tokens of framing per message (role, separators), as in OpenAI's counting guide. */
export const MESSAGE_OVERHEAD_TOKENS = 4;

/**
 * Estimated prompt tokens of a message list: every text the provider reads (content, refusal,
 * name, tool calls), as validatePrompt screens them. Tolerates what a client may have sent before
 * validation (entries that are not messages count as nothing).
 */
export function estimatePromptTokens(messages: readonly unknown[]): number {
  let tokens = 0;
  const count = (_field: TextField, _sub: number, text: string): void => {
    tokens += estimateTokens(text);
  };
  for (const m of messages)
    if (typeof m === 'object' && m !== null) {
      forEachText(m as Record<string, unknown>, count);
      tokens += MESSAGE_OVERHEAD_TOKENS;
    }
  return tokens;
}

/**
 * The messages a body asks for: its `messages` array, or the `{ "prompt": "…" }` shorthand
 * as one user message; undefined when it has neither.
 */
export function requestMessages(body: Record<string, unknown>): ChatMessage[] | undefined {
  if (Array.isArray(body.messages)) return body.messages as ChatMessage[];
  if (body.messages === undefined && typeof body.prompt === 'string' && body.prompt.length > 0)
    return [{ role: 'user', content: body.prompt }];
  return undefined;
}

/** Plain text of a message's content (text parts joined). */
export function contentText(content: ChatMessage['content']): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  let text = '';
  for (const part of content) if (part && part.type === 'text' && typeof part.text === 'string') text += part.text;
  return text;
}
