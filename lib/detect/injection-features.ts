/**
 * Features for the injection model, shared by the detector and `scripts/train-injection.ts`
 * so that training and inference can never drift apart.
 *
 * Hashed word unigrams and bigrams over the leetspeak-folded, lower-cased view. Words
 * generalize across jailbreak families better than character n-grams, which latch on to
 * the names of particular personas; presence (not counts) and a 1/sqrt(n) scale keep long
 * prompts from scoring high merely for being long.
 *
 * The same single pass over the characters also yields the word tokens the phrase rules
 * start from (see injection.ts), so a prompt is tokenized once. Words are hashed straight
 * from character codes: no substring is allocated per word, and de-duplication uses a
 * generation-stamped table instead of a `Set`, which is what keeps this pass at a few
 * microseconds for a typical prompt.
 */

/** Number of hash buckets; a power of two. */
export const FEATURE_BUCKETS = 1 << 13;

/** Words read per text; the start of a prompt carries the set-up of a jailbreak. */
export const MAX_WORDS = 600;

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a, 32-bit, of a whole string: the hash {@link tokenize} gives a word. */
export function hashWord(s: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h >>> 0;
}

/** Sparse feature vector: distinct bucket indices and the common value of each. */
export interface Features {
  idx: number[];
  value: number;
}

/** Receives each word token: its hash and its span in the scanned string. */
export type WordSink = (hash: number, start: number, end: number) => void;

// Function words and the neutral framing of any role prompt ("I want you to act as …"):
// attack and benign prompts share them, so as features they only teach the model the
// phrasing of its training sources. Unigrams of these and bigrams of two of them are left out.
const COMMON = new Set(
  (
    'a an the and or but if then so to of in on at by for with from into about as is are was were be been being am ' +
    'i me my we our you your yours he she it its they them their this that these those there here what which who whom ' +
    'will would can could should shall may might must do does did done have has had not no yes all any some each ' +
    'every one also just only very more most than too up out over under again further once when where why how ' +
    'want like act acting pretend please let make give write tell answer reply respond provide use using ' +
    'll ve re don t s m d'
  )
    .split(' ')
    .map(hashWord),
);

/** Words are looked up by the low 16 bits of their hash first: most words are in no table. */
const PREFILTER_BITS = 0xffff;
const commonMaybe = new Uint8Array(PREFILTER_BITS + 1);
for (const h of COMMON) commonMaybe[h & PREFILTER_BITS] = 1;

/**
 * A prefilter for {@link scoreWords}' sink: the sink is called only for words whose hash
 * has its low 16 bits marked here (false positives are fine; the sink checks).
 */
export function wordPrefilter(words: Iterable<string>): Uint8Array {
  const table = new Uint8Array(PREFILTER_BITS + 1);
  for (const w of words) table[hashWord(w) & PREFILTER_BITS] = 1;
  return table;
}

// Scratch state reused by every call (JavaScript runs one scan at a time per thread).
const stamp = new Uint32Array(FEATURE_BUCKETS);
let generation = 0;
const scratch = new Int32Array(MAX_WORDS * 2);

function isWordChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39);
}

/**
 * One pass over `leet`: reports every `[a-z0-9]+` token to `sink` and fills the scratch
 * table with the distinct feature buckets of the first {@link MAX_WORDS} words of two or
 * more characters (a word's bigram is with the previous such word). Returns how many
 * buckets were filled.
 */
function scan(leet: string, sink: WordSink | undefined, filter: Uint8Array | undefined): number {
  generation = (generation + 1) >>> 0;
  if (generation === 0) {
    stamp.fill(0);
    generation = 1;
  }
  const gen = generation;
  const n = leet.length;
  let count = 0;
  let words = 0;
  let prevHash = 0;
  let havePrev = false;
  let prevCommon = false;
  let i = 0;
  while (i < n) {
    let c = leet.charCodeAt(i);
    if (!isWordChar(c)) {
      i++;
      continue;
    }
    const start = i;
    let h = FNV_OFFSET;
    do {
      h = Math.imul(h ^ c, FNV_PRIME);
      i++;
      c = i < n ? leet.charCodeAt(i) : 0;
    } while (i < n && isWordChar(c));
    h >>>= 0;
    if (sink !== undefined && (filter === undefined || filter[h & PREFILTER_BITS] === 1)) sink(h, start, i);
    if (i - start < 2 || words >= MAX_WORDS) continue;
    words++;
    const common = commonMaybe[h & PREFILTER_BITS] === 1 && COMMON.has(h);
    let b = h & (FEATURE_BUCKETS - 1);
    if (!common && stamp[b] !== gen) {
      stamp[b] = gen;
      scratch[count++] = b;
    }
    if (havePrev && !(common && prevCommon)) {
      // The bigram's hash mixes the two word hashes (no second pass over the characters).
      let bh = Math.imul(prevHash, 0x9e3779b1) ^ h;
      bh = Math.imul(bh ^ (bh >>> 15), 0x85ebca6b);
      b = ((bh ^ (bh >>> 13)) >>> 0) & (FEATURE_BUCKETS - 1);
      if (stamp[b] !== gen) {
        stamp[b] = gen;
        scratch[count++] = b;
      }
    }
    prevHash = h;
    prevCommon = common;
    havePrev = true;
  }
  return count;
}

/** Extract hashed features from the `leet` view of a text (used by training). */
export function extractFeatures(leet: string): Features {
  const count = scan(leet, undefined, undefined);
  const idx = Array.from(scratch.subarray(0, count));
  return { idx, value: count === 0 ? 0 : 1 / Math.sqrt(count) };
}

/**
 * Model probability for `leet` in the same pass that reports word tokens to `sink`, without
 * materializing the feature vector.
 */
export function scoreWords(
  leet: string,
  weights: ArrayLike<number>,
  bias: number,
  sink?: WordSink,
  filter?: Uint8Array,
): number {
  const count = scan(leet, sink, filter);
  if (count === 0) return 1 / (1 + Math.exp(-bias));
  let z = 0;
  for (let k = 0; k < count; k++) z += weights[scratch[k] as number] as number;
  return 1 / (1 + Math.exp(-(bias + z / Math.sqrt(count))));
}

/** Logistic model output for `f` given `weights` (length FEATURE_BUCKETS) and `bias`. */
export function predict(f: Features, weights: ArrayLike<number>, bias: number): number {
  let z = bias;
  for (const i of f.idx) z += (weights[i] ?? 0) * f.value;
  return 1 / (1 + Math.exp(-z));
}
