// Tamper evidence for audit records: each record carries the hash of the one before it in
// the same chain, so an edit, a drop or a swap breaks the links from that record on.
// A chain is one auditLog instance (one process run), named by a random `chainId`; records
// of several chains may interleave in one log and are verified chain by chain.
//
// What a bare hash chain cannot show, by construction: records cut from the end of a
// chain, a whole chain removed, or a chain rewritten from scratch by someone who can write
// the log (SHA-256 has no secret). Those need an anchor kept outside the log: README,
// "Audit chain".

import { createHash, createHmac, randomUUID } from 'node:crypto';
import { checkOptions, is, type Check } from './options.js';

export interface ChainState {
  chainId: string;
  seq: number;
  prevHash: string | null;
  /** HMAC key: who can write the log but lacks it cannot rebuild a chain after an edit. */
  secret?: Buffer;
}

/** The `alg` a keyed chain's records carry; unkeyed records have none (plain SHA-256). */
export const KEYED_ALG = 'hmac-sha256';

export function newChain(secret?: string | Buffer): ChainState {
  const chain: ChainState = { chainId: randomUUID(), seq: 0, prevHash: null };
  if (secret !== undefined) chain.secret = Buffer.from(secret);
  return chain;
}

/** Checks a chain secret: long enough that it cannot be guessed from the records. */
export const secretCheck: Check = (v) =>
  (typeof v === 'string' || Buffer.isBuffer(v)) && Buffer.byteLength(v) >= 32
    ? undefined
    : 'a string or Buffer of at least 32 bytes';

/** The fields that link a record into its chain. */
export interface ChainLink {
  chainId: string;
  seq: number;
  prevHash: string | null;
  hash: string;
}

// Fields a logger adds around our record (winston's `level` and `message`, a timestamp
// format), and the hash itself: not ours to sign.
const UNSIGNED = ['hash', 'level', 'timestamp', 'message'];

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

function digest(record: Record<string, unknown>, unsigned: ReadonlySet<string>, secret?: Buffer): string {
  const signed: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) if (!unsigned.has(k)) signed[k] = v;
  const hash = secret === undefined ? createHash('sha256') : createHmac('sha256', secret);
  return hash.update(canonicalJson(signed)).digest('hex');
}

const DEFAULT_UNSIGNED: ReadonlySet<string> = new Set(UNSIGNED);

/**
 * Links `record` into the chain and returns a copy with `chainId`, `seq`, `prevHash` and
 * `hash`. The record must survive a JSON round trip unchanged (plain data only), since
 * the verifier hashes what it reads back from the log.
 */
export function chainRecord<T extends object>(chain: ChainState, record: T): T & ChainLink {
  const linked = {
    ...record,
    ...(chain.secret === undefined ? {} : { alg: KEYED_ALG }),
    chainId: chain.chainId,
    seq: chain.seq,
    prevHash: chain.prevHash,
  };
  const hash = digest(linked as Record<string, unknown>, DEFAULT_UNSIGNED, chain.secret);
  chain.seq += 1;
  chain.prevHash = hash;
  return { ...linked, hash };
}

/** The result of `verifyAuditChain`: `reason` is for people, `index` for code. */
export type ChainVerdict = { ok: true } | { ok: false; index: number; reason: string };

function failed(index: number, reason: string): ChainVerdict {
  return { ok: false, index, reason };
}

export interface VerifyAuditChainOptions {
  /**
   * Records already verified before these (e.g. the previous log file, or the heads you
   * stored elsewhere as `{ chainId, seq, hash }`): a chain that continues one of them must
   * link to its last record. Default: none.
   */
  anchors?: ReadonlyArray<Pick<ChainLink, 'chainId' | 'seq' | 'hash'>>;
  /**
   * Accept a chain whose first record here is not its first (`seq` 0) and has no anchor,
   * e.g. a rotated log whose earlier files are gone. Its links must still hold, but
   * records dropped before it cannot be seen — that is why it is off by default.
   * Default false.
   */
  allowPartial?: boolean;
  /**
   * The `chain.secret` given to `auditLog`, for a keyed (HMAC-SHA-256) chain. With it,
   * every record must be keyed; without it, a keyed record is reported. Default none.
   */
  secret?: string | Buffer;
  /** Extra fields your logger adds to every record (e.g. winston `defaultMeta` keys), left out of the hash. Default none. */
  ignoreFields?: readonly string[];
}

const anchorsCheck: Check = (v) =>
  Array.isArray(v) && v.every((a) => typeof a === 'object' && a !== null && isLink({ prevHash: null, ...a }))
    ? undefined
    : 'an array of records or `{ chainId, seq, hash }`';

function isLink(r: Record<string, unknown>): boolean {
  return (
    typeof r.chainId === 'string' &&
    Number.isSafeInteger(r.seq) &&
    (r.seq as number) >= 0 &&
    (typeof r.prevHash === 'string' || r.prevHash === null) &&
    typeof r.hash === 'string'
  );
}

/**
 * Checks audit records read back from the log's JSON lines, in log order, chain by chain.
 * Returns `{ ok: false, index }` for the first record that was edited, or that comes where
 * another record of its chain was dropped, duplicated or moved; `{ ok: true }` otherwise.
 * By default every chain must start at its first record (`seq` 0) or continue an anchor,
 * so dropping a chain's first records is caught too. Records cut from a chain's end, or a
 * whole chain left out, cannot be seen from the records alone: compare the heads with an
 * anchor kept elsewhere (README, "Audit chain").
 *
 * @param records - parsed JSON lines; the logger's `level`, `message` and `timestamp` are ignored
 * @param options - `anchors` (default none), `allowPartial` (default false), `secret` (default none), `ignoreFields` (default none)
 *
 * @example
 * ```ts
 * const records = readFileSync('audit.log', 'utf8').trim().split('\n').map((l) => JSON.parse(l))
 * const verdict = verifyAuditChain(records) // { ok: true } or { ok: false, index, reason }
 * ```
 */
export function verifyAuditChain(
  records: ReadonlyArray<unknown>,
  options: Readonly<VerifyAuditChainOptions> = {},
): ChainVerdict {
  if (!Array.isArray(records)) throw new TypeError('verifyAuditChain: `records` must be an array of parsed records');
  // Checked apart so the error never echoes a (short) secret back.
  const given = (options as { secret?: unknown } | null | undefined)?.secret;
  if (given !== undefined && secretCheck(given) !== undefined)
    throw new TypeError(`verifyAuditChain: \`secret\` must be ${secretCheck(given)}`);
  const opts = checkOptions<VerifyAuditChainOptions>('verifyAuditChain', options, {
    anchors: anchorsCheck,
    allowPartial: is.boolean,
    ignoreFields: is.stringArray,
    secret: secretCheck,
  });
  const secret = opts.secret === undefined ? undefined : Buffer.from(opts.secret);
  const unsigned = new Set([...UNSIGNED, ...(opts.ignoreFields ?? [])]);
  const heads = new Map<string, { seq: number; hash: string }>();
  for (const a of opts.anchors ?? []) {
    const prior = heads.get(a.chainId);
    if (prior === undefined || a.seq > prior.seq) heads.set(a.chainId, { seq: a.seq, hash: a.hash });
  }
  for (let index = 0; index < records.length; index++) {
    const r = records[index] as Record<string, unknown> | null;
    if (typeof r !== 'object' || r === null || Array.isArray(r)) return failed(index, 'not a record');
    if (!isLink(r)) return failed(index, 'record is not chained');
    const { chainId, seq, prevHash, hash } = r as unknown as ChainLink;
    // The verifier decides whether records must be keyed, never the record: a forger would just drop `alg`.
    if (secret !== undefined && r.alg !== KEYED_ALG) return failed(index, 'record is not keyed');
    if (secret === undefined && r.alg === KEYED_ALG) return failed(index, 'record is keyed: verify with its secret');
    if (digest(r, unsigned, secret) !== hash) return failed(index, 'record was edited');
    const head = heads.get(chainId);
    if (head === undefined && seq !== 0 && opts.allowPartial === true && prevHash !== null) {
      heads.set(chainId, { seq, hash });
      continue;
    }
    const expectedSeq = head ? head.seq + 1 : 0;
    const expectedPrev = head ? head.hash : null;
    if (seq !== expectedSeq || prevHash !== expectedPrev) return failed(index, misplaced(records, index, expectedSeq));
    heads.set(chainId, { seq, hash });
  }
  return { ok: true };
}

/**
 * Why the chained record at `index` is not the next one of its chain (`expectedSeq`): only
 * said for people, so a look ahead is fine.
 */
function misplaced(records: ReadonlyArray<unknown>, index: number, expectedSeq: number): string {
  const { chainId, seq } = records[index] as ChainLink;
  if (seq < expectedSeq) return 'record is duplicated or out of order';
  if (seq === expectedSeq) return 'record does not link to the one before it';
  for (let i = index + 1; i < records.length; i++) {
    const r = records[i] as Record<string, unknown> | null;
    if (r && r.chainId === chainId && r.seq === expectedSeq) return 'records are out of order';
  }
  return expectedSeq === 0 ? 'the first records of this chain are missing' : 'a record before this one was dropped';
}
