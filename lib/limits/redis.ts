// One way to talk to Redis whatever the client: node-redis (v4, v5) sends raw commands with
// `sendCommand(args)`, a node-redis cluster with `sendCommand(firstKey, isReadonly, args)`,
// ioredis (single node or `Cluster`) with `call(name, ...args)`. Every command names the key
// it is about, so a cluster sends it to the node that owns the key's slot. Every command is
// bounded by a timeout so that a Redis that is down or unreachable answers "unavailable"
// quickly instead of holding requests in a client's offline queue.

import { createHash } from 'node:crypto';

/**
 * A node-redis (v4/v5) or ioredis client, connected by you: a single node, a node-redis
 * `createCluster()` or an ioredis `Cluster`. Only raw commands are used.
 */
export type RedisClientLike =
  | { sendCommand(args: string[], options?: any): Promise<unknown> }
  | { sendCommand(firstKey: any, isReadonly: any, args: any, options?: any): Promise<unknown> }
  | { call(command: string, ...args: string[]): Promise<unknown> };

/**
 * The Redis key for `id` under `prefix`, hash-tagged: `prefix{id}`. A cluster places a key by
 * the part in braces only, so every key of one identity (its request count, token budget and
 * slots) lives in one slot, and a script over several of them stays legal, while different
 * identities spread over the cluster. On a single Redis the braces are just characters.
 */
export function slotKey(prefix: string, id: string): string {
  return `${prefix}{${id}}`;
}

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
  /**
   * Sends one raw command about `key` (a cluster routes it there; a command without a key
   * goes to any node). Rejects with `StoreUnavailableError` on timeout or error.
   */
  send(args: string[], key?: string): Promise<unknown>;
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

type RawSend = (args: string[], key: string | undefined, signal: AbortSignal) => Promise<unknown>;
type NodeRedisSend = (...a: any[]) => Promise<unknown>;

// node-redis v5 reads `abortSignal`, v4 `signal`: an aborted command leaves the offline
// queue, so a timed-out command does not run later when Redis comes back.
const abortable = (signal: AbortSignal) => ({ abortSignal: signal, signal });

/** The raw command function of whichever client was given. */
function rawSender(client: RedisClientLike): RawSend {
  const c = client as Record<string, unknown>;
  // ioredis has both `call` and a differently shaped `sendCommand`: `call` is the raw one.
  // An ioredis `Cluster` finds the keys in the arguments itself (EVALSHA's included).
  if (typeof c.call === 'function') {
    const call = (c.call as (name: string, ...a: string[]) => Promise<unknown>).bind(client);
    return (args) => call(args[0]!, ...args.slice(1));
  }
  const sendCommand = (c.sendCommand as NodeRedisSend).bind(client);
  // A node-redis cluster (v4 and v5 both expose its `masters` and `slots`) is told the key.
  if ('masters' in c && 'slots' in c) return (args, key, signal) => sendCommand(key, false, args, abortable(signal));
  return (args, _key, signal) => sendCommand(args, abortable(signal));
}

/** A command sender over either client kind, with a timeout on every command. */
export function redisRunner(client: RedisClientLike, timeoutMs: number): RedisRunner {
  const raw = rawSender(client);

  async function send(args: string[], key?: string): Promise<unknown> {
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
      return await Promise.race([Promise.resolve().then(() => raw(args, key, controller.signal)), timeout]);
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
      return await send(['EVALSHA', script.sha, '1', ...tail], key);
    } catch (err) {
      if (!isNoScript(err)) throw err;
      // First use on this node (each node of a cluster has its own script cache), or after
      // SCRIPT FLUSH / failover: EVAL loads it there.
      return send(['EVAL', script.source, '1', ...tail], key);
    }
  }

  return { send, run };
}

/** Redis answered that it does not know a script (by its SHA-1). */
export function isNoScript(err: unknown): boolean {
  const cause = (err as { cause?: unknown } | undefined)?.cause;
  return cause instanceof Error && /NOSCRIPT/.test(cause.message);
}
