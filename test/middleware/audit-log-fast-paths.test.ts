/**
 * auditLog's fast paths against the code they sit in front of: each reference below is the
 * general implementation as it was before the fast path, kept verbatim.
 */
import { isIP } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIp, isoTime, safePath } from '../../lib/middleware/audit-log.js';

/** Random strings from pieces that sit on and around each case the code tells apart. */
function texts(alphabet: string[], maxLength: number): fc.Arbitrary<string> {
  return fc.array(fc.constantFrom(...alphabet), { maxLength }).map((pieces) => pieces.join(''));
}

describe('formatIp', () => {
  function reference(raw: string | undefined, mode: 'full' | 'truncate' | 'none'): string | null {
    if (mode === 'none' || raw === undefined) return null;
    let ip = raw.startsWith('::ffff:') && isIP(raw.slice(7)) === 4 ? raw.slice(7) : raw;
    const version = isIP(ip);
    if (version === 0) return null;
    if (mode === 'full') return ip;
    if (version === 4) return ip.replace(/\.\d+$/, '.0');
    ip = ip.split('%')[0]!;
    const [head = '', tail = ''] = ip.split('::');
    const left = head === '' ? [] : head.split(':');
    const right = tail === '' ? [] : tail.split(':');
    const groups = ip.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
    return `${groups
      .slice(0, 3)
      .map((g) => g.replace(/^0+(?=.)/, '').toLowerCase())
      .join(':')}::`;
  }
  const modes = fc.constantFrom('full' as const, 'truncate' as const, 'none' as const);
  const prefixes = fc.constantFrom('', '', '::ffff:', '::FFFF:', '::ffff:0:', ':ffff:', '::ffff::', ' ', '0');
  const suffixes = fc.constantFrom('', '', '', '%eth0', ' ', '.', '\n', ',1.2.3.4', '0');
  const octets = fc.oneof(
    fc.integer({ min: 0, max: 255 }).map(String),
    fc.constantFrom('00', '01', '000', '256', '300', '999', '-1', '', 'a', '1e2', '٣', '0x1'),
  );
  const v4ish = fc.array(octets, { minLength: 1, maxLength: 5 }).map((o) => o.join('.'));
  const addresses = fc.oneof(
    fc.tuple(prefixes, fc.oneof(fc.ipV4(), fc.ipV4Extended(), v4ish), suffixes).map((p) => p.join('')),
    fc.ipV6(),
    texts([...'0123456789.:abcdefABCDEF%', 'ffff', '::', '255', ' '], 24),
  );

  it('matches the general code on addresses, near misses and noise', () => {
    fc.assert(
      fc.property(addresses, modes, (raw, mode) => {
        expect(formatIp(raw, mode)).toBe(reference(raw, mode));
      }),
      { numRuns: 20_000 },
    );
  });

  it.each([
    ['127.0.0.1', '127.0.0.1', '127.0.0.0'],
    ['::ffff:10.1.2.3', '10.1.2.3', '10.1.2.0'],
    ['::FFFF:10.1.2.3', '::FFFF:10.1.2.3', '0:0:0::'],
    ['255.255.255.255', '255.255.255.255', '255.255.255.0'],
    ['01.2.3.4', null, null],
    ['1.2.3.256', null, null],
    ['1.2.3.4 ', null, null],
  ])('%s: full %s, truncated %s', (raw, full, truncated) => {
    expect(formatIp(raw, 'full')).toBe(full);
    expect(formatIp(raw, 'truncate')).toBe(truncated);
    expect(reference(raw, 'full')).toBe(full);
    expect(reference(raw, 'truncate')).toBe(truncated);
  });
});

describe('safePath', () => {
  function reference(url: string): string {
    const path = url.split(/[?#]/, 1)[0]!.slice(0, 512);
    return path.replace(/[^\x21-\x7e]/g, (c) => {
      const hex = c.charCodeAt(0).toString(16).toUpperCase();
      return hex.length <= 2 ? `%${hex.padStart(2, '0')}` : `%u${hex.padStart(4, '0')}`;
    });
  }
  const alphabet = [
    ...'/az09-._~!"$%&\'()*+,;=:@[]{}|\\^`<>?#',
    ' ',
    '\t',
    '\n',
    '\x00',
    '\x20',
    '\x7f',
    '\x80',
    'é',
    '\u2028',
    '\ud83d\ude00',
    '\ud800',
    '/v1/chat/completions',
    'x'.repeat(100),
  ];

  it('matches the general code on random paths, short and past the 512-character cut', () => {
    fc.assert(
      fc.property(texts(alphabet, 40), (url) => {
        expect(safePath(url)).toBe(reference(url));
      }),
      { numRuns: 20_000 },
    );
  });

  it('matches the general code on random Unicode strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (url) => {
        expect(safePath(url)).toBe(reference(url));
      }),
      { numRuns: 5_000 },
    );
  });

  it('cuts at exactly 512 characters, and at ? or # on either side of the cut', () => {
    for (const n of [510, 511, 512, 513, 600])
      for (const tail of ['', '?q=1', '#f', ' ', '\u00e9'])
        for (const url of ['/'.repeat(n) + tail, '/'.repeat(n - 1) + tail + '/'.repeat(5)])
          expect(safePath(url)).toBe(reference(url));
    expect(safePath('/v1/chat/completions?api-version=1')).toBe('/v1/chat/completions');
    expect(safePath('/a b?c')).toBe('/a%20b');
  });
});

describe('isoTime', () => {
  it('is Date#toISOString, whichever second was seen last', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.integer({ min: 0, max: 253_402_300_799_999 }),
            fc.integer({ min: 1_700_000_000_000, max: 1_700_000_003_000 }),
            fc.integer({ min: -8.64e15, max: 8.64e15 }),
            fc.constantFrom(0, -0, -1, 999, 1000, 253_402_300_799_999, 253_402_300_800_000, 8.64e15, 1.5, 1000.5),
          ),
          { minLength: 1, maxLength: 20 },
        ),
        (times) => {
          for (const t of times) expect(isoTime(t)).toBe(new Date(t).toISOString());
        },
      ),
      { numRuns: 5_000 },
    );
  });
});
