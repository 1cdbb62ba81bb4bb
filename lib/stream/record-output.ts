// Output findings into the shield state, one way for every output filter (chat and Responses,
// JSON and streamed). In monitor mode a finding that would have blocked also records the
// would-block code; the text it covers was kept.

import { recordWouldBlock } from '../core/monitor.js';
import { recordFindings, type ShieldState } from '../core/state.js';
import type { FilterVerdict } from './output-policy.js';

export function recordOutput(state: ShieldState, findings: FilterVerdict['findings'], monitor = false): void {
  if (findings.length === 0) return;
  recordFindings(
    state,
    findings.map((f) => ({ stage: 'output' as const, ...f })),
  );
  if (monitor && findings.some((f) => f.action === 'block')) recordWouldBlock(state, 'content_filter');
}
