// The per-identity cache of store keys and partition keys in rateLimitByKey.

import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { storeKeyCache } from '../../lib/middleware/rate-limit-by-key.js';

const digest = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 32);

describe('storeKeyCache', () => {
  it('gives the digest of the identity and a partition key cut from it, the same object on a repeat', () => {
    const of = storeKeyCache();
    const a = of('id:team-a');
    expect(a).toEqual({
      key: digest('id:team-a'),
      pk: Buffer.from(digest('id:team-a').slice(0, 12)).toString('base64'),
    });
    expect(of('id:team-a')).toBe(a);
    expect(of('id:team-b').key).not.toBe(a.key);
  });

  it('stays bounded: it starts over after 10 000 identities, with the same answers', () => {
    const of = storeKeyCache();
    const first = of('ip:0');
    for (let i = 1; i <= 10_000; i++) of(`ip:${i}`);
    const again = of('ip:0');
    expect(again).not.toBe(first);
    expect(again).toEqual(first);
  });
});
