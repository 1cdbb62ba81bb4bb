/** The named exports SPEC §1 promises (at least). */
export const SPEC_EXPORTS = [
  'llmShield',
  'auditLog',
  'apiKeyAuth',
  'rateLimitByKey',
  'validatePrompt',
  'filterOutput',
  'callLLM',
  'errorHandler',
  'scanText',
  'getShieldState',
  'createMockLLM',
  'verifyAuditChain',
  'ShieldError',
] as const;
