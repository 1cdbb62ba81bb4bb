/**
 * Phone numbers, judged by the numbering plans of libphonenumber-js (Google's metadata).
 *
 * A cheap linear regex proposes groups of digits; only groups that survive the shape checks
 * (7–15 digits, not a date, not an SSN or IPv4 shape) reach the compiled plans
 * (`phone-plans.ts`). A group is a phone number when a numbering plan accepts it:
 *
 * - International form (`+CC …`, `00CC …`): a national number of a length that calling
 *   code's plans use, no context needed.
 * - National form: one of the regions of {@link DEFAULT_PHONE_REGIONS} or a region named just
 *   before it (country name or ccTLD), validated strictly (number type patterns) and written
 *   as that region writes it: trunk prefix and digit groups (`01 23 45 67 89` in France,
 *   never `123 456 789`).
 * - National form after a phone word (`call`, `tel`, `fax`, …): the general number pattern
 *   of any region, trunk prefix optional, because the writer said it is a phone number.
 *
 * Everything the decision reads lies within {@link PHONE_CONTEXT_BEFORE} characters before
 * and {@link PHONE_CONTEXT_AFTER} after the group, so streamed output can be decided exactly.
 */
import type { CountryCode } from 'libphonenumber-js/core';
import { possibleInSomeRegion, possibleInternational, validNational } from './phone-plans.js';
import type { RawMatch } from './types.js';

/**
 * Regions whose national forms are phones without a phone word nearby: the NANP (US, Canada
 * and the Caribbean share `+1`), the largest English-writing regions and the EU's largest.
 * Each added region makes more digit groups valid, so the set stays small; other regions are
 * reached through their `+CC` form, a phone word, or their name nearby.
 */
export const DEFAULT_PHONE_REGIONS: readonly CountryCode[] = [
  'US',
  'GB',
  'IE',
  'AU',
  'IN',
  'FR',
  'DE',
  'ES',
  'IT',
  'NL',
];

/** Characters before a group that the decision reads (phone words, region names). */
export const PHONE_CONTEXT_BEFORE = 48;
/** Characters after a group that the decision reads (`office`, `fax`, a currency word). */
export const PHONE_CONTEXT_AFTER = 16;
/** Longest phone match: country code, 15 digits, separators, parentheses and an extension. */
export const PHONE_MAX_MATCH = 64;

// Digit groups with one kind of separator between them, an optional country code, an area
// code in parentheses and an extension. Each group starts after a separator, so the
// alternatives never overlap and the engine cannot backtrack combinatorially. A letter may
// follow directly (`415-555-0132now`); a digit may not. At most eight groups: a longer run
// is a table or a list of figures, see `findPhones`.
const PHONE =
  /(?<![\w.+/-])(?:\+\d{1,3}[ .-]?|00\d{1,3}[ .-])?(?:\(\d{1,5}(?: \d{1,5})?\)[ .-]?)?\d{1,12}(?:[ .-]\d{1,10}){0,7}(?: ?(?:x|ext\.?|#) ?\d{1,6})?(?!\d|[.,/-]\d)/g;

const PHONE_WORD =
  /(?:phone|tel|mobile|cell|call|fax|whats ?app|sms|text|contact|reach|number|dial|ring|desk|landline|hotline|message|t[eé]l[eé]phone|telefon|tel[eé]fono|portable|handy|mobil)s?\b[^\n]{0,24}$|(?:phone|tel|mobile|cell|fax|desk)[^\n]{0,4}\n\s*$/i;
// "Number" names a phone only when no other kind of identifier is named with it.
const ID_NUMBER =
  /\b(?:account|acct|order|reference|ref|serial|card|nhs|tracking|invoice|id|identification|insurance|policy|case|ticket|customer|member|membership|registration|tax|vat|passport|licen[cs]e|security|routing|model|part|item|batch|lot|version|build|file|document|record|patient|employee|student|health|national|personal|iban|bank|transaction|confirmation|booking|claim|shipment|parcel)[ -]numbers?\b[^\n]{0,24}$/i;

function hasPhoneWord(before: string): boolean {
  const m = PHONE_WORD.exec(before);
  if (m === null) return false;
  return !/^numbers?\b/i.test(m[0]) || !ID_NUMBER.test(before);
}

// Address blocks label the number after it: "416 60 039 office", "082 490 1693-Fax".
const PHONE_AFTER = /^[ \t]?[-,]?[ \t]?\(?(?:office|fax|mobile|cell|tel|phone|landline|desk)\b/i;
const DATE_PREFIX = /^(?:(?:19|20)\d\d[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./](?:19|20)\d\d)(?!\d)/;
const ADDRESS_BEFORE = /(?:suite|ste|apt|apartment|unit|box|zip|postal|post ?code|cep|plz|no\.?|#)\s*:?\s*$/i;
const MONEY_BEFORE = /[$€£¥]\s?$/;
const MONEY_AFTER = /^\s?(?:[$€£¥%]|dollars|euros|usd|eur|gbp|km|kg|miles)/i;
const IBAN_BEFORE = /[A-Z]{2}\d{2}(?: [A-Z0-9]{4}){0,8} $/;
const EXTENSION = / ?(?:x|ext\.?|#) ?\d+$/;

// A country named or a ccTLD just before a national number adds its region.
const REGION_HINTS: [RegExp, CountryCode][] = [
  [/\b(?:canada|canadian)\b|\.ca\b/i, 'CA'],
  [/\b(?:mexico|méxico|mexican)\b|\.mx\b/i, 'MX'],
  [/\b(?:brazil|brasil|brazilian)\b|\.br\b/i, 'BR'],
  [/\b(?:argentina)\b|\.ar\b/i, 'AR'],
  [/\b(?:belgium|belgique|belgië)\b|\.be\b/i, 'BE'],
  [/\b(?:switzerland|schweiz|suisse|svizzera)\b|\.ch\b/i, 'CH'],
  [/\b(?:austria|österreich)\b|\.at\b/i, 'AT'],
  [/\b(?:portugal)\b|\.pt\b/i, 'PT'],
  [/\b(?:poland|polska)\b|\.pl\b/i, 'PL'],
  [/\b(?:sweden|sverige)\b|\.se\b/i, 'SE'],
  [/\b(?:norway|norge)\b|\.no\b/i, 'NO'],
  [/\b(?:denmark|danmark)\b|\.dk\b/i, 'DK'],
  [/\b(?:finland|suomi)\b|\.fi\b/i, 'FI'],
  [/\b(?:japan|nippon)\b|\.jp\b/i, 'JP'],
  [/\b(?:china)\b|\.cn\b/i, 'CN'],
  [/\b(?:korea)\b|\.kr\b/i, 'KR'],
  [/\b(?:russia|россия)\b|\.ru\b/i, 'RU'],
  [/\b(?:south africa)\b|\.za\b/i, 'ZA'],
  [/\b(?:nigeria)\b|\.ng\b/i, 'NG'],
  [/\b(?:new zealand)\b|\.nz\b/i, 'NZ'],
  [/\b(?:singapore)\b|\.sg\b/i, 'SG'],
  [/\b(?:philippines)\b|\.ph\b/i, 'PH'],
  [/\b(?:turkey|türkiye)\b|\.tr\b/i, 'TR'],
];
const ANY_HINT = new RegExp(REGION_HINTS.map(([re]) => `(?:${re.source})`).join('|'), 'i');

function regionsNear(before: string): readonly CountryCode[] {
  // One combined test first: most numbers have no country named before them.
  if (!ANY_HINT.test(before)) return DEFAULT_PHONE_REGIONS;
  const regions = [...DEFAULT_PHONE_REGIONS];
  for (const [re, region] of REGION_HINTS) if (re.test(before)) regions.push(region);
  return regions;
}

/** Shapes that are never phone numbers, whatever the plans say. */
function ruledOutByShape(m: string, groups: string[], seps: string[]): boolean {
  if (DATE_PREFIX.test(m)) return true;
  if (/^\d{3}-\d{2}-\d{4}$/.test(m)) return true; // the SSN shape
  const sepKinds = new Set(seps);
  const intl = m.startsWith('+') || m.startsWith('00');
  if (sepKinds.size > 1 && !intl && !m.includes('(') && !(sepKinds.size === 2 && sepKinds.has(' '))) return true;
  const sep = seps[0] ?? '';
  if (groups.length === 3 && sep !== ' ' && sep !== '') {
    const [a, b, c] = groups as [string, string, string];
    const year = (g: string) => g.length === 4 && (g.startsWith('19') || g.startsWith('20'));
    if ((year(a) && b.length <= 2 && c.length <= 2) || (year(c) && a.length <= 2 && b.length <= 2)) return true;
  }
  if (groups.length === 2 && groups.every((g) => /^(?:19|20)\d\d$/.test(g))) return true;
  if (sep === '.' && groups.length === 4 && groups.every((g) => g.length <= 3)) return true; // IPv4-like
  return false;
}

/** Decide whether the candidate `m` at `start` of `text` is a phone number. */
function isPhone(text: string, start: number, m: string): boolean {
  const core = m.replace(EXTENSION, '');
  const digits = core.replace(/\D/g, '');
  if (digits.length < 7 || digits.length > 17) return false;
  if (/^(\d)\1+$/.test(digits)) return false;
  const before = text.slice(Math.max(0, start - PHONE_CONTEXT_BEFORE), start);
  if (IBAN_BEFORE.test(before)) return false;
  const groups = core
    .replace(/^(?:\+|00)\d{1,3}[ .-]?/, '')
    .split(/[ .\-()]+/)
    .filter((g) => g.length > 0);
  if (ruledOutByShape(core, groups, core.match(/[ .-]/g) ?? [])) return false;

  if (core.startsWith('+') || core.startsWith('00')) return possibleInternational(core);
  if (digits.length > 15) return false;
  const after = text.slice(start + m.length, start + m.length + PHONE_CONTEXT_AFTER);
  const phoneWord = hasPhoneWord(before) || PHONE_AFTER.test(after);
  if (!phoneWord) {
    // Bare digit runs are order numbers, IDs and amounts far more often than phones.
    if (groups.length < 2) return false;
    if (ADDRESS_BEFORE.test(before) || MONEY_BEFORE.test(before) || MONEY_AFTER.test(after)) return false;
  }
  // After a phone word any region's ranges will do, and they include the strict default check.
  if (phoneWord) return possibleInSomeRegion(digits);
  for (const region of regionsNear(before)) if (validNational(core, region)) return true;
  return false;
}

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
const isSeparator = (c: string | undefined) => c === ' ' || c === '.' || c === '-';

/** End of the run of separated digit groups that continues at `i`. */
function skipRun(text: string, i: number): number {
  while (isSeparator(text[i]) && isDigit(text[i + 1])) {
    i++;
    while (isDigit(text[i])) i++;
  }
  return i;
}

/**
 * Phone numbers in `text`, appended to `out`. Each run of digit groups costs at most a few
 * validations, and runs never overlap, so the cost is linear in the text: a run longer than
 * any phone is skipped whole, and a run that is no phone is split only at spaces, for lists
 * such as `415-555-0132 415-555-0199`.
 */
export function findPhones(text: string, out: RawMatch[]): void {
  PHONE.lastIndex = 0;
  for (let m = PHONE.exec(text); m !== null; m = PHONE.exec(text)) {
    const start = m.index;
    const end = start + m[0].length;
    if (isSeparator(text[end]) && isDigit(text[end + 1])) {
      const runEnd = skipRun(text, end);
      PHONE.lastIndex = runEnd;
      findInPieces(text, start, text.slice(start, runEnd), out);
      continue;
    }
    const s = m[0].replace(/[ .-]+$/, '');
    if (isPhone(text, start, s)) out.push({ type: 'phone', start, end: start + s.length });
    else findInPieces(text, start, s, out);
  }
}

/** Numbers in a run that mixes dashes or dots with spaces, taken as a space-separated list. */
function findInPieces(text: string, start: number, run: string, out: RawMatch[]): void {
  if (!run.includes(' ') || !/[.-]/.test(run)) return;
  let offset = 0;
  for (const piece of run.split(' ')) {
    if (/[.-]/.test(piece) && isPhone(text, start + offset, piece))
      out.push({ type: 'phone', start: start + offset, end: start + offset + piece.length });
    offset += piece.length + 1;
  }
}
