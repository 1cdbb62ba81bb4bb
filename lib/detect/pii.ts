/**
 * Personal data: e-mail, phone, payment card (Luhn and IIN ranges), US SSN (SSA ranges),
 * IBAN (per-country length and mod-97), IP address.
 *
 * Each pattern anchors its start with a look-behind that fails inside a longer token, so a
 * 100 KB run of digits is tried once per token rather than once per character, and every
 * repetition is bounded. Checksums and structure are then verified in code, which is
 * cheaper and clearer than encoding them in the regex. Phones (`phone.ts`), e-mail
 * (`email.ts`) and IP addresses (`ip.ts`) have modules of their own; docs/pii.md has the
 * decision table.
 */
import type { RawMatch } from './types.js';
import { findEmails } from './email.js';
import { findIps } from './ip.js';
import { findPhones } from './phone.js';

export type { RawMatch };

/** The PII types this module reports. */
export const PII_TYPES = ['email', 'phone', 'credit_card', 'us_ssn', 'iban', 'ip_address'] as const;

/** Longest span any PII match can have; used for streaming hold-back. */
export const PII_MAX_MATCH = 320;

// Separators may be spaces (a few in a row), dots or dashes: `4111.1111.1111.1111`.
const CARD = /(?<![\w.,-])\d(?:[ .-]{0,3}\d){11,18}(?!\d|[.,-]\d)/g;

const SSN = /(?<![\w.-])(\d{3})([- .]?)(\d{2})\2(\d{4})(?!\d|[-.,]\d)/g;
// After an SSN word, nine digits in any grouping: `123 456 789`, `1234-56-789`.
const SSN_ANY = /(?<![\w.-])\d(?:[ .-]?\d){8}(?!\d|[-.,]\d)/g;
const SSN_CONTEXT = /(?:ssn|social security|ss#|soc\.? ?sec|taxpayer|tin\b)[^\n]{0,32}$/i;

// Two letters, two check digits, then groups of letters and digits split by single spaces or
// dashes. The groups are unambiguous (a separator between any two), so matching is linear.
const IBAN = /(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}[A-Za-z0-9]{0,30}(?:[ -][A-Za-z0-9]{1,30}){0,10}/g;
const IBAN_MAX = 34;

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
  BY: 28,
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
  LC: 32,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  LY: 25,
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
  SD: 18,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  ST: 25,
  SV: 28,
  TN: 24,
  TR: 26,
  UA: 29,
  VA: 22,
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

/** The SSA never issues area 000, 666 or 9xx, group 00 or serial 0000. */
export function ssnValid(digits: string): boolean {
  const area = digits.slice(0, 3);
  return (
    area !== '000' && area !== '666' && area[0] !== '9' && digits.slice(3, 5) !== '00' && digits.slice(5) !== '0000'
  );
}

// Issuer identification ranges (ISO/IEC 7812) and lengths of the networks in use: a
// Luhn-valid number outside them is some other identifier.
const CARD_RANGES: [lo: number, hi: number, digits: number, lengths: number[]][] = [
  [4, 4, 1, [13, 16, 19]], // Visa
  [51, 55, 2, [16]], // Mastercard
  [2221, 2720, 4, [16]], // Mastercard 2-series
  [2200, 2204, 4, [16]], // Mir
  [34, 34, 2, [15]], // American Express
  [37, 37, 2, [15]], // American Express
  [300, 305, 3, [14, 15, 16, 17, 18, 19]], // Diners Club
  [36, 36, 2, [14, 15, 16, 17, 18, 19]], // Diners Club
  [38, 39, 2, [14, 15, 16, 17, 18, 19]], // Diners Club
  [35, 35, 2, [16, 17, 18, 19]], // JCB (3528-3589; test generators use all of 35)
  [2131, 2131, 4, [15]], // JCB, old range
  [1800, 1800, 4, [15]], // JCB, old range
  [6011, 6011, 4, [16, 17, 18, 19]], // Discover
  [644, 649, 3, [16, 17, 18, 19]], // Discover
  [65, 65, 2, [16, 17, 18, 19]], // Discover, RuPay
  [62, 62, 2, [14, 15, 16, 17, 18, 19]], // UnionPay
  [81, 82, 2, [16, 17, 18, 19]], // UnionPay, RuPay
  [50, 50, 2, [12, 13, 14, 15, 16, 17, 18, 19]], // Maestro, Verve
  [56, 69, 2, [12, 13, 14, 15, 16, 17, 18, 19]], // Maestro and national schemes
  [9792, 9792, 4, [16]], // Troy
];

/** True when `digits` has the length of a network whose IIN range holds its prefix. */
export function cardIinValid(digits: string): boolean {
  for (const [lo, hi, n, lengths] of CARD_RANGES) {
    const prefix = Number(digits.slice(0, n));
    if (prefix >= lo && prefix <= hi && lengths.includes(digits.length)) return true;
  }
  return false;
}

/**
 * True when digit groups are printed as cards are: fours with a shorter last group
 * (`4111 1111 1111 1111`, `6011 0009 9013 942`), 4-6-5 or 4-6-4 (Amex, Diners), or digit by
 * digit (an evasion: `4 1 1 1 …`). A table of three-digit figures is not a card.
 */
function cardGrouping(groups: number[]): boolean {
  const n = groups.length;
  if (n === 1) return true;
  if (groups.slice(0, -1).every((g) => g === 4) && groups[n - 1]! <= 4) return true;
  if (n === 3 && groups[0] === 4 && groups[1] === 6 && (groups[2] === 5 || groups[2] === 4)) return true;
  return n >= 10 && groups.every((g) => g <= 3);
}

/** True when the card-like run `s` (digits and separators) is a card number. */
function isCard(s: string, digits: string, groups: number[]): boolean {
  if (digits.length < 12 || digits.length > 19 || !cardGrouping(groups)) return false;
  // One kind of separator: `4111 1111-1111.1111` is not how anyone writes a card.
  const seps = new Set(s.match(/[.-]| +/g)?.map((g) => (g[0] === ' ' ? ' ' : g)) ?? []);
  if (seps.size > 1) return false;
  return luhn(digits) && !/^(\d)\1+$/.test(digits) && cardIinValid(digits);
}

/** Ends of the digit groups of `s`, with the digits and group lengths up to each. */
function groupEnds(s: string): { end: number; digits: string; groups: number[] }[] {
  const ends: { end: number; digits: string; groups: number[] }[] = [];
  const groups: number[] = [];
  let digits = '';
  let run = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) continue;
    digits += s[i];
    run++;
    const next = s.charCodeAt(i + 1);
    if (!(next >= 48 && next <= 57)) {
      groups.push(run);
      run = 0;
      if (digits.length >= 12) ends.push({ end: i + 1, digits, groups: groups.slice() });
    }
  }
  return ends;
}

/** End of the run of digit groups (split by up to three separators) continuing at `i`. */
function skipDigitRun(text: string, i: number): number {
  for (;;) {
    let j = i;
    while (j < text.length && j - i < 3 && (text[j] === ' ' || text[j] === '.' || text[j] === '-')) j++;
    if (j === i || j >= text.length || text[j]! < '0' || text[j]! > '9') return i;
    while (j < text.length && text[j]! >= '0' && text[j]! <= '9') j++;
    i = j;
  }
}

// A stray number before a card (`ref 12 4111 1111 1111 1111`) holds at most a few groups.
const CARD_RETRIES = 3;

function findCards(text: string, out: RawMatch[]): void {
  CARD.lastIndex = 0;
  let retries = 0;
  let retryAt = -1;
  for (let m = CARD.exec(text); m !== null; m = CARD.exec(text)) {
    const s = m[0];
    if (m.index !== retryAt) retries = 0;
    // The greedy run may hold a following group (`4111 1111 1111 1111 123`): shorter
    // prefixes are tried too, longest first.
    const ends = groupEnds(s);
    let found = false;
    for (let k = ends.length - 1; k >= 0 && !found; k--) {
      const e = ends[k]!;
      if (isCard(s.slice(0, e.end), e.digits, e.groups)) {
        out.push({ type: 'credit_card', start: m.index, end: m.index + e.end });
        found = true;
      }
    }
    if (found) continue;
    // A run that holds no card is retried from its next group a few times, then skipped
    // whole: a long table of figures costs one pass.
    const next = s.search(/[ .-]/);
    if (retries < CARD_RETRIES && next > 0) {
      retries++;
      CARD.lastIndex = m.index + next;
      retryAt = text.slice(CARD.lastIndex, CARD.lastIndex + 4).search(/\d/) + CARD.lastIndex;
    } else {
      CARD.lastIndex = skipDigitRun(text, m.index + s.length);
      retries = 0;
    }
  }
}

function findSsns(text: string, out: RawMatch[]): void {
  SSN.lastIndex = 0;
  for (let m = SSN.exec(text); m !== null; m = SSN.exec(text)) {
    const digits = m[0].replace(/\D/g, '');
    if (!ssnValid(digits)) continue;
    // Nine bare digits are an SSN only after an SSN word; grouped 3-2-4 they are one anyway.
    if (m[2] === '' && !SSN_CONTEXT.test(text.slice(Math.max(0, m.index - 48), m.index))) continue;
    out.push({ type: 'us_ssn', start: m.index, end: m.index + m[0].length });
  }
  if (!/ss|soc|tax|tin/i.test(text)) return;
  SSN_ANY.lastIndex = 0;
  for (let m = SSN_ANY.exec(text); m !== null; m = SSN_ANY.exec(text)) {
    if (!ssnValid(m[0].replace(/\D/g, ''))) continue;
    if (new Set(m[0].match(/[ .-]/g) ?? []).size > 1) continue;
    if (!SSN_CONTEXT.test(text.slice(Math.max(0, m.index - 48), m.index))) continue;
    out.push({ type: 'us_ssn', start: m.index, end: m.index + m[0].length });
  }
}

function findIbans(text: string, out: RawMatch[]): void {
  IBAN.lastIndex = 0;
  for (let m = IBAN.exec(text); m !== null; m = IBAN.exec(text)) {
    const end = ibanEnd(m[0]);
    if (end > 0) out.push({ type: 'iban', start: m.index, end: m.index + end });
    // Words swallowed by a failed run may hold the real IBAN (`GB12 paid DE89 3704 …`).
    if (end === 0) {
      const next = m[0].slice(4).search(/[ -][A-Za-z]{2}\d{2}/);
      IBAN.lastIndex = next < 0 ? m.index + m[0].length : m.index + 4 + next + 1;
    } else IBAN.lastIndex = m.index + end;
  }
}

/** Length of the IBAN at the start of the run `run`, or 0. */
function ibanEnd(run: string): number {
  // Outside the registry table only the length range is known: ask for the upper-case
  // country code IBANs are printed with, so prose such as `ab12 …` is not tried.
  const expected = IBAN_LENGTHS[run.slice(0, 2).toUpperCase()];
  if (expected === undefined && !/^[A-Z]{2}/.test(run)) return 0;
  // Candidate ends are group ends (greedy grouping may have swallowed a following word);
  // the longest one of an allowed length whose checksum holds wins.
  const ends: number[] = [];
  let compact = 0;
  for (let i = 0; i < run.length; i++) {
    const c = run.charCodeAt(i);
    if (c !== 0x20 && c !== 0x2d) compact++;
    if (compact > IBAN_MAX) break;
    const next = run.charCodeAt(i + 1);
    const atEnd = i + 1 === run.length || next === 0x20 || next === 0x2d;
    if (atEnd && (expected === undefined ? compact >= 15 : compact === expected)) ends.push(i + 1);
  }
  for (let k = ends.length - 1; k >= 0; k--) {
    const end = ends[k]!;
    if (ibanValid(run.slice(0, end).replace(/[ -]/g, '').toUpperCase())) return end;
  }
  return 0;
}

/** Find PII in `text` (the folded normalized view). */
export function findPii(text: string): RawMatch[] {
  const out: RawMatch[] = [];
  if (text.includes('@')) findEmails(text, out);
  const hasDigit = /\d/.test(text);
  if (hasDigit) {
    findCards(text, out);
    findSsns(text, out);
    findIbans(text, out);
  }
  if (hasDigit || text.includes(':')) findIps(text, out);
  if (hasDigit) findPhones(text, out);
  return out;
}
