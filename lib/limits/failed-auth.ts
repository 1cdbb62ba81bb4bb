// Failed key attempts per client address, for apiKeyAuth: an address that keeps presenting
// wrong keys is refused for the rest of the window, whatever key it sends next. Counts go
// to the request-count store (memory, or Redis through rate-limit-redis, so all processes
// share them); which addresses are refused is also kept in process, so that a request with
// a good key costs no store round trip.

import { ipKeyGenerator, MemoryStore, type IncrementResponse, type Options } from 'express-rate-limit';
import { sha256 } from '../core/request.js';
import type { RedisRunner } from './redis.js';
import { SharedRequestStore } from './request-store.js';

export interface FailedAuthPolicy {
  /** Failed attempts an address may make per window; the next one is refused with 429. */
  limit: number;
  windowMs: number;
}

export const DEFAULT_FAILED_AUTH: FailedAuthPolicy = { limit: 20, windowMs: 60_000 };

/** Refused addresses kept in process at most; past it, expired ones go, then the oldest. */
const MAX_BLOCKED = 10_000;

/** The address a failed attempt counts against: the client IP, IPv6 grouped by /56 as rateLimitByKey does. */
export function attemptAddress(ip: string | undefined): string {
  return ipKeyGenerator(ip ?? 'unknown');
}

export class FailedAuthThrottle {
  private readonly blockedUntil = new Map<string, number>();
  private readonly counts: { increment(key: string): Promise<IncrementResponse> };

  constructor(
    private readonly policy: FailedAuthPolicy,
    runner: RedisRunner | undefined,
    prefix: string,
  ) {
    const store = runner ? new SharedRequestStore(runner, prefix) : new MemoryStore();
    store.init({ windowMs: policy.windowMs } as Options);
    this.counts = store;
  }

  /** How long `address` must still wait before its next attempt, ms; 0 when it may try. */
  waitMs(address: string): number {
    const until = this.blockedUntil.get(address);
    if (until === undefined) return 0;
    const left = until - Date.now();
    if (left > 0) return left;
    this.blockedUntil.delete(address);
    return 0;
  }

  /**
   * Counts a failed attempt from `address`. Resolves with the wait when this attempt went
   * over the limit, else 0. A store that fails counts nothing: the attempt fails anyway,
   * and a broken Redis must not turn every wrong key into a 503.
   */
  async failed(address: string): Promise<number> {
    let hits: IncrementResponse;
    try {
      // Hashed: no client address is kept in the store in clear.
      hits = await this.counts.increment(sha256(`ip:${address}`).slice(0, 32));
    } catch {
      return 0;
    }
    if (hits.totalHits <= this.policy.limit) return 0;
    const until = hits.resetTime?.getTime() ?? Date.now() + this.policy.windowMs;
    this.block(address, until);
    return Math.max(1, until - Date.now());
  }

  private block(address: string, until: number): void {
    if (this.blockedUntil.size >= MAX_BLOCKED && !this.blockedUntil.has(address)) {
      const now = Date.now();
      for (const [a, u] of this.blockedUntil) if (u <= now) this.blockedUntil.delete(a);
      if (this.blockedUntil.size >= MAX_BLOCKED) this.blockedUntil.delete(this.blockedUntil.keys().next().value!);
    }
    this.blockedUntil.set(address, until);
  }
}
