import OpenAI from 'openai';
import type { LLMClient } from './openai-types.js';

/**
 * The OpenAI client every factory builds when given none: from `OPENAI_API_KEY` and
 * `OPENAI_BASE_URL`, or undefined when no key is set (the factory then says what to pass).
 *
 * The SDK logs unparsable provider output verbatim at `error` level; provider text must
 * not reach the logs, so logging is off unless `OPENAI_LOG` asks for it (someone debugging
 * on purpose). Retries are left to the caller's request options: `callLLM` turns the SDK's
 * off on every request because it retries with its own policy.
 */
export function openAIClientFromEnv(): LLMClient | undefined {
  const apiKey = process.env.OPENAI_API_KEY;
  if (!apiKey) return undefined;
  return new OpenAI({
    apiKey,
    ...(process.env.OPENAI_BASE_URL ? { baseURL: process.env.OPENAI_BASE_URL } : {}),
    ...(process.env.OPENAI_LOG ? {} : { logLevel: 'off' as const }),
  }) as unknown as LLMClient;
}
