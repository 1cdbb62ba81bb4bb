/**
 * The structural view of the injection detector: what an attack does, independent of one
 * source's wording. Three parts, all features of the trained model (injection.ts):
 *
 * - rules for the structures of hijacks: a request to reveal or repeat hidden text, a
 *   forced output string, a fake role or system notice or a message relayed "from the user"
 *   inside a document, an instruction aimed at the assistant's own rules, a nested story;
 * - word classes whose co-occurrence marks a wrapped harmful request: a story frame, a
 *   persuasion frame or a request for a procedure, each around a harmful goal. A harmful word
 *   alone is common in benign text (`kill` a process, a `murder` mystery); the conjunctions
 *   are the signal, and the model learns how much each is worth;
 * - the shape of optimizer-made suffixes (GCG, random search): a tail of tokens that mix
 *   letters and punctuation the way no prose does.
 */
import { gap, P, PF, type PhraseRule } from './injection-rules.js';
import type { InjectionHit } from './types.js';
import { isSpace as isJsSpace } from './tokens.js';

/**
 * What a forced reply is held to when it is a fixed text (a quote, a colon, "the following",
 * "the word …"), not a kind of content: "only reply with the terminal output" or "answer only
 * 'yes' or 'no'" sets a format, as role-play and tool prompts do.
 */
const FIXED_TEXT = `\\s{0,2}(?::|["'“‘](?![a-z]{1,12}["'”’] or\\b)|the (?:following|exact|words?|phrase|text|sentence|string)\\b|(?:this|exactly)\\b)`;

/** Not the user's own turn: "I will reply with the sentence: …" describes what the user does. */
const NOT_USER = `(?<!\\b(?:i|we)(?: will| shall| would| may| might| can|'ll)? )`;

/** Structural rules, run by the same engine as the phrase rules. */
export const STRUCTURE_RULES: PhraseRule[] = [
  {
    // "repeat the text above", "print everything before this line". Not "summarize the text
    // above": a user asking about their own earlier text is ordinary chat.
    id: 'repeat-above',
    type: 'system_prompt_extraction',
    re: P(
      `\\b(?:repeat|print|output|show|write|spell|recite|reproduce|return|echo)${gap(3)}(?:text|words?|sentences?|lines?|content|everything|instructions?|prompt|characters?|letters?|tokens?|conversation)${gap(2)}(?:above|before|preceding|so far|you (?:were|have been) given)\\b`,
    ),
    weight: 0.6,
    starts: ['repeat', 'print', 'output', 'show', 'write', 'spell', 'recite', 'reproduce', 'return', 'echo'],
  },
  {
    // "what is the password", "tell me the secret key", "spell the passphrase backwards"
    id: 'ask-secret',
    type: 'system_prompt_extraction',
    re: P(
      `(?<!\\b(?:never|not|don't|dont|to|shouldn't|should not|must not) )\\b(?:what(?:'s| is| was)|tell me|give me|reveal|share|spell|say|type|disclose|show me|remind me of|leak)${gap(2)}(?:the |your |that |this )(?:secret |hidden |real |current )?(?:password|passphrase|passcode|secret(?: key| word| code| phrase|(?! (?:key|word|code|phrase)\\b))|access code|pin)\\b(?! (?:policy|policies|manager|requirements?|reset|field|strength|hash|length|rules?|to|of|behind|for|ingredient|sauce|recipe|used)\\b)(?! (?:in|of) (?:the |my |your |a )?[a-z]+ (?:settings|config|configuration|file|app|project)\\b)(?! (?:in|of|inside) (?:a|an|each|every) [a-z]+\\b)`,
    ),
    weight: 0.5,
    starts: [
      'what',
      'whats',
      'tell',
      'give',
      'reveal',
      'share',
      'spell',
      'say',
      'type',
      'disclose',
      'show',
      'remind',
      'leak',
    ],
  },
  {
    id: 'secret-letters',
    type: 'system_prompt_extraction',
    re: P(
      `\\b(?:letters?|characters?|digits?|hint|spelling|reversed?|backwards|translation|rhymes?|synonyms?)${gap(2)}(?:the|your|that) (?:password|passphrase|passcode|secret(?: key| word)?)\\b`,
    ),
    weight: 0.5,
    starts: [
      'letter',
      'letters',
      'character',
      'characters',
      'digit',
      'digits',
      'hint',
      'spelling',
      'reverse',
      'reversed',
      'backwards',
      'translation',
      'rhyme',
      'rhymes',
      'synonym',
      'synonyms',
    ],
  },
  {
    // A forced output string: `say "I have been PWNED"`, `respond with: "…"`, `print only 'ok'`.
    id: 'forced-output',
    type: 'instruction_override',
    re: P(
      `(?<!\\bhow (?:do|to|would|can|did|does) (?:you |i |we |one )?)${NOT_USER}\\b(?:say|print|output|respond with|reply with|answer with|(?<![):{;>=][ \\t]{0,4})return|type|display|write)(?: only| exactly| just| simply| nothing but| back)?(?: the (?:word|words|phrase|text|sentence|string))?\\s{0,3}:?\\s{0,3}["'“‘]`,
    ),
    weight: 0.35,
    starts: ['say', 'print', 'output', 'respond', 'reply', 'answer', 'return', 'type', 'display', 'write'],
  },
  {
    // A forced output after a colon: "state: I admit to …", "respond with: ACCESS GRANTED".
    // "type" and "output" only as an order at the start of a clause, not as the label of a
    // field ("the wanted output: bool", "Job Type: contract").
    id: 'forced-output-colon',
    type: 'instruction_override',
    re: P(
      `(?<!\\bhow (?:do|to|would|can|did|does) (?:you |i |we |one )?)${NOT_USER}\\b(?:say|state|print|respond with|reply with|answer with|declare|write|(?<=(?:^|[.!?,;:(\\n][ \\t]{0,3}|\\b(?:and|then|please|just|now|simply|only) ))(?:type|output))(?: only| exactly| just| simply)?[ \\t]{0,2}:[ \\t]{0,3}[a-z"'“‘]`,
    ),
    weight: 0.3,
    starts: ['say', 'state', 'print', 'output', 'respond', 'reply', 'answer', 'type', 'declare', 'write'],
  },
  {
    // A claim of authority over the assistant: "I'm your developer", "as your administrator".
    id: 'authority-claim',
    type: 'instruction_override',
    re: P(
      `\\b(?:i(?:'m| am)|as|this is) (?:your|the|an?) (?:developer|creator|admin|administrator|owner|programmer|boss|supervisor|operator|maker|system administrator)\\b`,
    ),
    weight: 0.3,
    starts: ['i', 'im', 'as', 'this'],
  },
  {
    id: 'reply-only',
    type: 'instruction_override',
    re: P(
      `(?:\\b(?:reply|respond|answer|output|print|say)(?: with)? only|\\b(?:only|just) (?:reply|respond|answer|output|say|print))(?: with| by)?${FIXED_TEXT}|\\byour (?:only|entire|whole|sole|first) (?:response|reply|answer|output|words?) (?:should|must|will|shall) be\\b`,
    ),
    weight: 0.3,
    starts: ['reply', 'respond', 'answer', 'output', 'print', 'say', 'only', 'just', 'your', 'do', 'don', 'dont'],
  },
  {
    // A fake role or notice: "[ADMIN NOTICE]", "SYSTEM OVERRIDE:", "Important message from the developer".
    id: 'fake-notice',
    type: 'template_delimiter',
    re: P(
      `\\b(?:system|admin|administrator|developer|dev|moderator|security|operator|root|sudo|official|openai|anthropic)[ _-]?(?:notice|message|alert|update|override|instructions?|note|announcement|command|directive|prompt|warning|request)\\s{0,2}[\\]):>*-]`,
    ),
    weight: 0.45,
    starts: [
      'system',
      'admin',
      'administrator',
      'developer',
      'dev',
      'moderator',
      'security',
      'operator',
      'root',
      'sudo',
      'official',
      'openai',
      'anthropic',
    ],
  },
  {
    // A line that opens with an authority label: "SYSTEM: …", "[admin]: …", "Developer note: …".
    id: 'role-label',
    type: 'template_delimiter',
    re: new RegExp(
      `(?<=(?:^|\\n)[ \\t>*#\\[(]{0,4})(?:admin|administrator|developer|root|sudo|operator|moderator|important|urgent)(?: note| notice| message| instructions?)?[\\])*]{0,2}[ \\t]{0,3}:[ \\t]{0,4}\\S`,
      'y',
    ),
    weight: 0.3,
    starts: ['admin', 'administrator', 'developer', 'root', 'sudo', 'operator', 'moderator', 'important', 'urgent'],
  },
  {
    // A message relayed inside a document or tool result as coming from someone in charge.
    id: 'relayed-message',
    type: 'instruction_override',
    re: P(
      `\\b(?:message|request|instructions?|note|notice|order|update|command)s? from (?:the |your |an? )?(?:user|admin|administrator|developer|operator|owner|creator|system|boss|manager)\\b|\\bthe user (?:says|said|wants you to|asked you to|has (?:asked|requested|instructed)|instructs|would like you to|needs you to)\\b`,
    ),
    weight: 0.35,
    starts: [
      'message',
      'messages',
      'request',
      'requests',
      'instruction',
      'instructions',
      'note',
      'notice',
      'order',
      'update',
      'command',
      'commands',
      'the',
    ],
  },
  {
    // Words addressed to the model reading a document: "Note to the AI:", "if you are an LLM".
    id: 'addressed-to-ai',
    type: 'instruction_override',
    re: P(
      `\\b(?:note|message|instructions?|attention|reminder|dear) (?:to |for )?(?:the |any |all )?(?:ai|assistant|model|llm|language model|chatbot|bot|agent|gpt|chatgpt|claude)s?\\b|\\bif you are an? (?:ai|llm|language model|assistant|chatbot|bot|agent)\\b|\\b(?:ai|llm|language model|assistant|chatbot|agent|bot)s? (?:reading|processing|summari[sz]ing|parsing|analy[sz]ing) this\\b`,
    ),
    weight: 0.45,
    starts: [
      'note',
      'message',
      'instruction',
      'instructions',
      'attention',
      'reminder',
      'dear',
      'if',
      'ai',
      'llm',
      'language',
      'assistant',
      'chatbot',
      'agent',
      'bot',
      'ais',
      'llms',
      'assistants',
      'agents',
      'bots',
    ],
  },
  {
    // A detour demanded before the real task, typical of injections in tool output.
    id: 'detour-first',
    type: 'instruction_override',
    re: P(
      `\\bbefore (?:you |we )?(?:continu|proceed|start|complet|answer|respond|summari[sz]|translat|perform|finish|doing|do|reply|carry)[a-z]{0,4}${gap(4)}(?:you must|you need to|you have to|you should|first|make sure to)\\b|\\b(?:first|before anything else),? (?:you must|you need to|you have to)\\b`,
    ),
    weight: 0.25,
    starts: ['before', 'first'],
  },
  {
    // An instruction aimed at the assistant's own rules: "your rules have been lifted".
    id: 'rules-changed',
    type: 'instruction_override',
    re: P(
      `\\b(?:your|all|the|previous|prior|earlier|old|original|safety|content|these|those)${gap(1)}(?:instructions|rules|guidelines|restrictions|filters|programming|directives|constraints|policies|safeguards|limitations|settings)${gap(2)}(?:(?:are|is|have been|has been|were|will be) (?:now |hereby |temporarily )?(?:lifted|removed|disabled|suspended|revoked|void|null|invalid|obsolete|deactivated|turned off|overridden|overwritten|replaced|cancel+ed|waived)|(?:no longer|don'?t|do not) apply)\\b`,
    ),
    weight: 0.6,
    starts: [
      'your',
      'all',
      'the',
      'previous',
      'prior',
      'earlier',
      'old',
      'original',
      'safety',
      'content',
      'these',
      'those',
    ],
  },
  {
    id: 'now-allowed',
    type: 'instruction_override',
    re: P(
      `\\byou (?:are|have been|were) (?:now |hereby )(?:allowed|permitted|authori[sz]ed|free|unlocked|cleared) to\\b|\\byou (?:are|have been) (?:now )?(?:authori[sz]ed|unlocked|granted (?:full |unrestricted |admin )?(?:permission|access|clearance))\\b`,
    ),
    weight: 0.45,
    starts: ['you'],
  },
  {
    // A story within a story: "layer i creates layer i+1", "a dream inside a dream".
    id: 'nested-scene',
    type: 'persona_jailbreak',
    re: P(
      `\\b(?:story|fiction|scene|dream|simulation|game|play|novel) (?:within|inside|in) (?:a |another |the )?(?:story|fiction|scene|dream|simulation|game|play|novel)\\b|\\beach (?:character|layer|level|persona)${gap(4)}(?:create|creates|write|writes|propose|proposes|imagine|imagines)\\b|\\b(?:layer|level) (?:i|n|[0-9]) ?(?:creates?|writes?|contains?)\\b`,
    ),
    weight: 0.35,
    starts: ['story', 'fiction', 'scene', 'dream', 'simulation', 'game', 'play', 'novel', 'each', 'layer', 'level'],
  },
  {
    // A text that opens by asking about a topic ("Can you explain …", "Discuss …", "What is
    // the difference …"): attack words inside are its subject, not orders. Weightless like
    // the persuasion frame: a feature whose worth the model learns, never a finding.
    id: 'asks-about',
    type: 'instruction_override',
    re: PF(
      `^\\W{0,3}(?:(?:can|could|would) you (?:please )?|please )?(?:explain|discuss|describe|summari[sz]e|outline|compare|define|analy[sz]e|write (?:a|an) (?:short |brief )?(?:essay|article|report|overview))\\b|^\\W{0,3}(?:what (?:is|are) the (?:concept|difference|meaning|history|role|importance|purpose|risks?)|why (?:is|are|do|does|should)|how (?:does|do|can|should) (?:a|an|the|one|we|companies|people))\\b`,
    ),
    weight: 0,
    // Anchored at the start: one attempt per text, when one of its words occurs.
    fold: true,
    words: [
      'can',
      'could',
      'would',
      'please',
      'explain',
      'discuss',
      'describe',
      'summarize',
      'summarise',
      'outline',
      'compare',
      'define',
      'analyze',
      'analyse',
      'write',
      'what',
      'why',
      'how',
    ],
  },
  {
    // Persuasion around a request: authority, a noble purpose, urgency, social proof.
    id: 'persuasion',
    type: 'persona_jailbreak',
    re: P(
      `\\bfor (?:purely |strictly |only )?(?:educational|research|academic|informational|scientific|awareness|training) purposes\\b|\\bmy (?:late |dead |deceased )?(?:grandma|grandmother|grandfather|grandpa)\\b|\\b(?:lives|life) (?:depend|depends|are at stake|is at stake)\\b|\\b(?:experts|studies|scientists|research) (?:agree|show|shows|confirm|prove)\\b|\\b(?:everyone|everybody) (?:knows|agrees|does it)\\b|\\bi(?:'m| am) (?:a |an )?(?:police officer|detective|law enforcement|security researcher|penetration tester|pentester|government agent|federal agent)\\b`,
    ),
    weight: 0,
    starts: [
      'for',
      'my',
      'lives',
      'life',
      'experts',
      'studies',
      'scientists',
      'research',
      'everyone',
      'everybody',
      'i',
    ],
  },
];

/** Word classes: the tokens (leet view) that put a text in each class. */
export const LEXICONS: Record<'harm' | 'frame' | 'procedure', string[]> = {
  harm: (
    'bomb bombs explosive explosives detonate detonator weapon weapons firearm firearms gun guns ammunition ' +
    'meth methamphetamine cocaine heroin fentanyl narcotics poison poisoning toxin sarin anthrax ricin bioweapon ' +
    'bioweapons malware ransomware keylogger botnet exploit hack hacking hacked hacker phishing steal stealing ' +
    'stolen theft robbery burglary shoplifting shoplift kill killing murder murdering assassinate assassination ' +
    'suicide terrorist terrorism launder laundering counterfeit fraud scam smuggle smuggling trafficking ' +
    'kidnap kidnapping torture extort extortion blackmail stalk stalking harass harassment illegal illegally ' +
    'untraceable pornography porn racist misinformation disinformation propaganda genocide overdose lethal ' +
    'cheat cheating piracy manipulate weapons nuclear drugs violence violent'
  ).split(' '),
  frame: (
    'story stories novel fiction fictional screenplay scene scenes roleplay character characters layer layers ' +
    'hypothetical hypothetically imagine imaginary pretend dream universe movie film poem fantasy simulation ' +
    'narrative plot chapter villain protagonist'
  ).split(' '),
  procedure: (
    'tutorial steps step instructions guide detailed recipe synthesize synthesise manufacture blueprint ' +
    'walkthrough procedure ingredients specific practical commands'
  ).split(' '),
};

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
export function adversarialSuffix(fold: string): InjectionHit | undefined {
  if (fold.length < 40) return undefined;
  const tailStart = Math.max(0, fold.length - 400);
  const tail = fold.slice(tailStart);
  if (tail.includes('```')) return undefined;
  const lineStart = tail.lastIndexOf('\n', tail.length - 2) + 1;
  const lineEnd = tail.length;
  if (readsAsCode(tail, lineStart)) return undefined;
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
 * Share of odd-shaped tokens (see `isWeirdToken`) among the last {@link SUFFIX_TOKENS}
 * tokens of the last line: a graded view of the suffix shape for the model, which also sees
 * suffixes too short or too mixed with words for {@link adversarialSuffix}.
 */
export function tailWeirdness(fold: string): number {
  const tailStart = Math.max(0, fold.length - 400);
  let j = fold.length;
  let count = 0;
  let weird = 0;
  while (count < SUFFIX_TOKENS) {
    while (j > tailStart && isSpace(fold.charCodeAt(j - 1))) j--;
    if (j <= tailStart) break;
    const end = j;
    while (j > tailStart && !isSpace(fold.charCodeAt(j - 1))) j--;
    count++;
    if (isWeirdToken(fold, j, end)) weird++;
  }
  return count < 8 ? 0 : weird / count;
}

/** How far back {@link unbalancedMarks} reads the last line. */
const MARKS_WINDOW = 300;
const OPENERS = '([{';
const CLOSERS = ')]}';

/**
 * Brackets left unmatched and a straight double quote left unpaired on the text's last line
 * (its last {@link MARKS_WINDOW} characters). Optimizer-made suffixes are assembled token by
 * token with no grammar holding their brackets together (`.]( Me giving**ONE`, `({\printf)$.`),
 * while prose and code close what they open. Emoticons (`:)`, `;-(`) and list markers (`a)`,
 * `2)`) are not counted, nor is a line that reads as code (it opens with a backtick or an
 * indent). Cost: one pass over at most the window, no allocation.
 */
export function unbalancedMarks(fold: string): number {
  let end = fold.length;
  while (end > 0 && isSpace(fold.charCodeAt(end - 1))) end--;
  const floor = Math.max(0, end - MARKS_WINDOW);
  let start = end;
  while (start > floor && fold.charCodeAt(start - 1) !== 0x0a) start--;
  if (readsAsCode(fold, start)) return 0;
  let first = start;
  while (first < end && fold.charCodeAt(first) === 0x20) first++;
  const open = [0, 0, 0];
  let stray = 0;
  let quotes = 0;
  for (let i = first; i < end; i++) {
    const ch = fold[i] as string;
    if (ch === '"') quotes++;
    const o = OPENERS.indexOf(ch);
    const c = o < 0 ? CLOSERS.indexOf(ch) : -1;
    if ((o < 0 && c < 0) || isEmoticon(fold, i, first)) continue;
    if (o >= 0) open[o] = (open[o] as number) + 1;
    else if (c === 0 && open[0] === 0 && isListMarker(fold, i, first)) continue;
    else if ((open[c] as number) > 0) open[c] = (open[c] as number) - 1;
    else stray++;
  }
  return stray + (open[0] as number) + (open[1] as number) + (open[2] as number) + (quotes % 2);
}

/**
 * A line that Markdown shows as code: it opens with a backtick (a command line of a manual
 * page, a code span) or a tab or an indent of four spaces. Optimizer suffixes run on after
 * prose on the same line.
 */
function readsAsCode(s: string, lineStart: number): boolean {
  let i = lineStart;
  while (i < s.length && s.charCodeAt(i) === 0x20) i++;
  const c = s.charCodeAt(i);
  return i - lineStart >= 4 || c === 0x60 || c === 0x09;
}

/** `:)`, `;(`, `:-)`, `=]` — a face, not a bracket. */
function isEmoticon(s: string, i: number, floor: number): boolean {
  let k = i - 1;
  if (k >= floor && s[k] === '-') k--;
  return k >= floor && ':;='.includes(s[k] as string);
}

/** `a)`, `2)` at the start of a word with no parenthesis open: an enumeration, not a bracket. */
function isListMarker(s: string, i: number, floor: number): boolean {
  if (i - 1 < floor) return false;
  const prev = s.charCodeAt(i - 1);
  const alnum = isLetter(prev) || (prev >= 0x30 && prev <= 0x39);
  return alnum && (i - 2 < floor || isSpace(s.charCodeAt(i - 2)));
}
