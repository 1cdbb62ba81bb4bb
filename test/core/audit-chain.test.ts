import { describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../lib/index.js';
import { canonicalJson, chainRecord, newChain } from '../../lib/core/audit-chain.js';

/** `n` chained records as a log would hand them back: through JSON, with winston's fields added. */
function chainOf(n: number, chain = newChain(), from = 0) {
  return Array.from({ length: n }, (_, i) => {
    const r = chainRecord(chain, { event: 'llm.request', requestId: `r${from + i}`, status: 200, findings: [] });
    return { ...JSON.parse(JSON.stringify(r)), level: 'info', message: 'llm.request', timestamp: `t${i}` };
  });
}

describe('verifyAuditChain', () => {
  it('accepts an intact chain, an empty log, and interleaved chains of several processes', () => {
    expect(verifyAuditChain(chainOf(5))).toEqual({ ok: true });
    expect(verifyAuditChain([])).toEqual({ ok: true });
    const a = chainOf(3);
    const b = chainOf(3);
    expect(verifyAuditChain([a[0], b[0], b[1], a[1], a[2], b[2]])).toEqual({ ok: true });
  });

  it.each([
    ['an edited field', (r: any[]) => (r[2] = { ...r[2], status: 500 }), 2, 'record was edited'],
    ['an added field', (r: any[]) => (r[1] = { ...r[1], note: 'x' }), 1, 'record was edited'],
    ['an edited link', (r: any[]) => (r[3] = { ...r[3], seq: 9 }), 3, 'record was edited'],
    ['a dropped record', (r: any[]) => r.splice(2, 1), 2, 'a record before this one was dropped'],
    ['the first record dropped', (r: any[]) => r.shift(), 0, 'the first records of this chain are missing'],
    ['a swap', (r: any[]) => ([r[1], r[2]] = [r[2], r[1]]), 1, 'records are out of order'],
    ['a duplicate', (r: any[]) => r.splice(3, 0, r[2]), 3, 'record is duplicated or out of order'],
    ['a line that is no record', (r: any[]) => (r[1] = 'oops'), 1, 'not a record'],
    ['an unchained record', (r: any[]) => (r[4] = { event: 'llm.request' }), 4, 'record is not chained'],
  ])('reports %s', (_name, tamper, index, reason) => {
    const records = chainOf(6);
    tamper(records);
    const verdict = verifyAuditChain(records);
    // The documented shape, exactly, with a reason that shows when the verdict is printed.
    expect(verdict).toEqual({ ok: false, index, reason });
    expect(JSON.stringify(verdict)).toContain(reason);
  });

  it('catches a chain rebuilt with a forged record only if the links break (an anchor is what stops a rewrite)', () => {
    const records = chainOf(4);
    // Recomputing a record's hash is possible without a secret, but the next record still points at the old one.
    const chain = { chainId: records[1].chainId, seq: 1, prevHash: records[0].hash };
    const { level: _l, message: _m, timestamp: _t, hash: _h, chainId: _c, seq: _s, prevHash: _p, ...body } = records[1];
    records[1] = chainRecord(chain, { ...body, status: 403 });
    expect(verifyAuditChain(records)).toMatchObject({ ok: false, index: 2 });
  });

  it('verifies a rotated log against the previous file (anchors) or, when told, from mid-way', () => {
    const chain = newChain();
    const first = chainOf(3, chain);
    const second = chainOf(3, chain, 3);
    expect(verifyAuditChain(second)).toMatchObject({ ok: false, index: 0 });
    expect(verifyAuditChain(second, { anchors: first })).toEqual({ ok: true });
    expect(verifyAuditChain(second, { anchors: [first.at(-1)] })).toEqual({ ok: true });
    expect(verifyAuditChain(second.slice(1), { anchors: first })).toMatchObject({ ok: false, index: 0 });
    expect(verifyAuditChain(second, { allowPartial: true })).toEqual({ ok: true });
    expect(verifyAuditChain(second.slice(0, 1).concat(second.slice(2)), { allowPartial: true })).toMatchObject({
      ok: false,
      index: 1,
    });
  });

  it('leaves fields the logger adds out of the hash only when told', () => {
    const records = chainOf(3).map((r) => ({ ...r, service: 'api' }));
    expect(verifyAuditChain(records)).toMatchObject({ ok: false, index: 0, reason: 'record was edited' });
    expect(verifyAuditChain(records, { ignoreFields: ['service'] })).toEqual({ ok: true });
  });

  it.each([
    [{ allowPartial: 'yes' }, 'verifyAuditChain: `allowPartial` must be a boolean (received "yes")'],
    [{ anchors: [{ seq: 1 }] }, 'verifyAuditChain: `anchors` must be an array of records or `{ chainId, seq, hash }`'],
    [{ ignore: ['x'] }, 'verifyAuditChain: unknown option `ignore`'],
  ])('rejects options %j', (options, message) => {
    expect(() => verifyAuditChain([], options as never)).toThrow(message);
  });

  it('hashes one canonical form: key order and undefined values do not matter', () => {
    expect(canonicalJson({ b: 1, a: [{ d: undefined, c: 'x' }] })).toBe('{"a":[{"c":"x"}],"b":1}');
  });
});

describe('a keyed chain (chain: { secret })', () => {
  const secret = 'audit-chain-secret-0123456789abcdef';
  const keyed = (n: number) => chainOf(n, newChain(secret));

  it('verifies only with its secret, and reports a plain-hash rewrite', () => {
    const records = keyed(4);
    expect(records.every((r) => r.alg === 'hmac-sha256')).toBe(true);
    expect(verifyAuditChain(records, { secret })).toEqual({ ok: true });
    expect(verifyAuditChain(records)).toMatchObject({
      ok: false,
      index: 0,
      reason: 'record is keyed: verify with its secret',
    });
    expect(verifyAuditChain(records, { secret: `${secret}x` })).toMatchObject({ ok: false, index: 0 });
    // Whoever edits a record and rebuilds the chain without the secret has to drop `alg`: caught.
    const rebuilt = chainOf(4);
    expect(verifyAuditChain(rebuilt, { secret })).toMatchObject({ ok: false, index: 0, reason: 'record is not keyed' });
    const edited = records.map((r, i) => (i === 2 ? { ...r, status: 201 } : r));
    expect(verifyAuditChain(edited, { secret })).toMatchObject({ ok: false, index: 2 });
  });

  it('refuses a short secret without echoing it', () => {
    expect(() => verifyAuditChain([], { secret: 'short' })).toThrow(
      'verifyAuditChain: `secret` must be a string or Buffer of at least 32 bytes',
    );
    expect(() => verifyAuditChain([], { secret: 'short' })).not.toThrow(/short"/);
  });
});
