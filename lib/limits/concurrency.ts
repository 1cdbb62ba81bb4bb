// In-flight caps per key. In Redis a slot is a lease in a sorted set (member: a random
// lease id, score: when it expires by Redis's own clock), renewed while the request runs.
// A process that crashes stops renewing, so its slots come back after one lease instead
// of staying taken forever, which a plain counter would do.

import { randomBytes } from 'node:crypto';
import { luaScript, slotKey, type RedisRunner } from './redis.js';

export interface Slot {
  /** Frees the slot; safe to call more than once (only the first call counts). */
  release(): void;
}

export interface ConcurrencyStore {
  /** Takes a slot when fewer than `max` are in flight for `id`; atomic. Null when full. */
  acquire(id: string, max: number): Promise<{ slot: Slot | null; inFlight: number }>;
}

/** The in-process store: a count per key, deleted at zero, so memory is bounded by in-flight keys. */
export class MemoryConcurrencyStore implements ConcurrencyStore {
  private readonly counts = new Map<string, number>();

  async acquire(id: string, max: number): Promise<{ slot: Slot | null; inFlight: number }> {
    const n = this.counts.get(id) ?? 0;
    if (n >= max) return { slot: null, inFlight: n };
    this.counts.set(id, n + 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const left = (this.counts.get(id) ?? 1) - 1;
      if (left <= 0) this.counts.delete(id);
      else this.counts.set(id, left);
    };
    return { slot: { release }, inFlight: n + 1 };
  }

  /** In-flight requests for `id` (for tests and metrics). */
  inFlight(id: string): number {
    return this.counts.get(id) ?? 0;
  }
}

// Redis's clock, not each server's, decides when a lease expired. TIME before a write needs
// effects replication, the default since Redis 5 and the only mode since 7.
const NOW = `
  if redis.replicate_commands then redis.replicate_commands() end
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`;

const ACQUIRE = luaScript(`
  ${NOW}
  local lease = tonumber(ARGV[2])
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
  local n = redis.call('ZCARD', KEYS[1])
  if n >= tonumber(ARGV[1]) then return {0, n} end
  redis.call('ZADD', KEYS[1], string.format('%.0f', now + lease), ARGV[3])
  redis.call('PEXPIRE', KEYS[1], lease)
  return {1, n + 1}
`);

const RENEW = luaScript(`
  ${NOW}
  local lease = tonumber(ARGV[1])
  local renewed = redis.call('ZADD', KEYS[1], 'XX', 'CH', string.format('%.0f', now + lease), ARGV[2])
  if renewed == 1 then redis.call('PEXPIRE', KEYS[1], lease) end
  return renewed
`);

/** The shared store: one sorted set per key (`prefix{id}`); leases of `leaseMs`, renewed every third of a lease while held. */
export class RedisConcurrencyStore implements ConcurrencyStore {
  constructor(
    private readonly redis: RedisRunner,
    private readonly prefix: string,
    private readonly leaseMs: number,
  ) {}

  async acquire(id: string, max: number): Promise<{ slot: Slot | null; inFlight: number }> {
    const key = slotKey(this.prefix, id);
    const member = randomBytes(12).toString('hex');
    const reply = (await this.redis.run(ACQUIRE, key, [max, this.leaseMs, member])) as [number, number];
    const inFlight = Number(reply[1]);
    if (Number(reply[0]) !== 1) return { slot: null, inFlight };
    const timer = setInterval(
      () => {
        // A failed renewal is retried at the next tick; the lease outlives two misses.
        this.redis.run(RENEW, key, [this.leaseMs, member]).catch(() => undefined);
      },
      Math.max(1, Math.floor(this.leaseMs / 3)),
    );
    timer.unref?.();
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      clearInterval(timer);
      // If Redis is unreachable now, the lease expires by itself.
      this.redis.send(['ZREM', key, member], key).catch(() => undefined);
    };
    return { slot: { release }, inFlight };
  }
}
