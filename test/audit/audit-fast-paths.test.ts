/** auditLog's fast paths against the code they sit in front of. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoTime } from '../../lib/middleware/audit-log.js';

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
