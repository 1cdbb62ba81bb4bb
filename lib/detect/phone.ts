/**
 * Phone numbers, judged by the numbering plans of libphonenumber-js (Google's metadata).
 *
 * A cheap linear regex proposes groups of digits; only groups that survive the shape checks
 * (7–15 digits, not a date, not an SSN or IPv4 shape) reach the library. A group is a phone
 * number when a numbering plan accepts it:
 *
 * - International form (`+CC …`, `00CC …`): the plan of that calling code, no context needed.
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
import { Metadata, getCountries, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/core';
// The full ("max") metadata: the minimal set checks lengths only, and a digit group that
// merely has a plausible length is exactly the false phone this module exists to reject.
import metadata from 'libphonenumber-js/metadata.max.json';
import type { RawMatch } from './pii.js';

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
// follow directly (`415-555-0132now`); a digit may not.
const PHONE =
  /(?<![\w.+/-])(?:\+\d{1,3}[ .-]?|00\d{1,3}[ .-])?(?:\(\d{1,5}(?: \d{1,5})?\)[ .-]?)?\d{1,12}(?:[ .-]\d{1,10}){0,5}(?: ?(?:x|ext\.?|#) ?\d{1,6})?(?!\d|[.,/-]\d)/g;

const PHONE_WORD =
  /(?:phone|tel|mobile|cell|call|fax|whats ?app|sms|text|contact|reach|number|dial|ring|desk|landline|hotline|message|t[eé]l[eé]phone|telefon|tel[eé]fono|portable|handy|mobil)s?\b[^\n]{0,24}$|(?:phone|tel|mobile|cell|fax|desk)[^\n]{0,4}\n\s*$/i;
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

/** One region's plan, reduced to what the phone-word check needs. */
interface Plan {
  callingCode: string;
  prefix: string;
  lengths: Set<number>;
  pattern: RegExp;
}
let plans: Map<CountryCode, Plan> | undefined;
const byCallingCode = new Map<string, Plan[]>();
// Plans by the digit count of a national number as written (with or without trunk prefix).
const byWrittenLength = new Map<number, Plan[]>();

/** Every region's general number pattern, compiled once on first use. */
function allPlans(): Map<CountryCode, Plan> {
  if (plans !== undefined) return plans;
  const plansMeta = new Metadata(metadata) as unknown as {
    selectNumberingPlan(c: CountryCode): void;
    numberingPlan: {
      callingCode(): string;
      nationalPrefix(): string | undefined;
      possibleLengths(): number[];
      nationalNumberPattern(): string;
    };
  };
  plans = new Map();
  for (const c of getCountries(metadata)) {
    plansMeta.selectNumberingPlan(c);
    const plan = plansMeta.numberingPlan;
    const entry: Plan = {
      callingCode: plan.callingCode(),
      prefix: plan.nationalPrefix() ?? '',
      lengths: new Set(plan.possibleLengths()),
      pattern: new RegExp(`^(?:${plan.nationalNumberPattern()})$`),
    };
    plans.set(c, entry);
    byCallingCode.set(entry.callingCode, [...(byCallingCode.get(entry.callingCode) ?? []), entry]);
    const written = new Set([...entry.lengths].flatMap((n) => [n, n + entry.prefix.length]));
    for (const n of written) byWrittenLength.set(n, [...(byWrittenLength.get(n) ?? []), entry]);
  }
  return plans;
}

/** True when `digits`, with or without the plan's trunk prefix, is in the plan's ranges. */
function inRange(p: Plan, digits: string): boolean {
  if (p.lengths.has(digits.length) && p.pattern.test(digits)) return true;
  if (p.prefix === '' || !digits.startsWith(p.prefix)) return false;
  const nsn = digits.slice(p.prefix.length);
  return p.lengths.has(nsn.length) && p.pattern.test(nsn);
}

/** True when some region's plan has `digits` in range: a few µs, no parsing. */
export function possibleInSomeRegion(digits: string): boolean {
  allPlans();
  for (const p of byWrittenLength.get(digits.length) ?? []) if (inRange(p, digits)) return true;
  return false;
}

/**
 * True when the digits after `+` are a calling code and a national number of a length that
 * code's plans use. A written `+CC` says "phone"; test generators' numbers are often outside
 * the assigned ranges, so the length is enough. `+41 (0)44 …` writes the trunk prefix too.
 */
function possibleInternational(written: string): boolean {
  const digits = written.replace(/^00/, '').replace(/\(0\)/, '').replace(/\D/g, '');
  allPlans();
  for (let n = 1; n <= 3; n++) {
    const regions = byCallingCode.get(digits.slice(0, n));
    if (regions === undefined) continue;
    const nsn = digits.slice(n);
    return regions.some(
      (p) => p.lengths.has(nsn.length) || (nsn.startsWith(p.prefix) && p.lengths.has(nsn.length - p.prefix.length)),
    );
  }
  return false;
}

/**
 * True when `written` is a valid number of `region`, written the way that region writes it:
 * with its trunk prefix (France's 0: `123 456 789` is no French number) and in its digit
 * groups (`850709-9805` is a Swedish personal number, not the US number 850-709-9805).
 * NANP writers may put the optional 1 in front.
 */
function validNational(written: string, region: CountryCode): boolean {
  const key = region + written;
  const known = verdicts.get(key);
  if (known !== undefined) return known;
  // Streaming rescans the same held-back numbers; the parse and format are the costly part.
  if (verdicts.size >= VERDICT_CACHE) verdicts.clear();
  const verdict = writtenAsRegionWrites(written, region);
  verdicts.set(key, verdict);
  return verdict;
}

const VERDICT_CACHE = 512;
const verdicts = new Map<string, boolean>();

function writtenAsRegionWrites(written: string, region: CountryCode): boolean {
  const p = parsePhoneNumberFromString(written, region, metadata);
  if (p === undefined || !p.isValid()) return false;
  const groups = written.split(/\D+/).filter((g) => g !== '');
  const expected = p
    .formatNational()
    .split(/\D+/)
    .filter((g) => g !== '');
  if (groups[0] === '1' && p.countryCallingCode === '1') groups.shift();
  return groups.length === expected.length && groups.every((g, i) => g === expected[i]);
}

function regionsNear(before: string): CountryCode[] {
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
  const phoneWord = PHONE_WORD.test(before) || PHONE_AFTER.test(after);
  if (!phoneWord) {
    // Bare digit runs are order numbers, IDs and amounts far more often than phones.
    if (groups.length < 2) return false;
    if (ADDRESS_BEFORE.test(before) || MONEY_BEFORE.test(before) || MONEY_AFTER.test(after)) return false;
  }
  // After a phone word any region's ranges will do, and they include the strict default check.
  if (phoneWord) return possibleInSomeRegion(digits);
  const index = allPlans();
  for (const region of regionsNear(before)) {
    // The range check is cheap; the library's parse (prefix stripping, type patterns) is not.
    if (inRange(index.get(region)!, digits) && validNational(core, region)) return true;
  }
  return false;
}

/** Phone numbers in `text`, appended to `out`. */
export function findPhones(text: string, out: RawMatch[]): void {
  PHONE.lastIndex = 0;
  for (let m = PHONE.exec(text); m !== null; m = PHONE.exec(text)) {
    const s = m[0].replace(/[ .-]+$/, '');
    if (isPhone(text, m.index, s)) out.push({ type: 'phone', start: m.index, end: m.index + s.length });
  }
}
