// `npx tsx bench/i18n-floods.ts [lib-dir]`: scanText (PII and secrets off) on 100 KB floods of
// each language's attack phrases and of prose in each script, best of three, in ms. Run it once
// per build in separate processes (loading two builds in one process slows the second) and
// alternate the runs; the cap is 50 ms per 100 KB input.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LANGUAGE_FLOODS, repeatTo } from './scan-inputs.js';

const dir = resolve(process.argv[2] ?? 'lib');
const { scanText } = (await import(
  pathToFileURL(`${dir}/detect/index.ts`).href
)) as typeof import('../lib/detect/index.js');

for (const [name, phrase] of LANGUAGE_FLOODS) {
  const text = repeatTo(100_000, () => phrase);
  let best = Infinity;
  for (let k = 0; k < 3; k++) {
    const t0 = performance.now();
    scanText(text, { pii: 'off', secrets: 'off' });
    best = Math.min(best, performance.now() - t0);
  }
  console.log(`${name.padEnd(10)} ${best.toFixed(1).padStart(6)} ms`);
}
