// System-prompt leak detection over model output, on folded text: the detectors' own
// normalization (NFKC, invisible characters removed, confusables folded), lower case, and
// punctuation ignored. Two matchers:
//
// - Words: a run of WINDOW words of the system prompt, in order, where up to MAX_GAP other
//   words may sit between two of them ("You are, um, Aurora, er, the…"). A `protect` phrase
//   is matched the same way, whole. A long prompt gets a shorter window: it can be quoted in
//   more pieces.
// - Letters: the canary and every `protect` phrase on the text with everything but letters
//   and digits removed, which undoes separators between characters (`c n r y - 1 2 …`).
//
// Both say how much of a growing text is final (`boundary`), so streams stay exact.

import { normalizeText, toOriginal, type Normalized } from '../detect/normalize.js';

/** Consecutive prompt words that count as a leak. */
export const WINDOW_WORDS = 8;
/** The window for prompts of at least LONG_PROMPT_WORDS words. */
export const LONG_WINDOW_WORDS = 6;
export const LONG_PROMPT_WORDS = 100;
/**
 * Fewest letters and digits a prompt window must have to count: a run of short common words
 * ("I want you to act as") is shared by many texts and reveals nothing.
 */
export const MIN_WINDOW_LETTERS = 24;
/** Other words allowed between two matched prompt words. */
export const MAX_GAP = 2;
/** Words longer than this never match (keeps the word scan local). */
const MAX_WORD = 64;
/** Compact needles shorter than this must stand alone (not inside a longer word). */
const SHORT_NEEDLE = 6;
const WORD = /[\p{L}\p{N}]+/gu;
const ASCII_WORD = /[a-z0-9]+/g;
const ALNUM = /^[\p{L}\p{N}]+$/u;
const NOT_ALNUM = /[^\p{L}\p{N}]+/gu;

/** A word sequence the output must not reproduce. */
interface WordSource {
  words: string[];
  /** Positions of each word in `words`. */
  at: Map<string, number[]>;
  window: number;
  /** A protect phrase matches only from its first word, whole. */
  whole: boolean;
}

/** A string found on the letters-and-digits view. */
interface Needle {
  compact: string;
  type: 'canary_token' | 'protected_phrase';
}

/** The leak-relevant parts of one request, compiled. */
export interface LeakConfig {
  sources: WordSource[];
  needles: Needle[];
}

export interface LeakSpan {
  start: number;
  end: number;
  type: 'system_prompt' | 'canary_token' | 'protected_phrase';
}

/** Lower case, unit for unit (a lower-case form of another length keeps the character). */
function lowerAligned(s: string): string {
  const lower = s.toLowerCase();
  if (lower.length === s.length) return lower;
  let out = '';
  for (const ch of s) {
    const l = ch.toLowerCase();
    out += l.length === ch.length ? l : ch;
  }
  return out;
}

/** The folded, lower-cased words of a text (for the prompt and the protect phrases). */
export function foldedWords(text: string): string[] {
  const folded = lowerAligned(normalizeText(text).fold);
  return (folded.match(WORD) ?? []).map((w) => (w.length <= MAX_WORD ? w : '\u0000'));
}

/** Letters and digits only, folded: how a needle is compared. */
function compactOf(text: string): string {
  return foldedWords(text).join('');
}

function wordSource(words: string[], window: number, whole: boolean): WordSource {
  const at = new Map<string, number[]>();
  const last = whole ? 1 : words.length - window + 1;
  for (let j = 0; j < last; j++) {
    if (!whole && letters(words, j, window) < MIN_WINDOW_LETTERS) continue;
    const list = at.get(words[j]!);
    if (list) list.push(j);
    else at.set(words[j]!, [j]);
  }
  return { words, at, window, whole };
}

function letters(words: readonly string[], from: number, count: number): number {
  let n = 0;
  for (let k = from; k < from + count; k++) n += words[k]!.length;
  return n;
}

/** A system prompt's word source, cached per prompt; null when it is shorter than a window. */
const promptSources = new Map<string, WordSource | null>();

function promptSource(prompt: string): WordSource | null {
  let source = promptSources.get(prompt);
  if (source !== undefined) return source;
  const words = foldedWords(prompt);
  const window = words.length >= LONG_PROMPT_WORDS ? LONG_WINDOW_WORDS : WINDOW_WORDS;
  source = words.length < window ? null : wordSource(words, window, false);
  // A server has few system prompts; the cap only guards against prompts built per request.
  if (promptSources.size >= 64) promptSources.delete(promptSources.keys().next().value as string);
  promptSources.set(prompt, source);
  return source;
}

/** The compiled `protect` phrases: word sources and needles, made once per middleware. */
export function compileProtect(phrases: readonly string[]): LeakConfig {
  const sources: WordSource[] = [];
  const needles: Needle[] = [];
  for (const phrase of phrases) {
    const words = foldedWords(phrase);
    if (words.length === 0) continue;
    if (words.length > 1) sources.push(wordSource(words, words.length, true));
    needles.push({ compact: words.join(''), type: 'protected_phrase' });
  }
  return { sources, needles };
}

/** The leak check of one request: the middleware's protect phrases plus its prompt and canary. */
export function leakConfig(
  base: LeakConfig,
  context: { systemPrompt?: string | undefined; canary?: string | undefined },
): LeakConfig | undefined {
  const sources = [...base.sources];
  const needles = [...base.needles];
  const prompt = context.systemPrompt ? promptSource(context.systemPrompt) : null;
  if (prompt) sources.push(prompt);
  if (context.canary) needles.push({ compact: compactOf(context.canary), type: 'canary_token' });
  return sources.length + needles.length === 0 ? undefined : { sources, needles };
}

/** One text as the matchers see it. */
interface Folded {
  text: string;
  norm: Normalized;
  folded: string;
  words: Array<{ text: string; start: number; end: number }>;
  /** `folded` with letters and digits only, made when a needle is looked for. */
  compact?: string;
  /** Index in `folded` of each unit of `compact`, made only when a needle is found. */
  compactAt?: Int32Array;
}

function fold(text: string): Folded {
  const norm = normalizeText(text);
  const folded = lowerAligned(norm.fold);
  const words: Folded['words'] = [];
  // On printable ASCII the plain class finds the same words, several times faster.
  for (const m of folded.matchAll(norm.identity === true ? ASCII_WORD : WORD))
    words.push({ text: m[0].length <= MAX_WORD ? m[0] : '\u0000', start: m.index, end: m.index + m[0].length });
  return { text, norm, folded, words };
}

const compactView = (f: Folded): string => (f.compact ??= f.folded.replace(NOT_ALNUM, ''));

function compactAt(f: Folded): Int32Array {
  if (f.compactAt) return f.compactAt;
  const at = new Int32Array(compactView(f).length);
  let k = 0;
  for (const w of f.words) for (let i = w.start; i < w.end; i++) at[k++] = i;
  return (f.compactAt = at);
}

/** Where in `folded` the last `count` units of letters and digits begin. */
function lastLetters(folded: string, count: number): number {
  let i = folded.length;
  while (i > 0 && count > 0) {
    const low = folded.charCodeAt(i - 1);
    const pair = low >= 0xdc00 && low <= 0xdfff && i > 1 ? 2 : 1;
    if (ALNUM.test(folded.slice(i - pair, i))) count -= pair;
    i -= pair;
  }
  return i;
}

type Outcome = { end: number } | 'open' | 'none';

/**
 * Whether prompt word `j` at output word `i` starts a match of `source`, given that only the
 * first `n` output words are known: the end word of the shortest match, 'open' when words
 * not yet known could still complete one, 'none' when none can.
 */
function matchAt(source: WordSource, words: Folded['words'], at: { i: number; j: number; n: number }): Outcome {
  let reach = [at.i];
  let open = false;
  for (let m = 1; m < source.window; m++) {
    const target = source.words[at.j + m];
    const next: number[] = [];
    for (const r of reach)
      for (let q = r + 1; q <= r + MAX_GAP + 1; q++) {
        if (q >= at.n) {
          open = true;
          break;
        }
        if (words[q]!.text === target && !next.includes(q)) next.push(q);
      }
    if (next.length === 0) return open ? 'open' : 'none';
    reach = next;
  }
  return { end: Math.min(...reach) };
}

/** The outcome of output word `i` over every source and every place its word has there. */
function matchWord(config: LeakConfig, f: Folded, i: number, n: number): Outcome {
  let best: number | undefined;
  let open = false;
  for (const source of config.sources) {
    const starts = source.at.get(f.words[i]!.text);
    if (!starts) continue;
    for (const j of starts) {
      const o = matchAt(source, f.words, { i, j, n });
      if (o === 'open') open = true;
      else if (o !== 'none' && (best === undefined || o.end < best)) best = o.end;
    }
  }
  if (best !== undefined) return { end: best };
  return open ? 'open' : 'none';
}

/** Leak checks over texts; keeps the last text's folding, since `boundary` and `find` come in pairs. */
export class LeakCheck {
  private last: Folded | undefined;

  constructor(private readonly config: LeakConfig) {}

  private folded(text: string): Folded {
    if (this.last?.text !== text) this.last = fold(text);
    return this.last;
  }

  /** Every leak in `text` (the text taken as complete), as original offsets. */
  find(text: string): LeakSpan[] {
    const f = this.folded(text);
    const spans: LeakSpan[] = [];
    for (let i = 0; i < f.words.length; i++) {
      const o = matchWord(this.config, f, i, f.words.length);
      if (typeof o === 'object') spans.push(this.span(f, f.words[i]!.start, f.words[o.end]!.end, 'system_prompt'));
    }
    for (const needle of this.config.needles) {
      const c = needle.compact;
      const compact = compactView(f);
      for (let at = compact.indexOf(c); at >= 0; at = compact.indexOf(c, at + 1)) {
        const start = compactAt(f)[at]!;
        const end = compactAt(f)[at + c.length - 1]! + 1;
        if (c.length < SHORT_NEEDLE && !alone(f.folded, start, end)) continue;
        spans.push(this.span(f, start, end, needle.type));
      }
    }
    return spans;
  }

  /** The index before which no leak span can change when text is appended. */
  boundary(text: string): number {
    const f = this.folded(text);
    let hold = text.length;
    // The last word may be unfinished: it is held, and not matched.
    let n = f.words.length;
    if (n > 0 && f.words[n - 1]!.end === f.folded.length) {
      hold = Math.min(hold, this.original(f, f.words[n - 1]!.start));
      n--;
    }
    const reach = Math.max(...this.config.sources.map((s) => (s.window - 1) * (MAX_GAP + 1)), 0);
    for (let i = Math.max(0, n - reach); i < n; i++)
      if (matchWord(this.config, f, i, n) === 'open') {
        hold = Math.min(hold, this.original(f, f.words[i]!.start));
        break;
      }
    const longest = Math.max(0, ...this.config.needles.map((x) => x.compact.length));
    if (longest > 0) {
      const from = lastLetters(f.folded, longest);
      if (from < f.folded.length) hold = Math.min(hold, this.original(f, from));
    }
    return hold;
  }

  private original(f: Folded, at: number): number {
    return toOriginal(f.norm, at, at + 1, f.text.length)[0];
  }

  private span(f: Folded, start: number, end: number, type: LeakSpan['type']): LeakSpan {
    const [s, e] = toOriginal(f.norm, start, end, f.text.length);
    return { start: s, end: e, type };
  }
}

/** A short needle counts only as a word of its own: no letter or digit right before or after. */
function alone(folded: string, start: number, end: number): boolean {
  return !(start > 0 && ALNUM.test(folded[start - 1]!)) && !(end < folded.length && ALNUM.test(folded[end]!));
}
