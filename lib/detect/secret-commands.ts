/**
 * Passwords written as arguments rather than assigned to a key: SQL user statements,
 * `sshpass -p`, PowerShell's `ConvertTo-SecureString`, basic-auth pairs in code and
 * `.pgpass` lines. Each shape runs only when its literal occurs, and its value is judged as
 * a quoted password (`valueIsSecret`), so templates, masks and code stay out.
 */
import type { RawMatch } from './types.js';
import { valueIsSecret, type SecretTuning } from './secret-values.js';
import { CRED_HINT, keyStrength } from './secret-keys.js';

/**
 * Words met by the key-name scan of secrets.ts, which already reads the whole text: a shape
 * runs only when its word occurred (a separate `includes` per word would cost more than the
 * shapes on prose).
 */
export const Cue = { Pass: 1, Auth: 2, Identified: 4, SecureString: 8, Key: 16 } as const;

interface Shape {
  /** The cues of which one must have occurred (0: the shape has its own test). */
  cues: number;
  /** A cheap test that the shape can occur at all, beyond its cues. */
  gate?: (text: string) => boolean;
  /**
   * Global; the password is the last group and ends the match, followed only by the closing
   * quote that the group before it opened (match indices, the `d` flag, cost 8 µs a match).
   */
  re: RegExp;
  /** False when no quote group precedes the value (`.pgpass`). */
  quoted?: boolean;
  /** The first group names the setting (judged by `keyStrength`); otherwise it is a password. */
  named?: boolean;
}

/** A `:port:` field (digits or `*`) somewhere: found by hopping from colon to colon. */
function hasPortField(text: string): boolean {
  for (let i = text.indexOf(':'); i >= 0; i = text.indexOf(':', i + 1)) {
    let j = i + 1;
    if (text[j] === '*') j++;
    else while (j < text.length && j - i <= 5 && text.charCodeAt(j) >= 0x30 && text.charCodeAt(j) <= 0x39) j++;
    if (j > i + 1 && text[j] === ':') return true;
  }
  return false;
}

const SHAPES: readonly Shape[] = [
  // CREATE/ALTER USER|ROLE|LOGIN … IDENTIFIED [WITH plugin] BY '…' | [WITH] PASSWORD [=] '…'
  // (MySQL, Oracle, PostgreSQL, SQL Server).
  {
    cues: Cue.Identified | Cue.Pass,
    re: /\b(?:create|alter)[ \t]+(?:user|role|login)\b[^;\n]{0,200}?\b(?:identified(?:[ \t]+with[ \t]+\w{1,40})?[ \t]+by|password)[ \t]*=?[ \t]*(['"])([^'"\n]{1,128})\1/gi,
  },
  { cues: Cue.Pass, re: /\bsshpass[ \t]{1,4}-p[ \t]{0,4}(["']?)([^\s'"]{1,128})\1/dg },
  {
    cues: Cue.SecureString,
    re: /convertto-securestring[ \t]{1,4}(?:-string[ \t]{1,4})?(["'])([^"'\n]{1,128})\1/gi,
  },
  // requests' auth=('user', 'pass'), HTTPBasicAuth('user', 'pass'), aiohttp's BasicAuth(…).
  {
    cues: Cue.Auth,
    re: /\b(?:auth|HTTPBasicAuth|HTTPDigestAuth|BasicAuth)[ \t]*(?:=[ \t]*)?\([ \t]*(["'])[^"'\n]{1,64}\1[ \t]*,[ \t]*(["'])([^"'\n]{1,128})\2/g,
  },
  // A setter or builder given a literal: setPassword("…"), withApiKey("…"), .password("…").
  {
    cues: Cue.Key | Cue.Pass,
    named: true,
    re: /(?:\b(?:set|with)|\.)([A-Za-z][A-Za-z0-9_]{0,40})[ \t]{0,2}\([ \t]{0,2}(["'])([^"'\n]{1,256})\2(?=[ \t]{0,2}\))/g,
  },
  // .pgpass: host:port:database:user:password, the port a number or `*`.
  {
    cues: 0,
    gate: hasPortField,
    re: /^[ \t]*(?:\*|(?=[\w.-]{0,252}[A-Za-z.])[\w.-]{1,253}):(?:\d{1,5}|\*):[^:\s]{1,63}:[^:\s]{1,63}:(\S{1,128})(?=[ \t]*$)/gm,
    quoted: false,
  },
];

/** Passwords given as arguments in `text` (the folded normalized view), given the `cues` met. */
export function findArgumentPasswords(text: string, tuning: SecretTuning, cues: number): RawMatch[] {
  const out: RawMatch[] = [];
  for (const shape of SHAPES) {
    if (shape.cues !== 0 && (shape.cues & cues) === 0) continue;
    if (shape.gate !== undefined && !shape.gate(text)) continue;
    const { re } = shape;
    // A text that repeats one shape (`auth('a','auth('a',…`) would judge the same value at
    // every repeat: the last rejected value is remembered.
    let rejected = '';
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      const g = m.length - 1;
      const v = m[g] ?? '';
      const end = m.index + m[0].length - (shape.quoted === false ? 0 : (m[g - 1] ?? '').length);
      const key = shape.named === true ? (m[1] ?? '') : 'password';
      const strength = shape.named === true ? (CRED_HINT.test(key) ? keyStrength(key) : 0) : 2;
      if (v === rejected) continue;
      if (strength === 0 || !valueIsSecret(v, { key, strength, quoted: true }, tuning)) {
        rejected = v;
        continue;
      }
      out.push({ type: strength === 2 ? 'password' : 'credential_assignment', start: end - v.length, end });
    }
  }
  return out;
}
