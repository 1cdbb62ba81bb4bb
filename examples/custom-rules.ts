// A custom prompt rule and a custom audit logger on top of the preset.
//   npx tsx examples/custom-rules.ts   (PORT; DEMO_KEY, default custom-rules-key-0123456789)
// Then send a request to POST /v1/chat/completions with `Authorization: Bearer <that key>`.

import express from 'express';
import { createMockLLM, llmShield, type AuditLogger, type PromptRule } from '../lib/index.js';

// Refuse prompts that ask about a competitor; only record (flag) prompts that mention pricing.
const rules: PromptRule[] = [
  ({ text }) =>
    /\bacme corp\b/i.test(text)
      ? { type: 'competitor', message: 'Questions about competitors are not answered here.' }
      : null,
  ({ text }) => (/\bprice|pricing\b/i.test(text) ? { type: 'pricing_question', action: 'flag' } : null),
];

// Any object with info / warn / error works; here, one compact line per request on stderr.
const logger: AuditLogger = {
  info: (r) => console.error(`[audit] ${summary(r)}`),
  warn: (r) => console.error(`[audit:warn] ${summary(r)}`),
  error: (r) => console.error(`[audit:error] ${summary(r)}`),
};
function summary(record: object): string {
  const r = record as {
    requestId: string;
    keyId: string | null;
    status: number;
    outcome: string;
    code: string | null;
    findings: Array<{ type: string }>;
  };
  return `${r.requestId} key=${r.keyId} ${r.status} ${r.outcome}${r.code ? ` ${r.code}` : ''} findings=${r.findings.map((f) => f.type).join(',') || '-'}`;
}

const app = express();
app.use(
  '/v1',
  llmShield({
    client: createMockLLM(),
    model: 'mock-model',
    keys: [{ id: 'demo', key: process.env.DEMO_KEY ?? 'custom-rules-key-0123456789' }],
    validate: { rules },
    audit: { logger },
  }),
);

const server = app.listen(Number(process.env.PORT ?? 3002), () => {
  const address = server.address();
  console.log(
    `custom-rules example listening on http://localhost:${typeof address === 'object' && address ? address.port : ''}`,
  );
});
