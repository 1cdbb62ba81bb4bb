// Request counts in Redis through rate-limit-redis's RedisStore, made to survive a Redis
// that is down when the server starts: RedisStore loads its scripts once, in `init`, and
// would keep the failed load (and fail every request) after Redis came back.

import type { ClientRateLimitInfo, IncrementResponse, Options, Store } from 'express-rate-limit';
import { RedisStore } from 'rate-limit-redis';
import type { RedisRunner } from './redis.js';

export class SharedRequestStore implements Store {
  private readonly inner: RedisStore;
  private scriptsFailed = false;
  /** Part of express-rate-limit's Store interface: these counts are shared between processes. */
  readonly localKeys = false;

  constructor(redis: RedisRunner, prefix: string) {
    this.inner = new RedisStore({ prefix, sendCommand: (...args: string[]) => redis.send(args) as Promise<never> });
  }

  init(options: Options): void {
    // Not awaited (by rateLimitByKey, as by express-rate-limit): a failure is only remembered
    // and retried on use. RedisStore reads only `windowMs` here.
    this.inner.init(options).catch(() => undefined);
    this.watch();
  }

  async increment(key: string): Promise<IncrementResponse> {
    if (this.scriptsFailed) {
      this.scriptsFailed = false;
      this.inner.incrementScriptSha = this.inner.loadIncrementScript();
      this.inner.getScriptSha = this.inner.loadGetScript();
      this.watch();
    }
    return this.inner.increment(key);
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    return this.inner.get(key);
  }

  async decrement(key: string): Promise<void> {
    await this.inner.decrement(key);
  }

  async resetKey(key: string): Promise<void> {
    await this.inner.resetKey(key);
  }

  private watch(): void {
    for (const loading of [this.inner.incrementScriptSha, this.inner.getScriptSha])
      loading?.catch(() => {
        this.scriptsFailed = true;
      });
  }
}
