/**
 * Join words spelled out with one separator between letters (`i-g-n-o-r-e`, `I G N O R E`,
 * `i.g.n.o.r.e`) when the joined word is attack vocabulary. A model reads such text as the
 * word; a word-level matcher sees single letters. Only vocabulary words are joined, so
 * acronyms (`U.S.A.`), `e.g.` and spelled-out letters in a word game stay as written.
 */
import { ATTACK_VOCABULARY, GLUE_WORDS } from './vocabulary.js';

/** Aligned views and offset maps, as built by normalization. */
export interface Views {
  clean: string;
  fold: string;
  leet: string;
  startMap: Int32Array;
  endMap: Int32Array;
}

// Single letters separated by one repeated separator character; the backreference keeps
// `a-b c` from mixing separators. Each attempt fails within two characters
// unless a run is there, and a run is consumed once: linear.
const SPLIT_RUN = /(?<![a-z0-9])[a-z]([-._ *~+|/\\,:])[a-z](?:\1[a-z])*(?![a-z0-9])/g;
const SPLIT_HINT = /(?<![a-z0-9])[a-z][-._ *~+|/\\,:][a-z](?![a-z0-9])/;

const isLetter = (c: number): boolean => (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a;

/** A trie over the joinable words, as flat arrays: child index per (node, letter). */
class Trie {
  private child: Int32Array;
  private readonly word: Uint8Array;
  private readonly attack: Uint8Array;
  private size = 1;

  constructor(words: Iterable<string>, attackWords: ReadonlySet<string>) {
    const list = [...words];
    const cap = list.reduce((n, w) => n + w.length, 1);
    this.child = new Int32Array(cap * 26).fill(-1);
    this.word = new Uint8Array(cap);
    this.attack = new Uint8Array(cap);
    for (const w of list) {
      let node = 0;
      for (let i = 0; i < w.length; i++) {
        const slot = node * 26 + w.charCodeAt(i) - 0x61;
        if (this.child[slot] === -1) this.child[slot] = this.size++;
        node = this.child[slot] as number;
      }
      this.word[node] = 1;
      // Short vocabulary words (`dan`, `sudo`) are common letter sequences: they count as glue.
      if (attackWords.has(w) && w.length >= 4) this.attack[node] = 1;
    }
  }

  /**
   * Longest word spelled by letters `from…count-1` of the run at `at` of `view` (letter k at
   * `at + 2k`): its length (0 when none) and whether it is an attack word, packed as
   * `length * 2 + attack`.
   */
  longest(view: string, at: number, from: number, count: number): number {
    let node = 0;
    let best = 0;
    for (let i = from; i < count; i++) {
      const c = view.charCodeAt(at + 2 * i) - 0x61;
      if (c < 0 || c >= 26) break;
      node = this.child[node * 26 + c] as number;
      if (node === -1) break;
      if (this.word[node] === 1) best = (i - from + 1) * 2 + (this.attack[node] as number);
    }
    return best;
  }
}

const TRIE = new Trie(
  [...ATTACK_VOCABULARY, ...GLUE_WORDS].filter((w) => /^[a-z]+$/.test(w)),
  ATTACK_VOCABULARY,
);

/**
 * Positions (in view coordinates) of the separators to drop in one split `run` of the views:
 * the separators inside each vocabulary word found greedily, longest first. Two-letter glue
 * words (`no`, `me`) are common letter pairs, so they are joined only when spelled alone
 * (`n-o`) or in a run that also spells an attack word. Acronyms (`U.S.A.`, `e.g.`) spell no
 * vocabulary word and stay as written.
 */
function separatorsToDrop(v: Views, run: RegExpExecArray, out: number[]): void {
  const { leet, fold } = v;
  const at = run.index;
  const count = (run[0].length + 1) >> 1;
  const short: number[] = [];
  let attack = false;
  for (let i = 0; i < count;) {
    const found = TRIE.longest(leet, at, i, count);
    const len = found >> 1;
    if (len < 2) {
      i++;
      continue;
    }
    if ((found & 1) === 1) attack = true;
    // Letter k of the run is at `at + 2k`; the separator after it at `at + 2k + 1`.
    for (let k = i; k < i + len - 1; k++) (len === 2 ? short : out).push(at + 2 * k + 1);
    i += len;
  }
  // A lone pair is joined only when both are letters as written: `1.5` reads `i.s` in leet.
  if (attack || (count === 2 && isLetter(fold.charCodeAt(at)) && isLetter(fold.charCodeAt(at + 2))))
    for (const d of short) out.push(d);
}

/** `view` without the units at `drops` (ascending), built in one pass. */
function dropFrom(view: string, drops: number[]): string {
  const codes = new Uint16Array(view.length - drops.length);
  let o = 0;
  let d = 0;
  for (let k = 0; k < view.length; k++) {
    if (k === drops[d]) {
      d++;
      continue;
    }
    codes[o++] = view.charCodeAt(k);
  }
  let out = '';
  // Chunked: fromCharCode.apply has an argument-count limit.
  for (let i = 0; i < codes.length; i += 8192) {
    out += String.fromCharCode.apply(null, codes.subarray(i, i + 8192) as unknown as number[]);
  }
  return out;
}

/** Joined views, and for each of their units its index in the views before joining. */
export interface JoinedViews extends Views {
  before: Int32Array;
}

/** Build views without the units at `drops` (ascending); a letter's span extends over the separator dropped after it. */
function dropUnits(v: Views, drops: number[]): JoinedViews {
  const outLen = v.leet.length - drops.length;
  const startMap = new Int32Array(outLen);
  const endMap = new Int32Array(outLen);
  const before = new Int32Array(outLen);
  let o = 0;
  let d = 0;
  for (let k = 0; k < v.leet.length; k++) {
    if (k === drops[d]) {
      d++;
      if (o > 0) endMap[o - 1] = v.endMap[k] as number;
      continue;
    }
    before[o] = k;
    startMap[o] = v.startMap[k] as number;
    endMap[o++] = v.endMap[k] as number;
  }
  const fold = dropFrom(v.fold, drops);
  return {
    clean: v.clean === v.fold ? fold : dropFrom(v.clean, drops),
    fold,
    leet: dropFrom(v.leet, drops),
    startMap,
    endMap,
    before,
  };
}

/** Identity maps for a view of `len` units. */
export function identityMaps(len: number): { startMap: Int32Array; endMap: Int32Array } {
  const startMap = new Int32Array(len);
  const endMap = new Int32Array(len);
  for (let k = 0; k < len; k++) {
    startMap[k] = k;
    endMap[k] = k + 1;
  }
  return { startMap, endMap };
}

/** True when `leet` may hold a split word: one native scan, so ordinary text pays little. */
export function mayHoldSplitWords(leet: string): boolean {
  return SPLIT_HINT.test(leet);
}

/**
 * The views with split vocabulary words joined, or `undefined` when there is nothing to
 * join. All views drop the same units, so they stay aligned.
 */
export function joinSplitWords(v: Views): JoinedViews | undefined {
  const drops: number[] = [];
  SPLIT_RUN.lastIndex = 0;
  for (let m = SPLIT_RUN.exec(v.leet); m !== null; m = SPLIT_RUN.exec(v.leet)) {
    separatorsToDrop(v, m, drops);
  }
  if (drops.length === 0) return undefined;
  return dropUnits(
    v,
    drops.sort((a, b) => a - b),
  );
}
