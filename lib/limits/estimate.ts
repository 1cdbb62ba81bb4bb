// What a request will cost before it runs: the prompt by estimate, the completion by what
// the client asked for (capped), as OpenAI's own token-per-minute limiter counts max_tokens.

import { estimatePromptTokens, requestMessages } from '../core/openai-types.js';
import { inputAsMessages, isResponsesBody } from '../responses/types.js';

const MAX_CHOICES = 128;

/**
 * Tokens to reserve for a Chat Completions or Responses body: prompt estimate plus the requested
 * completion tokens (`max_completion_tokens`, `max_tokens` or `max_output_tokens`, clamped to `cap`; `cap` when
 * absent), times `n` choices.
 */
export function estimateRequestTokens(body: unknown, cap: number): number {
  if (typeof body !== 'object' || body === null) return cap;
  const b = body as Record<string, unknown>;
  const prompt = estimatePromptTokens(requestMessages(b) ?? (isResponsesBody(b) ? inputAsMessages(b) : []));
  const asked = [b.max_completion_tokens, b.max_tokens, b.max_output_tokens].find(
    (v) => Number.isSafeInteger(v) && (v as number) > 0,
  ) as number | undefined;
  const completion = Math.min(asked ?? cap, cap);
  const n = Number.isSafeInteger(b.n) && (b.n as number) > 1 ? Math.min(b.n as number, MAX_CHOICES) : 1;
  return prompt + completion * n;
}
