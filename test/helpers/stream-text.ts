// The output filter's text policy and its streaming half, for tests that check that streamed
// output equals whole-text filtering however the text is cut.

import { OutputPolicy, policyConfig } from '../../lib/stream/output-policy.js';
import { StreamTextFilter } from '../../lib/stream/text-filter.js';

/** A text policy with these detectors' actions (injection off, no URLs, no patterns, no canary). */
export function textPolicy(pii: 'redact' | 'off', secrets: 'redact' | 'off'): OutputPolicy {
  return new OutputPolicy(
    policyConfig({
      scan: { injection: 'off', pii, secrets, normalize: false },
      urls: undefined,
      patterns: [],
      canary: false,
    }),
  );
}

/** What streaming `text` through `policy` sends, cut at `cuts` (any order, repeats and out-of-range values folded in). */
export function streamCut(policy: OutputPolicy, text: string, cuts: readonly number[]): string {
  const at = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  const f = new StreamTextFilter(policy);
  let out = '';
  let prev = 0;
  for (const c of [...at, text.length]) {
    out += f.push(text.slice(prev, c));
    prev = c;
  }
  return out + f.end();
}
