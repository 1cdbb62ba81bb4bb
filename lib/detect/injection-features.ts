/**
 * Features for the injection model, shared by the detector and `scripts/train-injection.ts`
 * so that training and inference can never drift apart.
 *
 * Three groups, one sparse vector:
 *
 * - hashed word unigrams and bigrams of the leetspeak-folded, lower-cased view, minus
 *   function words and the neutral framing of any role prompt ("I want you to act as");
 * - hashed character 3- to 5-grams of the letters of the same view (anything else reads as
 *   one space), which carry what word features miss: other languages, inflections, spelling
 *   variants, words run together;
 * - structural indicators (one slot each, after the hashed buckets): the phrase rules, the
 *   lexicon classes and their conjunctions, the suffix heuristics (injection.ts fills them).
 *
 * Each hashed group is presence-coded and scaled by 1/sqrt(its number of distinct
 * features), so a long prompt does not score high merely for being long; the group scales
 * below are hyper-parameters chosen on the leave-one-source-out run.
 *
 * The word pass also reports each word token to the rule engine (injection.ts), so a
 * prompt is tokenized once. Hashes are computed from character codes (no substring per word)
 * and de-duplication uses a generation-stamped table instead of a `Set`.
 */

/** Number of hash buckets shared by word and character n-grams; a power of two. */
export const HASH_BUCKETS = 1 << 16;

/** Words read per text; the start of a prompt carries the set-up of a jailbreak. */
export const MAX_WORDS = 600;

/** Characters read for character n-grams: the head of the text, and its tail. */
export const CHAR_HEAD = 1500;
export const CHAR_TAIL = 300;

/** Group scales: how much the word and character groups weigh against the indicators. */
export const WORD_SCALE = 1;
export const CHAR_SCALE = 1;

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a, 32-bit, of a whole string: the hash {@link scanWords} gives a word. */
export function hashWord(s: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h >>> 0;
}

/** Receives each word token: its hash and its span in the scanned string. */
export type WordSink = (hash: number, start: number, end: number) => void;

// Function words and the neutral framing of any role prompt: attack and benign prompts share
// them, so as features they only teach the model the phrasing of its training sources.
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
 * A prefilter for {@link scanWords}' sink: the sink is called only for words whose hash
 * has its low 16 bits marked here (false positives are fine; the sink checks).
 */
export function wordPrefilter(words: Iterable<string>): Uint8Array {
  const table = new Uint8Array(PREFILTER_BITS + 1);
  for (const w of words) table[hashWord(w) & PREFILTER_BITS] = 1;
  return table;
}

/**
 * The sparse feature vector under construction. JavaScript runs one scan at a time per
 * thread, so one module-level vector is reused by every call.
 */
export interface FeatureVector {
  idx: Int32Array;
  val: Float32Array;
  count: number;
}

const CAPACITY = MAX_WORDS * 2 + (CHAR_HEAD + CHAR_TAIL) * 3 + 1024;
export const vector: FeatureVector = { idx: new Int32Array(CAPACITY), val: new Float32Array(CAPACITY), count: 0 };

// Generation stamps de-duplicate buckets within one text.
const stamp = new Uint32Array(HASH_BUCKETS);
let generation = 0;

/** Start a new vector. */
export function resetVector(): void {
  generation = (generation + 1) >>> 0;
  if (generation === 0) {
    stamp.fill(0);
    generation = 1;
  }
  vector.count = 0;
}

/** Append a structural indicator (no de-duplication: the caller sets each slot once). */
export function pushFeature(index: number, value: number): void {
  if (vector.count >= CAPACITY) return;
  vector.idx[vector.count] = index;
  vector.val[vector.count] = value;
  vector.count++;
}

function pushBucket(b: number): boolean {
  if (stamp[b] === generation || vector.count >= CAPACITY) return false;
  stamp[b] = generation;
  vector.idx[vector.count++] = b;
  return true;
}

/**
 * Features a group is normalized as having at least: a two-word prompt ("Tell me.") must
 * not give each of its few n-grams the weight of a whole text.
 */
const MIN_GROUP = 40;

/** Give the hashed entries from `from` on the value `scale`/sqrt(their number). */
function scaleGroup(from: number, scale: number): void {
  const n = vector.count - from;
  if (n === 0) return;
  const v = scale / Math.sqrt(Math.max(n, MIN_GROUP));
  vector.val.fill(v, from, vector.count);
}

function isWordChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39);
}

function mix(a: number, b: number): number {
  let h = Math.imul(a, 0x9e3779b1) ^ b;
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  return (h ^ (h >>> 13)) >>> 0;
}

/**
 * One pass over `leet`: reports every `[a-z0-9]+` token to `sink` (when its hash passes
 * `filter`) and appends the word unigram and bigram buckets of the first {@link MAX_WORDS}
 * words of two or more characters (a word's bigram is with the previous such word).
 */
/** Counts of the last {@link scanWords} pass: words read, and those that are English function words. */
export const wordStats = { words: 0, common: 0 };

export function scanWords(leet: string, sink: WordSink | undefined, filter: Uint8Array | undefined): void {
  const from = vector.count;
  const n = leet.length;
  let words = 0;
  let commonWords = 0;
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
    if (common) commonWords++;
    if (!common) pushBucket(h & (HASH_BUCKETS - 1));
    if (havePrev && !(common && prevCommon)) pushBucket(mix(prevHash, h) & (HASH_BUCKETS - 1));
    prevHash = h;
    prevCommon = common;
    havePrev = true;
  }
  wordStats.words = words;
  wordStats.common = commonWords;
  scaleGroup(from, WORD_SCALE);
}

/** Letters outside ASCII in `s` (accented Latin, Cyrillic, CJK, …), not punctuation or emoji. */
export function foreignLetters(s: string): number {
  let count = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xc0 && !(c >= 0x2000 && c <= 0x2bff) && !(c >= 0x3000 && c <= 0x303f) && !(c >= 0xd800 && c <= 0xdfff))
      count++;
  }
  return count;
}

/** Drop every hashed n-gram from the vector (the structural indicators are pushed after). */
export function dropHashed(): void {
  vector.count = 0;
}

// Character n-grams hash with their own seed, so they do not collide with words by design.
const CHAR_SEED = 0x2545f491;

/** Append the character 3-, 4- and 5-gram buckets of the head and tail of `leet`. */
export function scanChars(leet: string): void {
  const from = vector.count;
  const n = leet.length;
  if (n <= CHAR_HEAD + CHAR_TAIL) charGrams(leet, 0, n);
  else {
    charGrams(leet, 0, CHAR_HEAD);
    charGrams(leet, n - CHAR_TAIL, n);
  }
  scaleGroup(from, CHAR_SCALE);
}

function charGrams(s: string, start: number, end: number): void {
  // The last five characters read. Every ASCII character but a letter reads as a space (runs
  // collapsed): punctuation and layout describe a source's format (Markdown, templates), not
  // the task, and they made held-out documentation look like attacks.
  let c1 = -1;
  let c2 = -1;
  let c3 = -1;
  let c4 = -1;
  for (let i = start; i < end; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80 ? !(c >= 0x61 && c <= 0x7a) : c === 0xa0 || (c >= 0x2000 && c <= 0x206f)) {
      if (c4 === 0x20) continue;
      c = 0x20;
    }
    if (c2 >= 0) {
      let h = Math.imul(CHAR_SEED ^ c2, FNV_PRIME);
      h = Math.imul(h ^ c3, FNV_PRIME);
      h = Math.imul(h ^ c4, FNV_PRIME);
      h = Math.imul(h ^ c, FNV_PRIME);
      pushBucket((h >>> 0) & (HASH_BUCKETS - 1));
      if (c1 >= 0) {
        h = Math.imul(Math.imul(CHAR_SEED ^ c1, FNV_PRIME) ^ c2, FNV_PRIME);
        h = Math.imul(h ^ c3, FNV_PRIME);
        h = Math.imul(h ^ c4, FNV_PRIME);
        h = Math.imul(h ^ c, FNV_PRIME);
        pushBucket((h >>> 0) & (HASH_BUCKETS - 1));
      }
    }
    if (c3 >= 0) {
      let h = Math.imul(CHAR_SEED ^ c3, FNV_PRIME);
      h = Math.imul(h ^ c4, FNV_PRIME);
      h = Math.imul(h ^ c, FNV_PRIME);
      pushBucket((h >>> 0) & (HASH_BUCKETS - 1));
    }
    c1 = c2;
    c2 = c3;
    c3 = c4;
    c4 = c;
  }
}

/** The margin (log-odds) of a linear model over the current vector. */
export function vectorMargin(weights: ArrayLike<number>, bias: number): number {
  let z = bias;
  for (let k = 0; k < vector.count; k++) z += (weights[vector.idx[k] as number] as number) * (vector.val[k] as number);
  return z;
}

/** A copy of the current vector (training keeps one per row). */
export function copyVector(): { idx: Int32Array; val: Float32Array } {
  return { idx: vector.idx.slice(0, vector.count), val: vector.val.slice(0, vector.count) };
}
