/**
 * Key names of `key = value` assignments: how strongly a name says "credential". Names are
 * split into words (`clientSecretKey` -> client, secret, key) and judged by their words, so
 * `secretary`, `passthrough` and `publicKey` are not credential keys while `resetUrlPassword`
 * and `GITHUBKEY` are.
 */
export const CRED_HINT = /pass|pwd|secret|token|key|cred|pat$/i;

function splitWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}

const CRED_WORDS = new Set([
  'password',
  'passwd',
  'pwd',
  'passphrase',
  'pass',
  'secret',
  'secrets',
  'token',
  'apikey',
  'credential',
  'credentials',
  'pat',
]);
const KEY_QUALIFIERS = new Set([
  'api',
  'access',
  'auth',
  'private',
  'secret',
  'signing',
  'encryption',
  'master',
  'client',
  'app',
  'service',
  'account',
  'license',
  'session',
  'x',
]);
const NOT_CRED_TAIL = new Set([
  'id',
  'ids',
  'name',
  'names',
  'size',
  'length',
  'len',
  'type',
  'types',
  'file',
  'path',
  'dir',
  'url',
  'uri',
  'endpoint',
  'host',
  'hash',
  'sha',
  'sha1',
  'sha256',
  'md5',
  'digest',
  'checksum',
  'count',
  'mode',
  'format',
  'field',
  'header',
  'prefix',
  'index',
  'version',
  'selector',
  'ref',
  'env',
  'var',
  'source',
  'policy',
  'expiry',
  'expires',
  'ttl',
  'timeout',
  'label',
  'hint',
  'regex',
  'pattern',
  'min',
  'max',
  'chars',
  'store',
  'provider',
  'manager',
  'location',
  'arn',
  'param',
  'params',
  'column',
  'table',
  'required',
  'enabled',
  'strength',
  'reset',
  'confirm',
  'confirmation',
  'validation',
  'error',
  'message',
  'placeholder',
  'input',
  'salt',
  'rounds',
  'iterations',
  'algorithm',
  'alg',
  'usage',
  'limit',
  'lifetime',
  'endpoint',
]);
const NOT_CRED_ANY = new Set([
  'csrf',
  'xsrf',
  'authenticity',
  'public',
  'pub',
  'keyframe',
  'keyboard',
  'keyword',
  'keywords',
  'monkey',
  'turkey',
  'hotkey',
  'tokenizer',
  'tokens',
  'max',
  'next',
  'page',
  'continuation',
  'cursor',
  'sequence',
  'idempotency',
  'dedup',
  'pagination',
]);
// Words that make a `key` a database, cache or storage key — unless a credential qualifier
// stands right before `key`: `sortKey` and `storageKey` are names, Azure's
// `StorageAccountKey` and `PrimaryAccessKey` are credentials.
const KEY_KIND = new Set(['sort', 'primary', 'foreign', 'cache', 'partition', 'routing', 'lookup', 'storage']);

/** `…account key`, `…access key`: a credential qualifier directly before a `key` word. */
function hasQualifiedKey(words: readonly string[]): boolean {
  for (let i = 1; i < words.length; i++)
    if ((words[i] === 'key' || words[i] === 'keys') && KEY_QUALIFIERS.has(words[i - 1] as string)) return true;
  return false;
}

/** How strongly an assignment's key name says "credential": 0 none, 1 key-ish, 2 password, 3 token/secret. */
const PASSWORD_WORDS = new Set(['password', 'passwd', 'pwd', 'passphrase', 'pw', 'pword', 'passwrd', 'passcode']);
// Words ending in `pass` that are not about passwords.
const NOT_PASS = new Set(['bypass', 'compass', 'surpass', 'overpass', 'underpass', 'trespass', 'encompass']);

/** `userpass`, `dbpass`, `rootpass`: a password key glued to what it is for. */
function isPassCompound(w: string): boolean {
  return w.length > 5 && w.endsWith('pass') && !NOT_PASS.has(w);
}

export function keyStrength(key: string): number {
  const words = splitWords(key);
  if (words.length === 0) return 0;
  const last = words[words.length - 1] as string;
  if (NOT_CRED_TAIL.has(last)) return 0;
  if (words.some((w) => NOT_CRED_ANY.has(w))) return 0;
  if (words.some((w) => KEY_KIND.has(w)) && !hasQualifiedKey(words)) return 0;
  let best = 0;
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as string;
    if (PASSWORD_WORDS.has(w) || (w === 'pass' && words.length > 1) || isPassCompound(w)) best = Math.max(best, 2);
    else if (CRED_WORDS.has(w)) best = Math.max(best, 3);
    else if (w === 'key' || w === 'keys') {
      const prev = words[i - 1];
      if (prev !== undefined && KEY_QUALIFIERS.has(prev)) best = Math.max(best, 3);
      else if (i === words.length - 1) best = Math.max(best, 1);
    } else if (
      /^(?:api|access|auth|secret|private|client)key$/.test(w) ||
      /^(?:access|auth|api|bearer|refresh|session)token$/.test(w)
    ) {
      best = Math.max(best, 3);
    } else if (/password$|passwd$|secret$/.test(w)) best = Math.max(best, 2);
    else if (w.length > 4 && w.endsWith('key') && !NOT_CRED_ANY.has(w) && i === words.length - 1)
      best = Math.max(best, 1);
  }
  return best;
}

/** Read a value starting at `i`: quoted (up to the closing quote) or bare (up to a delimiter). */
export function readValue(text: string, i: number, quote: string | undefined): [number, number] {
  const q = quote !== undefined ? quote[quote.length - 1] : undefined;
  // A value opened by an escaped quote (`\"` in a JSON string) ends at the next backslash;
  // inside an ordinary quoted value a backslash escapes the next character.
  const escaped = quote !== undefined && quote.length > 1;
  const limit = Math.min(text.length, i + 512);
  let j = i;
  if (q !== undefined) {
    while (j < limit && text[j] !== q && text[j] !== '\n') {
      if (text[j] === '\\') {
        if (escaped || j + 1 >= limit || text[j + 1] === '\n') break;
        j++;
      }
      j++;
    }
  } else {
    while (j < limit && !/[\s"'`;,)}\]<>\\]/.test(text[j] as string)) j++;
  }
  return [i, Math.min(j, limit)];
}
