/**
 * Values of credentials found by key name, URL or header: placeholders, templates and code
 * references are not secrets; the rest is judged by length and Shannon entropy, with limits
 * that `npm run eval` tunes and checks source by source (docs/secrets.md).
 */

const PLACEHOLDER =
  /^(?:changeme|change_me|password|passwd|secret|token|example|sample|dummy|test|testing|none|null|nil|undefined|true|false|todo|tbd|redacted|placeholder|your[\w-]*|my[\w-]*|insert[\w-]*|enter[\w-]*|replace[\w-]*|foo|bar|baz|foobar|admin|root|user|username|pass|xxx+|\*+|\.+|-+|_+)$/i;

/** Shannon entropy of `s` in bits per character. */
export function shannonEntropy(s: string): number {
  if (s.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const c of counts.values()) {
    const p = c / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/** True for values that are obviously not a real credential: templates, masks, examples. */
export function isPlaceholder(v: string): boolean {
  if (PLACEHOLDER.test(v)) return true;
  if (/[$%]\{|\{\{|<[^>]*>|^\$[A-Za-z_(]|^%[A-Za-z_]+%$|^\[[^\]]*\]$|^\{[^}]*\}$|^\$\(/.test(v)) return true;
  if (/x{5,}|X{5,}|\*{3,}|#{4,}|\.{3}|0{8,}/.test(v)) return true;
  if (/example|sample|dummy|placeholder|redacted|your[_-]?(?:api|secret|token|key|pass)/i.test(v)) return true;
  if (/_here$|^<%.*%>$|^%env\(|^\$\{\{/i.test(v)) return true;
  // A YAML tag (`!Ref`, `!ImportValue`, Ansible's `!vault`) and SOPS's `ENC[…]`: a reference
  // or a value encrypted at rest, not a written secret.
  if (/^![A-Za-z]|^ENC\[/.test(v)) return true;
  if (/^[{<[$%]/.test(v)) return true; // template or shell variable, possibly cut short
  // A backtick opens a template only if another closes it: inside quotes "`x9…" is a password.
  if (/^`.*`/.test(v)) return true;
  if (KNOWN_EXAMPLES.has(v)) return true;
  return false;
}

// Published example credentials (AWS documentation, the Firebase Android SDK's sample
// keys): they appear in countless docs and tests and grant nothing.
const KNOWN_EXAMPLES = new Set([
  'AKIAIOSFODNN7EXAMPLE',
  'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  'AIzaSyabcdefghijklmnopqrstuvwxyz1234567',
  'AIzaSyAnLA7NfeLquW1tJFpx_eQCxoX-oo6YyIs',
  'AIzaSyCkEhVjf3pduRDt6d1yKOMitrUEke8agEM',
  'AIzaSyDMAScliyLx7F0NPDEJi1QmyCgHIAODrlU',
  'AIzaSyD3asb-2pEZVqMkmL6M9N6nHZRR_znhrh0',
  'AIzayDNSXIbFmlXbIE6mCzDLQAqITYefhixbX4A',
  'AIzaSyAdOS2zB6NCsk1pCdZ4-P6GBdi_UUPwX7c',
  'AIzaSyASWm6HmTMdYWpgMnjRBjxcQ9CKctWmLd4',
  'AIzaSyANUvH9H9BsUccjsu2pCmEkOPjjaXeDQgY',
  'AIzaSyA5_iVawFQ8ABuTZNUdcwERLJv_a_p4wtM',
  'AIzaSyA4UrcGxgwQFTfaI3no3t7Lt1sjmdnP5sQ',
  'AIzaSyDSb51JiIcB6OJpwwMicseKRhhrOq1cS7g',
]);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Member access, calls, paths and URLs: code even inside quotes. */
function looksLikeReference(v: string): boolean {
  return (
    /^[A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)+(?:\(.*)?$/.test(v) ||
    /^(?:\.{0,2}\/|~\/|[A-Za-z]:\\)/.test(v) ||
    /^(?:https?|s3|gs|file):\/\//i.test(v)
  );
}

export function looksLikeCode(v: string): boolean {
  // Identifiers, dotted member access, paths and calls are code, not secrets.
  if (/^[A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)+(?:[([].*)?$/.test(v)) return true;
  if (/^[A-Za-z_]\w*[([]/.test(v)) return true; // a call or an index: input(…), env[…]
  if (/^[a-z]+(?:[_-][a-z]+)*$/.test(v) || /^[A-Z]+(?:_[A-Z0-9]+)*$/.test(v)) return true;
  if (/^[a-z][a-z0-9]*(?:[A-Z][a-z0-9]*)+$/.test(v) && !/\d.*\d.*\d/.test(v)) return true;
  if (/^(?:\.{0,2}\/|~\/|[A-Za-z]:\\)/.test(v) || /\.(?:pem|key|crt|cer|json|ya?ml|txt|env|p12|pfx|jks)$/i.test(v))
    return true;
  if (/^(?:https?|s3|gs|file):\/\//i.test(v)) return true;
  if (/^\d+(?:\.\d+)*$/.test(v)) return true;
  return false;
}

/**
 * The limits of {@link valueIsSecret}. They are chosen from data (`npm run eval` shows the
 * figure of each development source when they are chosen without that source).
 */
export interface SecretTuning {
  /** Shortest password (a value of a `password`-like key). */
  passwordMinLength: number;
  /** Least entropy of a password, bits per character. */
  passwordMinEntropy: number;
  /** Shortest token (a value of a `secret`, `token` or `api_key`-like key). */
  tokenMinLength: number;
  /** Least entropy of a token under a strong key name (`secret`, `token`, `api_key`). */
  tokenMinEntropy: number;
  /** Least entropy of a token under a weak key name (a bare `key`, `slackKey`). */
  keyishMinEntropy: number;
}

export const DEFAULT_TUNING: Readonly<SecretTuning> = {
  passwordMinLength: 4,
  passwordMinEntropy: 2.2,
  tokenMinLength: 12,
  tokenMinEntropy: 3.2,
  keyishMinEntropy: 3.2,
};

/** Where a value was assigned: its key, the key's strength (see `keyStrength`), and whether it was quoted. */
export interface Assignment {
  key: string;
  strength: number;
  quoted?: boolean;
}

/** Whether `v`, assigned as `to` says, is a credential. */
export function valueIsSecret(v: string, to: Assignment, t: SecretTuning = DEFAULT_TUNING): boolean {
  const { key, strength, quoted = false } = to;
  if (v.length === 0 || isPlaceholder(v) || isKeyEcho(v, key)) return false;
  // A quoted password is a string literal even when it looks like an identifier.
  if (strength >= 3 && isLongNumber(v)) return shannonEntropy(v) >= 3;
  if (strength === 2 && quoted ? looksLikeReference(v) : looksLikeCode(v)) return false;
  // A quoted string under a `secret`/`credential` key is often human-chosen, like a password
  // (`"secret": "Winter2024!"`): password limits, but it must hold more than letters.
  if (strength >= 3 && quoted && HUMAN_SECRET_KEY.test(key) && /[^A-Za-z]/.test(v) && isPasswordLike(v, t)) return true;
  // Passwords are human-chosen: accept lower entropy but not trivial values.
  if (strength === 2) return isPasswordLike(v, t);
  const h = shannonEntropy(v);
  if (v.length < t.tokenMinLength || v.length > 512) return false;
  if (UUID.test(v)) return !/id$/i.test(key);
  const hexOnly = /^[0-9a-fA-F]+$/.test(v);
  if (hexOnly) return h >= 2.8 && (strength >= 3 || v.length >= 32);
  if (!/\d/.test(v) && !/[A-Z]/.test(v.slice(1))) return false;
  return h >= (strength >= 3 ? t.tokenMinEntropy : t.keyishMinEntropy);
}

const HUMAN_SECRET_KEY = /secret|credential|passphrase/i;

function isPasswordLike(v: string, t: SecretTuning): boolean {
  return (
    v.length >= t.passwordMinLength &&
    v.length <= 128 &&
    shannonEntropy(v) >= t.passwordMinEntropy &&
    !/^(.)\1+$/.test(v)
  );
}

/**
 * A numeric API key (`NUMERIC_APIKEY: 1925…`): sixteen digits or more under a token or
 * secret key, not a run of consecutive digits (`1234567890123456`, a dummy).
 */
function isLongNumber(v: string): boolean {
  return (
    /^\d{16,64}$/.test(v) && !'01234567890123456789012345678901234567890123456789012345678901234567890'.includes(v)
  );
}

/** `password: password`, `DB_PASSWORD=DB_PASSWORD`: the value repeats (the end of) its key. */
function isKeyEcho(v: string, key: string): boolean {
  const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
  const nv = norm(v);
  return nv.length > 0 && norm(key).endsWith(nv);
}
