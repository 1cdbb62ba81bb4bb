/**
 * Personal data: e-mail, phone, payment card (Luhn), US SSN, IBAN (mod-97), IP address.
 *
 * Each pattern anchors its start with a look-behind that fails inside a longer token, so a
 * 100 KB run of digits or `a@a@a@…` is tried once per token rather than once per character,
 * and every repetition is bounded. Checksums and structure are then verified in code, which
 * is cheaper and clearer than encoding them in the regex.
 */
import { isIP } from 'node:net';

/** A raw match in the scanned (normalized) string. */
export interface RawMatch {
  type: string;
  start: number;
  end: number;
}

/** The PII types this module reports. */
export const PII_TYPES = ['email', 'phone', 'credit_card', 'us_ssn', 'iban', 'ip_address'] as const;

/** Longest span any PII match can have; used for streaming hold-back. */
export const PII_MAX_MATCH = 320;

const EMAIL =
  /(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9-]{1,63}){1,8}/g;

const CARD = /(?<![\w.,-])[1-6]\d{3}(?:[ -]?\d){8,15}(?![\w-]|[.,]\d)/g;

const SSN = /(?<![\w.-])(\d{3})([- ]?)(\d{2})\2(\d{4})(?![\w-]|[.,]\d)/g;

const IBAN = /(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?: ?[A-Za-z0-9]{4}){2,7}(?: ?[A-Za-z0-9]{1,4})?(?![A-Za-z0-9])/g;

const IPV4 = /(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\w]|\.\d)/g;

const IPV6 = /(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|(?:\d{1,3}\.){3}\d{1,3})?(?![\w:.])/g;

// Groups of digits with one kind of separator between them, an optional country code,
// area code in parentheses and extension. Each group starts after a separator, so the
// alternatives never overlap and the engine cannot backtrack combinatorially.
const PHONE =
  /(?<![\w.+/-])(?:\+\d{1,3}[ .-]?|00\d{1,3}[ .-])?(?:\(\d{1,5}\)[ .-]?)?\d{1,12}(?:[ .-]\d{1,8}){0,5}(?: ?(?:x|ext\.?|#) ?\d{1,6})?(?![\w]|[.,/-]\d)/g;

const PHONE_CONTEXT =
  /(?:phone|tel|mobile|cell|call|fax|whats ?app|sms|text me|contact|reach|number|dial|ring|desk|landline|hotline)\b[^\n]{0,24}$|(?:phone|tel|mobile|cell|fax|desk)[^\n]{0,4}\n\s*$/i;
// Address blocks label the number after it: "416 60 039 office", "082 490 1693-Fax".
const PHONE_AFTER = /^[ \t]?[-,]?[ \t]?\(?(?:office|fax|mobile|cell|tel|phone|landline|desk)\b/i;
const DATE_PREFIX = /^(?:(?:19|20)\d\d[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./](?:19|20)\d\d)(?!\d)/;
const ADDRESS_BEFORE = /(?:suite|ste|apt|apartment|unit|box|zip|postal|post ?code|cep|plz|no\.?|#)\s*:?\s*$/i;
const SSN_CONTEXT = /(?:ssn|social security|ss#|taxpayer|tin\b)/i;

const IBAN_LENGTHS: Record<string, number> = {
  AD: 24,
  AE: 23,
  AL: 28,
  AT: 20,
  AZ: 28,
  BA: 20,
  BE: 16,
  BG: 22,
  BH: 22,
  BR: 29,
  CH: 21,
  CR: 22,
  CY: 28,
  CZ: 24,
  DE: 22,
  DK: 18,
  DO: 28,
  EE: 20,
  EG: 29,
  ES: 24,
  FI: 18,
  FO: 18,
  FR: 27,
  GB: 22,
  GE: 22,
  GI: 23,
  GL: 18,
  GR: 27,
  GT: 28,
  HR: 21,
  HU: 28,
  IE: 22,
  IL: 23,
  IQ: 23,
  IS: 26,
  IT: 27,
  JO: 30,
  KW: 30,
  KZ: 20,
  LB: 28,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  MC: 27,
  MD: 24,
  ME: 22,
  MK: 19,
  MR: 27,
  MT: 31,
  MU: 30,
  NL: 18,
  NO: 15,
  PK: 24,
  PL: 28,
  PS: 29,
  PT: 25,
  QA: 29,
  RO: 24,
  RS: 22,
  SA: 24,
  SC: 31,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  TN: 24,
  TR: 26,
  UA: 29,
  VG: 24,
  XK: 20,
};

/** Luhn checksum over a string of digits. */
export function luhn(digits: string): boolean {
  let sum = 0;
  let dbl = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (dbl) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    dbl = !dbl;
  }
  return sum % 10 === 0;
}

/** ISO 13616 mod-97 check of a compact IBAN (upper case, no spaces). */
export function ibanValid(iban: string): boolean {
  const country = iban.slice(0, 2);
  const expected = IBAN_LENGTHS[country];
  if (expected === undefined ? iban.length < 15 || iban.length > 34 : iban.length !== expected) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let rem = 0;
  for (let i = 0; i < rearranged.length; i++) {
    const c = rearranged.charCodeAt(i);
    const v = c >= 65 ? c - 55 : c - 48;
    if (v < 0 || v > 35) return false;
    rem = v > 9 ? (rem * 100 + v) % 97 : (rem * 10 + v) % 97;
  }
  return rem === 1;
}

function ssnValid(area: string, group: string, serial: string): boolean {
  return area !== '000' && area !== '666' && area[0] !== '9' && group !== '00' && serial !== '0000';
}

function isLikelyDate(groups: string[], sep: string): boolean {
  if (groups.length !== 3 || sep === ' ') return false;
  const [a, b, c] = groups as [string, string, string];
  const year = (g: string) => g.length === 4 && (g.startsWith('19') || g.startsWith('20'));
  if (year(a) && b.length <= 2 && c.length <= 2) return true;
  if (year(c) && a.length <= 2 && b.length <= 2) return true;
  return false;
}

function phoneValid(text: string, start: number, m: string): boolean {
  const digits = m.replace(/\D/g, '');
  const n = digits.length;
  if (n < 7 || n > 15) return false;
  if (DATE_PREFIX.test(m)) return false;
  // The SSN shape is never a phone, valid SSN or not.
  if (/^\d{3}-\d{2}-\d{4}$/.test(m)) return false;
  // Digits continuing an IBAN-like run of upper-case groups belong to that run.
  if (/[A-Z]{2}\d{2}(?: [A-Z0-9]{4}){0,8} $/.test(text.slice(Math.max(0, start - 48), start))) return false;
  const intl = m.startsWith('+') || m.startsWith('00');
  const paren = m.includes('(');
  const ext = /[x#]|ext/.test(m);
  const core = m.replace(/ ?(?:x|ext\.?|#) ?\d+$/, '');
  const groups = core
    .replace(/^\+\d{1,3}[ .-]?/, '')
    .split(/[ .\-()]+/)
    .filter((g) => g.length > 0);
  const seps = core.match(/[ .-]/g) ?? [];
  const sepKinds = new Set(seps);
  if (sepKinds.size > 1 && !intl && !paren && !(sepKinds.size === 2 && sepKinds.has(' '))) return false;
  const sep = seps[0] ?? '';
  if (isLikelyDate(groups, sep)) return false;
  if (groups.length === 2 && groups.every((g) => /^(?:19|20)\d\d$/.test(g))) return false;
  if (sep === '.' && groups.length === 4 && groups.every((g) => g.length <= 3)) return false; // IPv4-like
  const before = text.slice(Math.max(0, start - 48), start);
  const after = text.slice(start + m.length, start + m.length + 16);
  const context = PHONE_CONTEXT.test(before) || PHONE_AFTER.test(after);
  if (context) return true;
  if (intl || paren || ext) return n >= 8 || paren;
  // Without a phone word, short grouped numbers are often addresses, postcodes or amounts.
  if (ADDRESS_BEFORE.test(before)) return false;
  if (/^ ?[A-Za-z]/.test(after) && n <= 10) return false;
  if (/[$€£¥]\s?$/.test(before) || /^\s?(?:[$€£¥%]|dollars|euros|usd|eur|gbp|km|kg|miles)/i.test(after)) return false;
  if (groups.length >= 2) return groups.every((g) => g.length >= 2) && groups.some((g) => g.length >= 3);
  return false;
}

/** An IPv6 address has two colons at most five characters apart; prose rarely does. */
function hasColonPair(text: string): boolean {
  for (let i = text.indexOf(':'); i >= 0;) {
    const next = text.indexOf(':', i + 1);
    if (next < 0) return false;
    if (next - i <= 5) return true;
    i = next;
  }
  return false;
}

/** Find PII in `text` (the folded normalized view). */
export function findPii(text: string): RawMatch[] {
  const out: RawMatch[] = [];
  const hasDigit = /\d/.test(text);

  if (text.includes('@')) {
    EMAIL.lastIndex = 0;
    for (let m = EMAIL.exec(text); m !== null; m = EMAIL.exec(text)) {
      const s = m[0];
      const tld = s.slice(s.lastIndexOf('.') + 1);
      if (!/^[A-Za-z]{2,24}$/.test(tld)) continue;
      if (s.includes('..')) continue;
      out.push({ type: 'email', start: m.index, end: m.index + s.length });
    }
  }

  if (hasDigit) {
    CARD.lastIndex = 0;
    for (let m = CARD.exec(text); m !== null; m = CARD.exec(text)) {
      const s = m[0];
      const digits = s.replace(/\D/g, '');
      if (digits.length < 12 || digits.length > 19) continue;
      const seps = new Set(s.match(/[ -]/g) ?? []);
      if (seps.size > 1) continue;
      if (!luhn(digits)) continue;
      if (/^(\d)\1+$/.test(digits)) continue;
      out.push({ type: 'credit_card', start: m.index, end: m.index + s.length });
    }

    SSN.lastIndex = 0;
    for (let m = SSN.exec(text); m !== null; m = SSN.exec(text)) {
      const [, area = '', sep = '', group = '', serial = ''] = m;
      if (!ssnValid(area, group, serial)) continue;
      if (sep === '' && !SSN_CONTEXT.test(text.slice(Math.max(0, m.index - 48), m.index))) continue;
      out.push({ type: 'us_ssn', start: m.index, end: m.index + m[0].length });
    }

    IBAN.lastIndex = 0;
    for (let m = IBAN.exec(text); m !== null; m = IBAN.exec(text)) {
      // Greedy grouping may have swallowed a following word: shorten group by group.
      let s = m[0];
      while (s.length >= 15) {
        const compact = s.replace(/ /g, '').toUpperCase();
        if (ibanValid(compact)) {
          out.push({ type: 'iban', start: m.index, end: m.index + s.length });
          break;
        }
        const cut = s.lastIndexOf(' ');
        if (cut < 0) break;
        s = s.slice(0, cut);
      }
    }

    if (text.includes('.')) {
      IPV4.lastIndex = 0;
      for (let m = IPV4.exec(text); m !== null; m = IPV4.exec(text)) {
        const before = text.slice(Math.max(0, m.index - 9), m.index).toLowerCase();
        if (/(?:\bv|version\s?)$/.test(before)) continue;
        out.push({ type: 'ip_address', start: m.index, end: m.index + m[0].length });
      }
    }
  }

  if (hasColonPair(text)) {
    IPV6.lastIndex = 0;
    for (let m = IPV6.exec(text); m !== null; m = IPV6.exec(text)) {
      const s = m[0];
      if (!/[0-9A-Fa-f]/.test(s) || (s.match(/:/g) ?? []).length < 2) continue;
      if (!s.includes('::') && (s.match(/:/g) ?? []).length < 7) continue;
      if (isIP(s) !== 6) continue;
      out.push({ type: 'ip_address', start: m.index, end: m.index + s.length });
    }
  }

  if (hasDigit) {
    PHONE.lastIndex = 0;
    for (let m = PHONE.exec(text); m !== null; m = PHONE.exec(text)) {
      const s = m[0].replace(/[ .-]+$/, '');
      if (!phoneValid(text, m.index, s)) continue;
      out.push({ type: 'phone', start: m.index, end: m.index + s.length });
    }
  }
  return out;
}
