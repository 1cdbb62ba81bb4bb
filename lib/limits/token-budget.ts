// LLM-token budgets per key over a fixed window: a request reserves its estimate before
// the provider call and settles to the provider's `usage` afterwards. Each window carries
// an id, so a refund only ever goes back to the window it was taken from (a refund landing
// in a fresh window would hand out tokens that were never reserved there).

import { randomBytes } from 'node:crypto';
import { luaScript, slotKey, type RedisRunner } from './redis.js';

export interface Reservation {
  ok: boolean;
  /** Tokens reserved: between the ask's `least` and `most`; 0 when refused. */
  granted: number;
  /** Tokens used in the window after this reservation (or, when refused, before it). */
  used: number;
  /** Milliseconds until the window resets. */
  resetMs: number;
  /** The window the reservation went to, for `settle`. */
  window: string;
}

/** How many tokens a request would like reserved, and the fewest it can do with. */
export interface TokenAsk {
  most: number;
  least: number;
}

/** What remains of `limit` after `used`, up to the ask's `most`, or 0 when that is under its `least`. */
export function grantOf(ask: TokenAsk, used: number, limit: number): number {
  const grant = Math.min(ask.most, limit - used);
  return grant >= ask.least && grant > 0 ? grant : 0;
}

export interface TokenBudgetStore {
  /** Reserves as much of the ask as the window has left, refusing under `least`; atomic. */
  reserve(id: string, ask: TokenAsk, limit: number, windowMs: number): Promise<Reservation>;
  /**
   * Corrects a reservation by `delta` tokens: a refund (negative) only to the same window,
   * an extra charge (positive) to the current window, whichever it is.
   */
  settle(id: string, delta: number, window: string, windowMs: number): Promise<void>;
}

const newWindowId = (): string => randomBytes(8).toString('hex');

/**
 * The in-process store. Memory stays bounded by the keys active within one window:
 * expired windows are dropped by a sweep at most once per window length.
 */
export class MemoryTokenBudgetStore implements TokenBudgetStore {
  private readonly windows = new Map<string, { used: number; resetAt: number; id: string }>();
  private nextSweep = 0;

  async reserve(id: string, ask: TokenAsk, limit: number, windowMs: number): Promise<Reservation> {
    const now = Date.now();
    this.sweep(now, windowMs);
    let w = this.windows.get(id);
    if (w === undefined || w.resetAt <= now) {
      w = { used: 0, resetAt: now + windowMs, id: newWindowId() };
      this.windows.set(id, w);
    }
    const granted = grantOf(ask, w.used, limit);
    w.used += granted;
    return { ok: granted > 0, granted, used: w.used, resetMs: w.resetAt - now, window: w.id };
  }

  async settle(id: string, delta: number, window: string, windowMs: number): Promise<void> {
    const now = Date.now();
    const w = this.windows.get(id);
    const live = w !== undefined && w.resetAt > now;
    if (delta < 0) {
      if (live && w.id === window) w.used = Math.max(0, w.used + delta);
    } else if (delta > 0) {
      if (live) w.used += delta;
      else this.windows.set(id, { used: delta, resetAt: now + windowMs, id: newWindowId() });
    }
  }

  /** Number of windows held, for tests of boundedness. */
  get size(): number {
    return this.windows.size;
  }

  private sweep(now: number, windowMs: number): void {
    if (now < this.nextSweep) return;
    this.nextSweep = now + windowMs;
    for (const [key, w] of this.windows) if (w.resetAt <= now) this.windows.delete(key);
  }
}

// A window is a hash { used, win } that expires with the window; a key without a TTL (which
// only a manual edit could leave) is treated as expired rather than trusted forever.
// ARGV: most, limit, windowMs, a fresh window id, least. The grant is grantOf's rule.
const RESERVE = luaScript(`
  local most = tonumber(ARGV[1])
  local limit = tonumber(ARGV[2])
  local least = tonumber(ARGV[5])
  local ttl = redis.call('PTTL', KEYS[1])
  local used = tonumber(redis.call('HGET', KEYS[1], 'used'))
  if ttl <= 0 or used == nil then
    redis.call('DEL', KEYS[1])
    redis.call('HSET', KEYS[1], 'used', 0, 'win', ARGV[4])
    redis.call('PEXPIRE', KEYS[1], ARGV[3])
    used = 0
    ttl = tonumber(ARGV[3])
  end
  local win = redis.call('HGET', KEYS[1], 'win')
  local grant = math.min(most, limit - used)
  if grant < least or grant <= 0 then
    return {0, used, ttl, win, 0}
  end
  used = redis.call('HINCRBY', KEYS[1], 'used', grant)
  return {1, used, ttl, win, grant}
`);

const SETTLE = luaScript(`
  local delta = tonumber(ARGV[1])
  local win = redis.call('HGET', KEYS[1], 'win')
  if delta < 0 then
    if win ~= ARGV[2] then return 0 end
    local used = tonumber(redis.call('HGET', KEYS[1], 'used')) or 0
    if used + delta < 0 then delta = -used end
    redis.call('HINCRBY', KEYS[1], 'used', delta)
    return 1
  end
  if (not win) or redis.call('PTTL', KEYS[1]) <= 0 then
    redis.call('DEL', KEYS[1])
    redis.call('HSET', KEYS[1], 'used', delta, 'win', ARGV[4])
    redis.call('PEXPIRE', KEYS[1], ARGV[3])
  else
    redis.call('HINCRBY', KEYS[1], 'used', delta)
  end
  return 1
`);

/** The shared store: one hash per key and window (`prefix{id}`), updated only by Lua scripts (atomic). */
export class RedisTokenBudgetStore implements TokenBudgetStore {
  constructor(
    private readonly redis: RedisRunner,
    private readonly prefix: string,
  ) {}

  async reserve(id: string, ask: TokenAsk, limit: number, windowMs: number): Promise<Reservation> {
    const args = [ask.most, limit, windowMs, newWindowId(), ask.least];
    const reply = (await this.redis.run(RESERVE, slotKey(this.prefix, id), args)) as [
      number,
      number,
      number,
      string,
      number,
    ];
    return {
      ok: Number(reply[0]) === 1,
      granted: Number(reply[4]),
      used: Number(reply[1]),
      resetMs: Number(reply[2]),
      window: String(reply[3]),
    };
  }

  async settle(id: string, delta: number, window: string, windowMs: number): Promise<void> {
    if (delta === 0) return;
    await this.redis.run(SETTLE, slotKey(this.prefix, id), [delta, window, windowMs, newWindowId()]);
  }
}
