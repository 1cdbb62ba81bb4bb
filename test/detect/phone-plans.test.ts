// The compiled plans must answer as libphonenumber-js itself does: the library parses and
// formats on every call, the compiled form does not (see lib/detect/phone-plans.ts).
import fc from 'fast-check';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PHONE_REGIONS } from '../../lib/detect/phone.js';
import { validNational } from '../../lib/detect/phone-plans.js';

/** The library's answer: valid in the region, and written as `formatNational()` writes it. */
function libraryVerdict(written: string, region: CountryCode): boolean {
  const p = parsePhoneNumberFromString(written, region);
  if (p === undefined || !p.isValid()) return false;
  const groups = written.split(/\D+/).filter((g) => g !== '');
  if (groups[0] === '1' && p.countryCallingCode === '1' && groups.length > 1) groups.shift();
  const expected = p
    .formatNational()
    .split(/\D+/)
    .filter((g) => g !== '');
  return groups.length === expected.length && groups.every((g, i) => g === expected[i]);
}

const REGIONS: CountryCode[] = [...DEFAULT_PHONE_REGIONS, 'CA', 'BE', 'CH', 'AT', 'SE', 'JP', 'ZA', 'NZ'];

describe('compiled numbering plans agree with libphonenumber-js', () => {
  it.each([
    ['01 42 68 53 00', 'FR'],
    ['06 12 34 56 78', 'FR'],
    ['111 111 111', 'FR'],
    ['(415) 555-0132', 'US'],
    ['415-555-0132', 'US'],
    ['1-800-555-0199', 'US'],
    ['604 555 0134', 'US'],
    ['020 7946 0018', 'GB'],
    ['07700 900123', 'GB'],
    ['030 23456789', 'DE'],
    ['612 34 56 78', 'ES'],
    ['02 1234 5678', 'IT'],
    ['020 123 4567', 'NL'],
    ['(02) 9876 5432', 'AU'],
    ['98765 43210', 'IN'],
    ['850709-9805', 'US'],
  ] as [string, CountryCode][])('%s in %s', (written, region) => {
    expect(validNational(written, region)).toBe(libraryVerdict(written, region));
  });

  it('on random digit groups in every default region', () => {
    const group = fc.stringMatching(/^[0-9]{1,5}$/);
    const written = fc
      .tuple(fc.array(group, { minLength: 2, maxLength: 5 }), fc.constantFrom(' ', '-', '.'))
      .map(([gs, sep]) => gs.join(sep))
      .filter((w) => w.replace(/\D/g, '').length >= 7);
    fc.assert(
      fc.property(written, fc.constantFrom(...REGIONS), (w, region) => {
        expect(validNational(w, region)).toBe(libraryVerdict(w, region));
      }),
      { numRuns: 3000 },
    );
  });

  it('on numbers the library formats itself', () => {
    // Valid numbers are rare among random digits: take them from the library's own output.
    const national = fc
      .tuple(fc.constantFrom(...REGIONS), fc.stringMatching(/^[1-9][0-9]{6,10}$/))
      .map(([region, digits]) => {
        const p = parsePhoneNumberFromString(digits, region);
        return [p?.isValid() ? p.formatNational() : digits, region] as const;
      });
    fc.assert(
      fc.property(national, ([w, region]) => {
        expect(validNational(w, region)).toBe(libraryVerdict(w, region));
      }),
      { numRuns: 3000 },
    );
  });
});
