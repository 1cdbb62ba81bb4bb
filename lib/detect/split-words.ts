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
   * Longest word spelled by `letters[from…]`: its length (0 when none) and whether it is an
   * attack word, packed as `length * 2 + attack`.
   */
  longest(letters: string, from: number): number {
    let node = 0;
    let best = 0;
    for (let i = from; i < letters.length; i++) {
      const c = letters.charCodeAt(i) - 0x61;
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
 * Positions (in view coordinates) of the separators to drop in one run that starts at `at`:
 * the separators inside each vocabulary word found greedily, longest first. Two-letter glue
 * words (`no`, `me`) are common letter pairs, so they are joined only when spelled alone
 * (`n-o`) or in a run that also spells an attack word. Acronyms (`U.S.A.`, `e.g.`) spell no
 * vocabulary word and stay as written.
 */
function separatorsToDrop(run: string, at: number, fold: string, out: number[]): void {
  let letters = '';
  for (let i = 0; i < run.length; i += 2) letters += run[i];
  const short: number[] = [];
  let attack = false;
  for (let i = 0; i < letters.length;) {
    const found = TRIE.longest(letters, i);
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
  if (attack || (letters.length === 2 && isLetter(fold.charCodeAt(at)) && isLetter(fold.charCodeAt(at + 2))))
    out.push(...short);
}

/** Build views without the units at `drops` (ascending); a letter's span extends over the separator dropped after it. */
function dropUnits(v: Views, drops: number[]): Views {
  const len = v.leet.length;
  const outLen = len - drops.length;
  const startMap = new Int32Array(outLen);
  const endMap = new Int32Array(outLen);
  let clean = '';
  let fold = '';
  let leet = '';
  let from = 0;
  let o = 0;
  for (let d = 0; d <= drops.length; d++) {
    const to = d < drops.length ? (drops[d] as number) : len;
    clean += v.clean.slice(from, to);
    fold += v.fold.slice(from, to);
    leet += v.leet.slice(from, to);
    for (let k = from; k < to; k++) {
      startMap[o] = v.startMap[k] as number;
      endMap[o++] = v.endMap[k] as number;
    }
    if (to < len && o > 0) endMap[o - 1] = v.endMap[to] as number;
    from = to + 1;
  }
  return { clean, fold, leet, startMap, endMap };
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
export function joinSplitWords(v: Views): Views | undefined {
  const drops: number[] = [];
  SPLIT_RUN.lastIndex = 0;
  for (let m = SPLIT_RUN.exec(v.leet); m !== null; m = SPLIT_RUN.exec(v.leet)) {
    separatorsToDrop(m[0], m.index, v.fold, drops);
  }
  if (drops.length === 0) return undefined;
  return dropUnits(
    v,
    drops.sort((a, b) => a - b),
  );
}
