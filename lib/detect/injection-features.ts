/**
 * Features for the injection model, shared by the detector and `scripts/train-injection.ts`
 * so that training and inference can never drift apart.
 *
 * Hashed word unigrams and bigrams over the leetspeak-folded, lower-cased view. Words
 * generalize across jailbreak families better than character n-grams, which latch on to
 * the names of particular personas; presence (not counts) and a 1/sqrt(n) scale keep long
 * prompts from scoring high merely for being long.
 */

/** Number of hash buckets; a power of two. */
export const FEATURE_BUCKETS = 1 << 13;

/** Words read per text; the start of a prompt carries the set-up of a jailbreak. */
export const MAX_WORDS = 600;

const WORD = /[a-z][a-z']{1,24}/g;

// FNV-1a, 32-bit: fast, stable across platforms, good enough spread for 8k buckets.
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Sparse feature vector: distinct bucket indices and the common value of each. */
export interface Features {
  idx: number[];
  value: number;
}

/** Extract hashed features from the `leet` view of a text. */
export function extractFeatures(leet: string): Features {
  const seen = new Set<number>();
  WORD.lastIndex = 0;
  let prev = '';
  let count = 0;
  for (let m = WORD.exec(leet); m !== null && count < MAX_WORDS; m = WORD.exec(leet)) {
    const w = m[0];
    count++;
    seen.add(hash(w) & (FEATURE_BUCKETS - 1));
    if (prev !== '') seen.add(hash(prev + ' ' + w) & (FEATURE_BUCKETS - 1));
    prev = w;
  }
  const idx = [...seen];
  return { idx, value: idx.length === 0 ? 0 : 1 / Math.sqrt(idx.length) };
}

/** Logistic model output for `f` given `weights` (length FEATURE_BUCKETS) and `bias`. */
export function predict(f: Features, weights: ArrayLike<number>, bias: number): number {
  let z = bias;
  for (const i of f.idx) z += (weights[i] ?? 0) * f.value;
  return 1 / (1 + Math.exp(-z));
}
