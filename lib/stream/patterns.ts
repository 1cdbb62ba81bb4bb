// `blockedPatterns`: strings and RegExps supplied by the user, matched against model output.
//
// A user's RegExp runs on every streamed window, so it must stay cheap and its matches
// short (the stream holds back as much text as the longest possible match). Each pattern is
// checked and rewritten once, at startup:
// - unbounded repetition (`*`, `+`, `{n,}`) is capped at REPEAT_CAP repetitions;
// - backreferences, nested quantifiers and quantified alternations (the shapes behind
//   catastrophic backtracking) are refused, as are more than two open-ended repetitions;
// - the longest possible match (lookarounds included) must be at most MAX_PATTERN_REACH.

/** Repetitions an unbounded quantifier is capped at. */
export const REPEAT_CAP = 100;
/** Longest text a blocked pattern may match (its look-ahead included). */
export const MAX_PATTERN_REACH = 1024;
const MAX_LOOKBEHIND = 64;
const MAX_OPEN_REPEATS = 2;

export interface CompiledPattern {
  re: RegExp;
  /** Longest text a match (with its look-ahead) can cover. */
  reach: number;
}

/** Why a RegExp was refused. */
class PatternError extends Error {}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * Compiles one `blockedPatterns` entry. Strings match literally and case-insensitively.
 * Returns the reason as a string when the entry is refused.
 */
export function compilePattern(p: unknown): CompiledPattern | string {
  if (typeof p === 'string') {
    if (p.length === 0) return 'a non-empty string';
    if (p.length > MAX_PATTERN_REACH) return `a string of at most ${MAX_PATTERN_REACH} characters`;
    return { re: new RegExp(escapeRegExp(p), 'gi'), reach: p.length };
  }
  if (!(p instanceof RegExp)) return 'a string or a RegExp';
  const flags = [...new Set(p.flags.replace(/[gyd]/g, ''))].join('');
  if (/[^imsu]/.test(flags)) return 'a RegExp with flags among i, m, s, u';
  try {
    const parsed = new Parser(p.source, flags.includes('u')).parse();
    if (parsed.reach > MAX_PATTERN_REACH) return `a RegExp matching at most ${MAX_PATTERN_REACH} characters`;
    const re = new RegExp(parsed.source, `${flags}g`);
    if (re.test('')) return 'a RegExp that cannot match the empty string';
    return { re, reach: Math.max(1, parsed.reach) };
  } catch (err) {
    if (err instanceof PatternError) return `a RegExp without ${err.message}`;
    return 'a valid RegExp';
  }
}

interface Node {
  /** Rewritten source. */
  source: string;
  /** Longest match, in UTF-16 units (look-ahead content counted). */
  reach: number;
  /** Contains a quantifier or an alternation (unsafe to repeat). */
  complex: boolean;
}

/** A small recursive-descent reader of RegExp syntax: enough to measure and rewrite it. */
class Parser {
  private i = 0;
  private openRepeats = 0;
  constructor(
    private readonly src: string,
    private readonly unicode: boolean,
  ) {}

  parse(): Node {
    const node = this.alternation();
    if (this.i < this.src.length) throw new SyntaxError('unbalanced');
    return node;
  }

  private alternation(): Node {
    const branches = [this.sequence()];
    while (this.src[this.i] === '|') {
      this.i++;
      branches.push(this.sequence());
    }
    return {
      source: branches.map((b) => b.source).join('|'),
      reach: Math.max(...branches.map((b) => b.reach)),
      complex: branches.length > 1 || branches.some((b) => b.complex),
    };
  }

  private sequence(): Node {
    let source = '';
    let reach = 0;
    let complex = false;
    while (this.i < this.src.length && this.src[this.i] !== '|' && this.src[this.i] !== ')') {
      const atom = this.quantified();
      source += atom.source;
      reach += atom.reach;
      complex ||= atom.complex;
    }
    return { source, reach, complex };
  }

  private quantified(): Node {
    const atom = this.atom();
    const q = this.quantifier();
    if (q === undefined) return atom;
    if (atom.reach === 0 && atom.source.startsWith('(?')) throw new PatternError('quantified lookarounds');
    if (q.max > 1 && atom.complex) throw new PatternError('nested quantifiers or quantified alternations');
    if (q.max - q.min > 16 && ++this.openRepeats > MAX_OPEN_REPEATS)
      throw new PatternError(`more than ${MAX_OPEN_REPEATS} open-ended repetitions`);
    return { source: atom.source + q.source, reach: atom.reach * q.max, complex: true };
  }

  private quantifier(): { min: number; max: number; source: string } | undefined {
    const c = this.src[this.i];
    let min: number;
    let max: number;
    if (c === '*' || c === '+') {
      this.i++;
      min = c === '*' ? 0 : 1;
      max = REPEAT_CAP;
    } else if (c === '?') {
      this.i++;
      min = 0;
      max = 1;
    } else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.i));
      if (!m) return undefined; // a literal brace (non-unicode mode)
      this.i += m[0].length;
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? Math.max(min, REPEAT_CAP) : Number(m[3]);
      if (min > REPEAT_CAP * 10 || max > REPEAT_CAP * 10) throw new PatternError('repetition counts over 1000');
    } else return undefined;
    let lazy = '';
    if (this.src[this.i] === '?') {
      this.i++;
      lazy = '?';
    }
    const source = min === 0 && max === 1 ? '?' : min === max ? `{${min}}` : `{${min},${max}}`;
    return { min, max, source: source + lazy };
  }

  private atom(): Node {
    const c = this.src[this.i]!;
    if (c === '(') return this.group();
    if (c === '[') return this.charClass();
    if (c === '\\') return this.escape();
    if (c === '^' || c === '$') {
      this.i++;
      return { source: c, reach: 0, complex: false };
    }
    if (c === '*' || c === '+' || c === '?') throw new SyntaxError('nothing to repeat');
    this.i++;
    // An astral character is two UTF-16 units.
    const cp = this.src.codePointAt(this.i - 1)!;
    if (cp > 0xffff) {
      this.i++;
      return { source: String.fromCodePoint(cp), reach: 2, complex: false };
    }
    return { source: c, reach: 1, complex: false };
  }

  private unit(): number {
    return this.unicode ? 2 : 1;
  }

  private group(): Node {
    const rest = this.src.slice(this.i);
    const head = /^\((\?:|\?=|\?!|\?<=|\?<!|\?<[A-Za-z_$][\w$]*>)?/.exec(rest)![0];
    this.i += head.length;
    const inner = this.alternation();
    if (this.src[this.i] !== ')') throw new SyntaxError('unbalanced');
    this.i++;
    const source = `${head}${inner.source})`;
    if (head === '(?<=' || head === '(?<!') {
      if (inner.reach > MAX_LOOKBEHIND) throw new PatternError(`look-behinds longer than ${MAX_LOOKBEHIND}`);
      return { source, reach: 0, complex: inner.complex };
    }
    // A look-ahead matches nothing itself but reads ahead: its reach counts.
    return { source, reach: inner.reach, complex: inner.complex };
  }

  private charClass(): Node {
    let j = this.i + 1;
    if (this.src[j] === '^') j++;
    if (this.src[j] === ']') j++;
    while (j < this.src.length && this.src[j] !== ']') j += this.src[j] === '\\' ? 2 : 1;
    if (j >= this.src.length) throw new SyntaxError('unterminated class');
    const source = this.src.slice(this.i, j + 1);
    this.i = j + 1;
    return { source, reach: this.unit(), complex: false };
  }

  private escape(): Node {
    const rest = this.src.slice(this.i);
    if (/^\\([1-9]|k<)/.test(rest)) throw new PatternError('backreferences');
    const m = /^\\(?:[pP]\{[^}]*\}|u\{[0-9A-Fa-f]+\}|u[0-9A-Fa-f]{4}|x[0-9A-Fa-f]{2}|c[A-Za-z]|0|[\s\S])/.exec(rest)!;
    this.i += m[0].length;
    const zeroWidth = m[0] === '\\b' || m[0] === '\\B';
    return { source: m[0], reach: zeroWidth ? 0 : this.unit(), complex: false };
  }
}
