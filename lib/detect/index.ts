/**
 * The detection core: pure functions over text, no HTTP. Input validation and output
 * filtering both call {@link scanText}.
 */
export { scanText } from './scan.js';
export { estimateTokens } from './tokens.js';
export { stableBoundary, MAX_MATCH_LENGTH, PRIVATE_KEY_MAX_LENGTH } from './boundary.js';
export type { DetectorAction, DetectorName, Finding, ScanOptions, ScanResult } from './types.js';
