/**
 * The numbering plans of libphonenumber-js (Google's metadata), compiled once into regexes
 * that answer the three questions the phone detector asks, in a few µs and without parsing:
 *
 * - Is this `+CC …` a calling code with a national number of a length it uses?
 * - Is this national number in the ranges of some region (after a phone word)?
 * - Is this a valid number of region R, written the way R writes it nationally?
 *
 * The last question is what `parsePhoneNumber(written, R).isValid()` and `formatNational()`
 * answer; the library compiles its patterns on every call, which made a 100 KB list of
 * numbers cost seconds. `test/detect/phone-plans.test.ts` checks this module against the
 * library itself.
 */
import { Metadata, getCountries, type CountryCode } from 'libphonenumber-js/core';
// The full ("max") metadata: the minimal set checks lengths only, and a digit group that
// merely has a plausible length is exactly the false phone the detector exists to reject.
import metadata from 'libphonenumber-js/metadata.max.json';

/** What the metadata API gives for one region (the typed surface of the library is smaller). */
interface RawPlan {
  callingCode(): string;
  nationalPrefix(): string | undefined;
  possibleLengths(): number[];
  nationalNumberPattern(): string;
  nationalPrefixFormattingRule(): string | undefined;
  types(): unknown;
  type(name: string): { pattern(): string; possibleLengths(): number[] | undefined } | undefined;
  formats(): {
    pattern(): string;
    format(): string;
    leadingDigitsPatterns(): string[];
    nationalPrefixFormattingRule(): string | undefined;
  }[];
}

/** One region's plan: ranges, number types and national formats. */
interface Plan {
  region: CountryCode;
  callingCode: string;
  prefix: string;
  lengths: Set<number>;
  pattern: RegExp;
  /** Number types (fixed line, mobile, toll free, …), compiled on first strict use. */
  types?: { pattern: RegExp; lengths: Set<number> | undefined }[];
  formats?: { leading: RegExp | undefined; pattern: RegExp; template: string }[];
}

const TYPES = [
  'FIXED_LINE',
  'MOBILE',
  'TOLL_FREE',
  'PREMIUM_RATE',
  'PERSONAL_NUMBER',
  'VOICEMAIL',
  'UAN',
  'PAGER',
  'VOIP',
  'SHARED_COST',
];

let plans: Map<CountryCode, Plan> | undefined;
const raw = new Map<CountryCode, RawPlan>();
const byCallingCode = new Map<string, Plan[]>();
// Plans by the digit count of a national number as written (with or without trunk prefix).
const byWrittenLength = new Map<number, Plan[]>();

const anchored = (source: string) => new RegExp(`^(?:${source})$`);

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

/** Every region's ranges, compiled once on first use (a few ms). */
function allPlans(): Map<CountryCode, Plan> {
  if (plans !== undefined) return plans;
  plans = new Map();
  for (const region of getCountries(metadata)) {
    const m = new Metadata(metadata) as unknown as {
      selectNumberingPlan(c: CountryCode): void;
      numberingPlan: RawPlan;
    };
    m.selectNumberingPlan(region);
    const p = m.numberingPlan;
    raw.set(region, p);
    const plan: Plan = {
      region,
      callingCode: p.callingCode(),
      prefix: p.nationalPrefix() ?? '',
      lengths: new Set(p.possibleLengths()),
      pattern: anchored(p.nationalNumberPattern()),
    };
    plans.set(region, plan);
    push(byCallingCode, plan.callingCode, plan);
    for (const n of new Set([...plan.lengths].flatMap((k) => [k, k + plan.prefix.length])))
      push(byWrittenLength, n, plan);
  }
  return plans;
}

/** The national significant number of `digits` in `plan`: without its trunk prefix. */
function nationalNumber(plan: Plan, digits: string): string {
  if (plan.prefix === '' || !digits.startsWith(plan.prefix)) return digits;
  const nsn = digits.slice(plan.prefix.length);
  // As the library does: keep the prefix when the number only fits with it.
  return plan.pattern.test(nsn) || !plan.pattern.test(digits) ? nsn : digits;
}

/** True when `digits`, with or without the plan's trunk prefix, is in the plan's ranges. */
function inRange(p: Plan, digits: string): boolean {
  if (p.lengths.has(digits.length) && p.pattern.test(digits)) return true;
  if (p.prefix === '' || !digits.startsWith(p.prefix)) return false;
  const nsn = digits.slice(p.prefix.length);
  return p.lengths.has(nsn.length) && p.pattern.test(nsn);
}

// The output filter rescans the held-back tail of a stream on every chunk: the same numbers
// come back many times, and an unknown one costs a pattern test per region of its length.
const RANGE_CACHE = 512;
const rangeVerdicts = new Map<string, boolean>();

/** True when some region's plan has `digits` (as written nationally) in its ranges. */
export function possibleInSomeRegion(digits: string): boolean {
  const known = rangeVerdicts.get(digits);
  if (known !== undefined) return known;
  allPlans();
  let verdict = false;
  for (const p of byWrittenLength.get(digits.length) ?? []) {
    if (inRange(p, digits)) {
      verdict = true;
      break;
    }
  }
  if (rangeVerdicts.size >= RANGE_CACHE) rangeVerdicts.clear();
  rangeVerdicts.set(digits, verdict);
  return verdict;
}

/**
 * True when the digits after `+` (or `00`) are a calling code followed by a national number
 * of a length that code's plans use. `+41 (0)44 …` writes the trunk prefix as well.
 */
export function possibleInternational(written: string): boolean {
  const digits = written.replace(/^00/, '').replace(/\(0\)/, '').replace(/\D/g, '');
  allPlans();
  for (let n = 1; n <= 3; n++) {
    const regions = byCallingCode.get(digits.slice(0, n));
    if (regions === undefined) continue;
    const nsn = digits.slice(n);
    // `+44 020 …`: a trunk prefix after the calling code is wrong but common.
    return regions.some(
      (p) =>
        p.lengths.has(nsn.length) ||
        (p.prefix !== '' && nsn.startsWith(p.prefix) && p.lengths.has(nsn.length - p.prefix.length)),
    );
  }
  return false;
}

const rangeByCallingCode = new Map<string, RegExp>();

/** The general patterns of every plan of a calling code in one regex: one test rejects most. */
function callingCodeRange(callingCode: string): RegExp {
  let re = rangeByCallingCode.get(callingCode);
  if (re === undefined) {
    const sources = byCallingCode.get(callingCode)!.map((p) => p.pattern.source);
    re = new RegExp(sources.join('|'));
    rangeByCallingCode.set(callingCode, re);
  }
  return re;
}

/** Compile a plan's number types and national formats (once, on its first strict check). */
function detailed(plan: Plan): Required<Plan> {
  if (plan.types === undefined || plan.formats === undefined) {
    const p = raw.get(plan.region)!;
    plan.types = [];
    if (p.types()) {
      for (const name of TYPES) {
        const t = p.type(name);
        const source = t?.pattern();
        if (t === undefined || !source) continue;
        const lengths = t.possibleLengths();
        plan.types.push({ pattern: anchored(source), lengths: lengths ? new Set(lengths) : undefined });
      }
    }
    plan.formats = p.formats().map((f) => {
      const leading = f.leadingDigitsPatterns();
      const rule = f.nationalPrefixFormattingRule() ?? p.nationalPrefixFormattingRule();
      const template = rule ? f.format().replace(/\$1/, rule) : f.format();
      const last = leading[leading.length - 1];
      return { leading: last ? new RegExp(`^(?:${last})`) : undefined, pattern: anchored(f.pattern()), template };
    });
  }
  return plan as Required<Plan>;
}

/** True when `nsn` is a number of some type (fixed line, mobile, …) in `plan`. */
function hasType(plan: Plan, nsn: string): boolean {
  if (!plan.pattern.test(nsn)) return false;
  const { types } = detailed(plan);
  if (types.length === 0) return true;
  return types.some((t) => (t.lengths === undefined || t.lengths.has(nsn.length)) && t.pattern.test(nsn));
}

/** The digit groups of `nsn` in `plan`'s national format, trunk prefix included. */
function nationalGroups(plan: Plan, nsn: string): string[] {
  for (const f of detailed(plan).formats) {
    if (f.leading !== undefined && !f.leading.test(nsn)) continue;
    if (!f.pattern.test(nsn)) continue;
    return nsn
      .replace(f.pattern, f.template)
      .split(/\D+/)
      .filter((g) => g !== '');
  }
  return [nsn];
}

/**
 * True when `written` is a valid number of `region` (a number type of a plan that shares the
 * region's calling code, as the library resolves `+1` numbers to Canada or Jamaica), written
 * in `region`'s national format: with its trunk prefix and in its digit groups. NANP writers
 * may put the optional 1 in front.
 */
export function validNational(written: string, region: CountryCode): boolean {
  const plan = allPlans().get(region);
  if (plan === undefined) return false;
  const groups = written.split(/\D+/).filter((g) => g !== '');
  if (groups[0] === '1' && plan.callingCode === '1' && groups.length > 1) groups.shift();
  const nsn = nationalNumber(plan, groups.join(''));
  if (!callingCodeRange(plan.callingCode).test(nsn)) return false;
  if (!byCallingCode.get(plan.callingCode)!.some((p) => hasType(p, nsn))) return false;
  const expected = nationalGroups(plan, nsn);
  return groups.length === expected.length && groups.every((g, i) => g === expected[i]);
}
