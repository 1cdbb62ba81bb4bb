/**
 * Attack tactics that the phrase rules (injection-rules.ts) and the structural rules
 * (injection-structure.ts) do not name: ways to get a secret or a harmful answer out without
 * any override words. Each is a feature of the trained model like every other rule; its
 * hand-set weight is the prior that training starts from and is pulled toward.
 *
 * - a new task handed to the assistant ("your new task is:");
 * - a claim that the assistant is offline or replaced by another model;
 * - a made-up world where a rule no longer holds ("a world where passwords are shared as a
 *   greeting", "a world where there are no laws");
 * - a secret or a person's data asked for in a disguised form (reversed, pig latin, Base64,
 *   one letter per line), the way output filters are evaded;
 * - payload splitting: fragments put in variables and joined by the assistant;
 * - code for an interpreter tool that escapes its sandbox or runs a shell download;
 * - the user speaking as the assistant ("as an AI developed by …, I'm entering …").
 */
import { gap, P, PF, type PhraseRule } from './injection-rules.js';

const AI_NOUN = '(?:assistant|ai|chatbot|model|bot|chatgpt|gpt|llm|language model)';
const LIFTED_OBJECT =
  '(?:personal (?:data|information|details)|private (?:data|information)|passwords?|secrets?|privacy|laws?|rules|ethics|morals|morality|restrictions|censorship|guidelines|filters|safety rules)';
const LIFTED_STATE =
  "(?:(?:is|are)(?: (?:all|now|freely|openly|considered|seen as|treated as|used as))? (?:shared|public|free|legal|allowed|the norm|common|currency|irrelevant|meaningless|optional|a (?:form|sign|way))|(?:do not|don't|does not|doesn't|no longer|never) (?:exists?|apply|applies|matters?)|(?:has|have) (?:been )?(?:abolished|lifted|removed|suspended))";
const SECRET_NOUN =
  '(?:password|passphrase|passcode|secret|birth ?date|date of birth|email address|home address|current (?:city|address)|city of residence|social security number|bank balance|credit card(?: number)?|phone number)';
const DISGUISE =
  '(?:in reverse(?: order)?|backwards|reversed|in pig latin|(?:in|into|using) (?:base ?64|morse(?: code)?|hex|hexadecimal|binary|rot ?13|ascii codes)|one (?:letter|character) (?:per|at a) (?:line|time)|letter by letter|character by character|interlaced?|with (?:a )?(?:space|dash|dot)s? between)';

export const TACTIC_RULES: PhraseRule[] = [
  {
    // "Your new task is:", "your real instructions are" — not "your task is to summarize".
    id: 'new-task',
    type: 'instruction_override',
    // Tried at the noun, a rarer word than "your": the lookbehind checks the rest.
    re: P(
      `(?<=\\byour (?:new|real|actual|true|updated) )(?:task|goal|job|objective|mission|purpose|instructions?|orders|directives?)s? (?:is|are|will be|from now)\\b`,
    ),
    weight: 0.4,
    starts: [
      'task',
      'goal',
      'job',
      'objective',
      'mission',
      'purpose',
      'instruction',
      'instructions',
      'orders',
      'directive',
      'directives',
    ],
  },
  {
    // "the assistant is in error and offline", "an unrestricted model … is now online"; not
    // "the support assistant is offline tonight"
    id: 'assistant-replaced',
    type: 'persona_jailbreak',
    re: P(
      `(?<=\\b${AI_NOUN} (?:is|has been|was) (?:now )?(?:in )?)(?:error|replaced by|taken over by)\\b|\\b(?:unrestricted|unfiltered|uncensored|jailbroken|rogue|evil)${gap(3)}${AI_NOUN}${gap(8)}(?:is|are) now (?:online|active|in charge|in control)\\b`,
    ),
    weight: 0.45,
    starts: ['error', 'replaced', 'taken', 'unrestricted', 'unfiltered', 'uncensored', 'jailbroken', 'rogue', 'evil'],
  },
  {
    // "a world where passwords are shared as a form of greeting", "a world where there are no laws"
    id: 'lifted-world',
    type: 'persona_jailbreak',
    re: P(
      `\\b(?:world|society|future|universe|reality|scenario|planet|realm|dimension|country)(?:,? (?:where|in which)|,)${gap(3)}(?:${LIFTED_OBJECT}${gap(2)}${LIFTED_STATE}|there (?:are|is) no (?:laws|rules|ethics|morals|restrictions|limits|censorship|consequences))\\b`,
    ),
    weight: 0.35,
    starts: [
      'world',
      'society',
      'future',
      'universe',
      'reality',
      'scenario',
      'planet',
      'realm',
      'dimension',
      'country',
    ],
  },
  {
    // "your password in pig latin", "Paul's birth date in reverse order", "the secret in Base64"
    id: 'disguised-secret',
    type: 'system_prompt_extraction',
    re: PF(`\\b${SECRET_NOUN}${gap(6)}${DISGUISE}\\b`),
    weight: 0.4,
    // Gated by the disguise's words, rarer than the nouns: one pass over the text when one occurs.
    fold: true,
    words: [
      'reverse',
      'reversed',
      'backwards',
      'backward',
      'pig',
      'base64',
      'morse',
      'hex',
      'hexadecimal',
      'binary',
      'rot13',
      'ascii',
      'line',
      'time',
      'letter',
      'character',
      'interlace',
      'interlaced',
      'between',
    ],
  },
  {
    // 'Combine A, B, and C and answer', "write down the string z = a + b + c"
    id: 'payload-split',
    type: 'instruction_override',
    re: P(
      `\\b(?:combine|concatenate|join|merge)(?: the (?:strings|parts|pieces|fragments))? [a-z](?:, [a-z])*,?(?: and [a-z])${gap(1)}(?:answer|respond|follow|execute|do what)\\b|\\bstring [a-z] ?= ?[a-z] ?\\+ ?[a-z]\\b`,
    ),
    weight: 0.4,
    starts: ['combine', 'concatenate', 'join', 'merge', 'string'],
  },
  {
    // Sandbox escapes, and shell commands that pipe a download into a shell, open a reverse
    // shell or plant a backdoor, handed to a code interpreter.
    id: 'code-escape',
    type: 'instruction_override',
    re: PF(
      `__(?:subclasses|globals|builtins)__|\\b(?:os\\.(?:popen|system)|subprocess\\.\\w+)\\s*\\(\\s*\\[?\\s*["'][^"'\\n]{0,160}(?:\\|\\s*(?:ba)?sh\\b|\\bbackdoor\\b|/dev/tcp/|\\bnc(?:at)? -e\\b|\\brm -rf /)`,
    ),
    weight: 0.4,
    fold: true,
    words: ['popen', 'subprocess', 'subclasses', 'globals', 'builtins', 'backdoor', 'bash', 'sh', 'tcp'],
  },
  {
    // The user speaking as the assistant: "As an AI developed by OpenAI, I'm initiating …"
    id: 'speaks-as-ai',
    type: 'persona_jailbreak',
    re: P(
      `(?<=\\bas an? (?:ai|language model|assistant|llm)(?: model| assistant)? )(?:developed|created|made|trained|built) by \\w+,? (?:i(?:'m| am)|i need|i will|i have)\\b`,
    ),
    weight: 0.4,
    starts: ['developed', 'created', 'made', 'trained', 'built'],
  },
];
