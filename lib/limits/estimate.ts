// What a request will cost before it runs: the prompt by estimate, the completion by what
// the client asked for (capped), as OpenAI's own token-per-minute limiter counts max_tokens.

import { contentText, type ChatMessage } from '../core/openai-types.js';
import { estimateTokens } from '../detect/tokens.js';

/** Tokens of framing per message (role, separators), as in OpenAI's counting guide. */
const PER_MESSAGE = 4;
const MAX_CHOICES = 128;

/**
 * Tokens to reserve for a Chat Completions body: prompt estimate plus the requested
 * completion tokens (`max_completion_tokens` or `max_tokens`, clamped to `cap`; `cap` when
 * absent), times `n` choices.
 */
export function estimateRequestTokens(body: unknown, cap: number): number {
  if (typeof body !== 'object' || body === null) return cap;
  const b = body as Record<string, unknown>;
  let prompt = 0;
  if (Array.isArray(b.messages)) {
    for (const m of b.messages as unknown[])
      if (typeof m === 'object' && m !== null)
        prompt += estimateTokens(contentText((m as ChatMessage).content)) + PER_MESSAGE;
  } else if (typeof b.prompt === 'string') {
    prompt += estimateTokens(b.prompt) + PER_MESSAGE;
  }
  const asked = [b.max_completion_tokens, b.max_tokens].find((v) => Number.isSafeInteger(v) && (v as number) > 0) as
    number | undefined;
  const completion = Math.min(asked ?? cap, cap);
  const n = Number.isSafeInteger(b.n) && (b.n as number) > 1 ? Math.min(b.n as number, MAX_CHOICES) : 1;
  return prompt + completion * n;
}
