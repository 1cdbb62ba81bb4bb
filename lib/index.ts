// Named exports only.
export { llmShield, type LLMShieldOptions } from './shield.js';
export {
  auditLog,
  type AuditLogOptions,
  type AuditLogger,
  type AuditRecord,
  type AuditFinding,
  type AuditOutcome,
  type OwaspLlmId,
} from './middleware/audit-log.js';
export { apiKeyAuth, type ApiKeyAuthOptions, type ApiKeyEntry, type VerifyKey } from './middleware/api-key-auth.js';
export {
  rateLimitByKey,
  type RateLimitByKeyOptions,
  type TokenBudgetOptions,
  type ConcurrencyOptions,
  type RedisClientLike,
} from './middleware/rate-limit-by-key.js';
export {
  validatePrompt,
  type ValidatePromptOptions,
  type PromptRule,
  type PromptRuleInput,
  type PromptRuleResult,
} from './middleware/validate-prompt.js';
export { filterOutput, type FilterOutputOptions } from './middleware/filter-output.js';
export type { ModerationCheck, ModerationOption, ModerationOptions } from './core/moderation.js';
export { callLLM, type CallLLMOptions } from './middleware/call-llm.js';
export { errorHandler, type ErrorHandlerOptions } from './middleware/error-handler.js';
export { scanText } from './detect/scan.js';
export { estimateTokens } from './detect/tokens.js';
export type { DetectorAction, DetectorName, Finding, ScanOptions, ScanResult } from './detect/types.js';
export { getShieldState, type ShieldState, type Principal, type StateFinding } from './core/state.js';
export { createMockLLM, MockAPIError, type MockLLM, type MockLLMOptions, type MockFailure } from './mock/mock-llm.js';
export { verifyAuditChain, type ChainVerdict, type VerifyAuditChainOptions } from './core/audit-chain.js';
export { ShieldError, type ShieldErrorCode, type ShieldErrorType } from './core/errors.js';
export type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionRequest,
  ChatMessage,
  LLMClient,
  Usage,
} from './core/openai-types.js';
