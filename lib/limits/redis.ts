// One way to talk to Redis whatever the client: node-redis (v4, v5) sends raw commands with
// `sendCommand(args)`, ioredis with `call(name, ...args)`. Every command is bounded by a
// timeout so that a Redis that is down or unreachable answers "unavailable" quickly instead
// of holding requests in a client's offline queue.

import { createHash } from 'node:crypto';

/** A node-redis (v4/v5) or ioredis client, connected by you. Only raw commands are used. */
export type RedisClientLike =
  | { sendCommand(args: string[], options?: any): Promise<unknown> }
  | { call(command: string, ...args: string[]): Promise<unknown> };

/** A Lua script with its SHA-1, run by EVALSHA (EVAL once when Redis does not know it yet). */
export interface LuaScript {
  source: string;
  sha: string;
}

export function luaScript(source: string): LuaScript {
  const trimmed = source.replace(/^\s+/gm, '').trim();
  return { source: trimmed, sha: createHash('sha1').update(trimmed).digest('hex') };
}

/** Raised when Redis does not answer in time, or answers with an error. */
export class StoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}

export interface RedisRunner {
  /** Sends one raw command. Rejects with `StoreUnavailableError` on timeout or error. */
  send(args: string[]): Promise<unknown>;
  /** Runs a Lua script atomically on one key. */
  run(script: LuaScript, key: string, args: ReadonlyArray<string | number>): Promise<unknown>;
}

/** What is wrong with `value` as a Redis client, or undefined when it is one. */
export function redisClientProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'a node-redis or ioredis client';
  const v = value as Record<string, unknown>;
  if (typeof v.call === 'function' || typeof v.sendCommand === 'function') return undefined;
  return 'a node-redis or ioredis client';
}

/** A command sender over either client kind, with a timeout on every command. */
export function redisRunner(client: RedisClientLike, timeoutMs: number): RedisRunner {
  // ioredis has both `call` and a differently shaped `sendCommand`: `call` is the raw one.
  const raw: (args: string[], signal: AbortSignal) => Promise<unknown> =
    'call' in client && typeof client.call === 'function'
      ? (args) => (client as { call(c: string, ...a: string[]): Promise<unknown> }).call(args[0]!, ...args.slice(1))
      : (args, signal) =>
          // node-redis v5 reads `abortSignal`, v4 `signal`: an aborted command leaves the
          // offline queue, so a timed-out command does not run later when Redis comes back.
          (client as { sendCommand(a: string[], o?: any): Promise<unknown> }).sendCommand(args, {
            abortSignal: signal,
            signal,
          });

  async function send(args: string[]): Promise<unknown> {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new StoreUnavailableError(`Redis did not answer within ${timeoutMs} ms`));
      }, timeoutMs);
      // A pending Redis call must not keep the process alive on shutdown.
      timer.unref?.();
    });
    try {
      return await Promise.race([Promise.resolve().then(() => raw(args, controller.signal)), timeout]);
    } catch (err) {
      if (err instanceof StoreUnavailableError) throw err;
      throw new StoreUnavailableError('Redis command failed', { cause: err });
    } finally {
      clearTimeout(timer);
    }
  }

  async function run(script: LuaScript, key: string, args: ReadonlyArray<string | number>): Promise<unknown> {
    const tail = [key, ...args.map(String)];
    try {
      return await send(['EVALSHA', script.sha, '1', ...tail]);
    } catch (err) {
      const cause = (err as { cause?: unknown }).cause;
      const message = cause instanceof Error ? cause.message : '';
      if (!/NOSCRIPT/.test(message)) throw err;
      // First use on this Redis (or after SCRIPT FLUSH / failover): EVAL loads it.
      return send(['EVAL', script.source, '1', ...tail]);
    }
  }

  return { send, run };
}
