// Tamper evidence for audit records: each record carries the hash of the one before it in
// the same chain, so an edit, a drop or a swap breaks the links from that record on.
// A chain is one auditLog instance (one process run), named by a random `chainId`; records
// of several chains may interleave in one log and are verified chain by chain.

import { createHash, randomUUID } from 'node:crypto';

export interface ChainState {
  chainId: string;
  seq: number;
  prevHash: string | null;
}

export function newChain(): ChainState {
  return { chainId: randomUUID(), seq: 0, prevHash: null };
}

// Fields a logger adds around our record (winston's `level`, a timestamp format): not ours to sign.
const LOGGER_FIELDS = new Set(['hash', 'level', 'timestamp', 'message']);

/** JSON with object keys sorted at every depth: one byte sequence per value. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.keys(value)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
  return `{${entries.join(',')}}`;
}

function digest(record: Record<string, unknown>): string {
  const signed: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) if (!LOGGER_FIELDS.has(k)) signed[k] = v;
  return createHash('sha256').update(canonicalJson(signed)).digest('hex');
}

/** Links `record` into the chain and returns it with `chainId`, `seq`, `prevHash` and `hash`. */
export function chainRecord<T extends object>(
  chain: ChainState,
  record: T,
): T & { chainId: string; seq: number; prevHash: string | null; hash: string } {
  const linked = { ...record, chainId: chain.chainId, seq: chain.seq, prevHash: chain.prevHash };
  const hash = digest(linked as Record<string, unknown>);
  chain.seq += 1;
  chain.prevHash = hash;
  return { ...linked, hash };
}

/** The result of `verifyAuditChain`. */
export type ChainVerdict = { ok: true } | { ok: false; index: number; reason: string };

/**
 * Checks audit records read back from the log's JSON lines (in log order). Reports the
 * first record that was edited, or that follows a dropped or reordered one.
 * Truncation of a chain's newest records cannot be seen from the records alone: anchor
 * the latest hash elsewhere (README, "Audit chain").
 *
 * @example
 * ```ts
 * const records = readFileSync('audit.log', 'utf8').trim().split('\n').map((l) => JSON.parse(l))
 * const verdict = verifyAuditChain(records) // { ok: true } or { ok: false, index, reason }
 * ```
 */
export function verifyAuditChain(records: ReadonlyArray<unknown>): ChainVerdict {
  const heads = new Map<string, { seq: number; hash: string }>();
  for (let index = 0; index < records.length; index++) {
    const r = records[index] as Record<string, unknown> | null;
    if (typeof r !== 'object' || r === null) return { ok: false, index, reason: 'not a record' };
    const { chainId, seq, prevHash, hash } = r;
    if (typeof chainId !== 'string' || typeof seq !== 'number' || typeof hash !== 'string')
      return { ok: false, index, reason: 'record is not chained' };
    if (digest(r) !== hash) return { ok: false, index, reason: 'record was edited' };
    const head = heads.get(chainId);
    const expectedSeq = head ? head.seq + 1 : 0;
    const expectedPrev = head ? head.hash : null;
    // A chain seen mid-way (log rotated) starts at whatever seq it has; its links must still hold.
    if (head === undefined && seq !== 0 && typeof prevHash === 'string') {
      heads.set(chainId, { seq, hash });
      continue;
    }
    if (seq !== expectedSeq || prevHash !== expectedPrev)
      return {
        ok: false,
        index,
        reason: seq > expectedSeq ? 'a record before this one was dropped' : 'records were reordered',
      };
    heads.set(chainId, { seq, hash });
  }
  return { ok: true };
}
