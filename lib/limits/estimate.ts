// What a request will cost before it runs: the prompt by estimate, the completion by what
// the client asked for (capped), as OpenAI's own token-per-minute limiter counts max_tokens.

import { estimatePromptTokens, requestMessages } from '../core/openai-types.js';
import { inputAsMessages, isResponsesBody } from '../responses/types.js';

const MAX_CHOICES = 128;

/** A Chat Completions body's expected cost, in parts. */
export interface TokenParts {
  /** Estimated prompt tokens. */
  prompt: number;
  /** Completion tokens per choice: what the client asked for, clamped to the cap; the cap when it asked nothing. */
  completion: number;
  /** Choices asked for (`n`), at least 1. */
  choices: number;
}

/**
 * The completion limit a body asks for, when a positive integer: `max_completion_tokens`, else
 * `max_tokens` (Chat Completions), else `max_output_tokens` (Responses).
 */
function askedCompletion(b: Record<string, unknown>): number | undefined {
  return [b.max_completion_tokens, b.max_tokens, b.max_output_tokens].find(
    (v) => Number.isSafeInteger(v) && (v as number) > 0,
  ) as number | undefined;
}

/** The parts of `estimateRequestTokens`; any body gives an answer (the cap alone for a non-object). */
export function requestTokenParts(body: unknown, cap: number): TokenParts {
  if (typeof body !== 'object' || body === null) return { prompt: 0, completion: cap, choices: 1 };
  const b = body as Record<string, unknown>;
  const prompt = estimatePromptTokens(requestMessages(b) ?? (isResponsesBody(b) ? inputAsMessages(b) : []));
  const completion = Math.min(askedCompletion(b) ?? cap, cap);
  const choices = Number.isSafeInteger(b.n) && (b.n as number) > 1 ? Math.min(b.n as number, MAX_CHOICES) : 1;
  return { prompt, completion, choices };
}

/**
 * Tokens to reserve for a Chat Completions or Responses body: prompt estimate plus the requested
 * completion tokens (`max_completion_tokens`, `max_tokens` or `max_output_tokens`, clamped to `cap`; `cap` when
 * absent), times `n` choices.
 */
export function estimateRequestTokens(body: unknown, cap: number): number {
  const { prompt, completion, choices } = requestTokenParts(body, cap);
  return prompt + completion * choices;
}

/**
 * Lowers a body's completion limit to `perChoice` tokens: each limit field the client set
 * that asks for more, or `max_completion_tokens` (OpenAI's current field, which every
 * OpenAI model takes) when it set none. Mutates the body, as validatePrompt's sanitizing
 * does, so that whatever sends the request upstream sends the lowered limit.
 */
export function lowerCompletionLimit(body: unknown, perChoice: number): void {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return;
  const b = body as Record<string, unknown>;
  let set = false;
  const responses = isResponsesBody(b);
  const fields = responses ? (['max_output_tokens'] as const) : (['max_completion_tokens', 'max_tokens'] as const);
  for (const field of fields) {
    const v = b[field];
    if (typeof v !== 'number') continue;
    set = true;
    // An invalid value is left for validation (or the provider) to refuse.
    if (Number.isSafeInteger(v) && v > perChoice) b[field] = perChoice;
  }
  if (!set) b[responses ? 'max_output_tokens' : 'max_completion_tokens'] = perChoice;
}
