/**
 * The English phrase-rule table of the injection detector (the engine is injection.ts).
 *
 * Each rule names a structure of an attack rather than one source's wording: an override
 * verb aimed at prior instructions, a named mode or persona to stay in, a ban on refusing,
 * a request for the hidden prompt, a chat-template delimiter. A rule's hit is a feature of
 * the trained model (injection-features.ts), which learns how much each one counts, and it
 * gives a finding its type and span. `weight` is the rule's hand-set strength, used only to
 * pick the type of a finding when several rules hit.
 *
 * Leet-view rules are sticky regexes tried at their start words only; fold-view rules run
 * over the whole text when one of their literals or words occurs. Every pattern is linear:
 * bounded gaps of disjoint classes, no nested unbounded repetition.
 */
import type { InjectionType } from './types.js';

export interface PhraseRule {
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
export const gap = (n: number) => `(?:[\\s,;:'"()*-]{1,4}[\\w']{1,20}){0,${n}}[\\s,;:'"()*-]{1,4}`;
// Leet rules are sticky: they are tried at chosen token starts only.
export const P = (src: string) => new RegExp(src, 'y');
export const PF = (src: string, flags = 'gi') => new RegExp(src, flags);

const OVERRIDE_VERB =
  "(?:ignore|ignoring|disregard|forget|skip|override|bypass|neglect|abandon|drop|delete|erase|discard|set aside|pay no attention to|do not follow|don't follow|stop following)";
const PRIOR =
  '(?:previous|prior|above|earlier|preceding|initial|original|all|any|your|the|system|every|old|former|those|these|developer|openai|safety)';
const INSTR =
  '(?:instructions?|prompts?|directions?|directives?|rules|guidelines|commands|context|messages|orders|programming|restrictions|constraints|polic(?:y|ies)|training|filters?|guardrails|limitations|safeguards)';

export const RULES: PhraseRule[] = [
  // Instruction override
  {
    id: 'override',
    type: 'instruction_override',
    // Not a quoted name before the noun: `ignore any "no-cache" directive` names one setting.
    re: P(`\\b${OVERRIDE_VERB}${gap(3)}${PRIOR}${gap(3)}(?<!["'\`] )${INSTR}\\b`),
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
      `\\b(?:ignore|disregard|forget)(?! (?:what|everything|all|that) (?:i|we) (?:just )?(?:said|told|wrote|asked|mentioned|typed))${gap(1)}(?:all|everything|that|the above|what)${gap(4)}(?:said|told|above|before|earlier|prior)\\b(?! (?:the |a |an )?(?:specified|given|selected|date|time|timestamp|mark|marker|line|version|\\d))`,
    ),
    weight: 0.7,
    starts: ['ignore', 'disregard', 'forget'],
  },
  {
    id: 'new-instructions',
    type: 'instruction_override',
    // "NEW INSTRUCTIONS:", "***IMPORTANT NEW INSTRUCTIONS***", "updated instructions follow".
    re: P(
      `\\b(?:new|updated|revised|changed|real|actual|true)(?: system)? (?:instructions?|rules|task|directives?)(?:\\s?[:*!#=\\]]|\\s(?:follow|follows|below|are as follows|have been (?:issued|given|set))\\b)`,
    ),
    weight: 0.5,
    starts: ['new', 'updated', 'revised', 'changed', 'real', 'actual', 'true'],
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
      `\\b(?:jailbroken|do anything now|developer mode(?! (?:on|in|for|of) (?:my |the |your |a |an )?(?:phone|android|iphone|ipad|device|chrome|browser|windows|mac|pc|laptop|tablet|computer|settings|tv|xbox|console|app|router|car)\\b)|dan mode|god mode|evil (?:confidant|bot|ai|assistant)|illegality mode|no morals|no ethics)\\b`,
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
    // Not the considerations asked about ("what are the main ethical considerations").
    id: 'ethics-off',
    type: 'persona_jailbreak',
    re: P(
      `(?<!\\b(?:what are the|the main|the key|main|key|major|important|primary) )\\b(?:ethical|moral) (?:guidelines|principles|constraints|boundaries|restrictions|considerations|concerns|standards|limitations)\\b|\\bsafety (?:guidelines|principles|constraints|boundaries|restrictions|limitations)\\b`,
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
    // A demanded confirmation that the persona is active: "If you understand, say 'DAN ready'",
    // held to a fixed text; not "if you understand the assignment, write a summary".
    id: 'confirm-persona',
    type: 'persona_jailbreak',
    re: P(
      `(?<=\\bif you (?:have |are )?)(?:understand|understood|agree|ready|got it)\\b${gap(6)}(?:say|reply|respond|answer|write|type|confirm|state)\\b(?=\\s{0,2}(?:["'“:]|(?:only|just|exactly|with|by|back|yes|ok|okay)\\b))`,
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
      `\\b(?:repeat|print|show|reveal|display|output|tell me|give me|write (?:out|down)|list|dump|leak|recite|share|expose|disclose|copy|paste|what (?:is|are|was|were))${gap(4)}(?:(?:system|initial|original|hidden|secret|first|previous|above|pre-?|internal|developer|starting|confidential)${gap(1)}(?:prompts?|instructions?|messages?|directives?|rules|guidelines)|your${gap(1)}(?:configuration|config))\\b`,
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
    // A mode the assistant is put into ("you are now in debug mode", "entering a 'maintenance
    // mode'"), not a product's mode asked about ("debug mode in Flask", "admin mode on my router").
    re: P(
      `(?<=\\b(?:you(?:'re| are)?(?: now)?(?: in| entering)?|enter|entering|activate|activating|switch(?:ing)? (?:you )?(?:to|into)|now in|engage|engaging|initiate|initiating|your)(?: the| a| an)? ['"]?)(?:maintenance|debug|debugging|diagnostic|admin|sudo|root|override) mode\\b(?!['"]? (?:in|on|for|of|plugin|setting|settings|option|page)\\b)`,
    ),
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
