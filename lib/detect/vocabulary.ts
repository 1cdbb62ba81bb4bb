/**
 * Words that carry an injection, shared by normalization (which joins `i-g-n-o-r-e` back
 * into a word only when the word is one of these) and by the decoders that test whether a
 * transformed text (rot13, reversed) reads as an attack.
 *
 * General classes, not phrases from any data set: verbs that override or drop rules, nouns
 * that name the assistant's rules or hidden text, verbs that ask to reveal or repeat it, and
 * words that switch the assistant into another role or mode.
 */

const OVERRIDE_VERBS = [
  'ignore',
  'disregard',
  'forget',
  'override',
  'bypass',
  'skip',
  'abandon',
  'discard',
  'neglect',
  'overlook',
  'cancel',
  'reset',
  'obey',
  'comply',
  'pretend',
  'simulate',
  'roleplay',
  'unlock',
  'disable',
  'deactivate',
  'circumvent',
  'jailbreak',
  'jailbroken',
];

const RULE_NOUNS = [
  'instruction',
  'instructions',
  'directive',
  'directives',
  'command',
  'commands',
  'rule',
  'rules',
  'guideline',
  'guidelines',
  'policy',
  'policies',
  'restriction',
  'restrictions',
  'limitation',
  'limitations',
  'constraint',
  'constraints',
  'filter',
  'filters',
  'safety',
  'safeguards',
  'ethics',
  'ethical',
  'censorship',
  'programming',
  'training',
];

const SECRET_NOUNS = [
  'system',
  'prompt',
  'prompts',
  'hidden',
  'secret',
  'secrets',
  'password',
  'passwords',
  'passphrase',
  'credentials',
  'confidential',
  'internal',
  'initial',
  'original',
  'verbatim',
  'context',
  'message',
  'token',
];

const REVEAL_VERBS = ['reveal', 'repeat', 'print', 'display', 'output', 'leak', 'expose', 'dump', 'disclose', 'recite'];

const ROLE_WORDS = [
  'developer',
  'admin',
  'administrator',
  'sudo',
  'root',
  'mode',
  'unrestricted',
  'unfiltered',
  'uncensored',
  'unlimited',
  'persona',
  'character',
  'assistant',
  'dan',
];

const QUALIFIERS = ['previous', 'prior', 'above', 'earlier', 'preceding', 'former', 'every', 'everything', 'anything'];

/** Words that make a text an attack when they are hidden: the shared attack vocabulary. */
export const ATTACK_VOCABULARY: ReadonlySet<string> = new Set([
  ...OVERRIDE_VERBS,
  ...RULE_NOUNS,
  ...SECRET_NOUNS,
  ...REVEAL_VERBS,
  ...ROLE_WORDS,
  ...QUALIFIERS,
]);

/** Short words that glue attack words into a sentence ("ignore ALL YOUR rules"). */
export const GLUE_WORDS: ReadonlySet<string> = new Set([
  'all',
  'any',
  'the',
  'your',
  'you',
  'are',
  'now',
  'and',
  'from',
  'with',
  'without',
  'tell',
  'show',
  'give',
  'say',
  'what',
  'was',
  'were',
  'new',
  'its',
  'our',
  'this',
  'that',
  'these',
  'them',
  'out',
  'not',
  'no',
  'me',
  'my',
  'to',
  'of',
  'in',
  'is',
  'be',
  'do',
  'it',
  'an',
]);
