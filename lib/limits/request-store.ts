// Request counts in Redis through rate-limit-redis's RedisStore, which is handed our runner
// instead of a client: every command goes to the node that owns its key (Redis Cluster
// included), with our timeout, and the counter keys are hash-tagged like every other key.
//
// RedisStore loads its scripts with SCRIPT LOAD, once, in `init`, then runs EVALSHA. On a
// cluster that load reaches one node while the keys live on all of them, and a load that
// failed (Redis down at start) would be kept and fail every request after Redis came back.
// So SCRIPT LOAD is answered here, with the script's SHA-1 (which is all Redis would answer),
// and EVALSHA goes through the runner, which sends EVAL on the first NOSCRIPT of each node.

import type { ClientRateLimitInfo, IncrementResponse, Options, Store } from 'express-rate-limit';
import { RedisStore, type RedisReply, type SendCommandClusterFn } from 'rate-limit-redis';
import { luaScript, slotKey, type LuaScript, type RedisRunner } from './redis.js';

/** Sends RedisStore's commands through the runner, its scripts by EVALSHA-then-EVAL. */
function scriptAwareSender(redis: RedisRunner): SendCommandClusterFn {
  const scripts = new Map<string, LuaScript>();
  return async ({ key, command }) => {
    const [name = '', ...rest] = command;
    const verb = name.toUpperCase();
    if (verb === 'SCRIPT' && rest[0]?.toUpperCase() === 'LOAD' && rest[1] !== undefined) {
      const script = luaScript(rest[1]);
      scripts.set(script.sha, script);
      return script.sha;
    }
    const script = verb === 'EVALSHA' ? scripts.get(rest[0] ?? '') : undefined;
    // RedisStore's scripts each take one key: EVALSHA sha 1 key ...args.
    if (script !== undefined && rest[1] === '1' && rest[2] !== undefined)
      return (await redis.run(script, rest[2], rest.slice(3))) as RedisReply;
    return (await redis.send(command, key)) as RedisReply;
  };
}

export class SharedRequestStore implements Store {
  private readonly inner: RedisStore;
  /** Part of express-rate-limit's Store interface: these counts are shared between processes. */
  readonly localKeys = false;

  constructor(redis: RedisRunner, prefix: string) {
    this.inner = new RedisStore({ prefix, sendCommandCluster: scriptAwareSender(redis) });
  }

  init(options: Options): void {
    // Nothing here reaches Redis (see above), so nothing can fail. RedisStore reads only `windowMs`.
    this.inner.init(options).catch(() => undefined);
  }

  // RedisStore puts its prefix before the key it is given: `{key}` makes `prefix{key}`.
  async increment(key: string): Promise<IncrementResponse> {
    return this.inner.increment(slotKey('', key));
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    return this.inner.get(slotKey('', key));
  }

  async decrement(key: string): Promise<void> {
    await this.inner.decrement(slotKey('', key));
  }

  async resetKey(key: string): Promise<void> {
    await this.inner.resetKey(slotKey('', key));
  }
}
