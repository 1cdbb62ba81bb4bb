// The loop that relays a provider's stream to the client, whatever its items are (Chat
// Completions chunks, Responses events): one item at a time, each turned into a frame by the
// caller, written with backpressure, the idle timer restarted per item, and a provider error
// classified. It stops when the stream ends, the caller says so, or the response is over.

import type { Response } from 'express';
import { drained } from './drain.js';
import type { StreamAnswer } from './upstream-call.js';
import { classifyUpstreamError, type UpstreamFailure } from './upstream-errors.js';

/** Where frames go: false when the client reads slowly (wait for 'drain'). */
export interface FrameWriter {
  send(frame: string): boolean;
}

/**
 * What one item becomes: a frame to write, `undefined` to write nothing, or `false` to stop
 * relaying (the caller has recorded why).
 */
export type RelayStep<T> = (item: T) => string | undefined | false;

/** Relays `answer` until it ends; the provider's failure, if it failed. */
export async function relayUpstream<T>(
  answer: StreamAnswer,
  out: { sink: FrameWriter; res: Response; idleMs: number },
  step: RelayStep<T>,
): Promise<UpstreamFailure | undefined> {
  const { sink, res } = out;
  const idle = answer.idle(out.idleMs);
  const iterator = answer.iterator as unknown as AsyncIterator<T>;
  try {
    let item = answer.first as unknown as T;
    for (;;) {
      const frame = step(item);
      if (frame === false) return undefined;
      if (frame !== undefined && !sink.send(frame)) await drained(res);
      if (res.writableEnded || res.destroyed) return undefined;
      const next = await iterator.next();
      if (next.done) return undefined;
      item = next.value;
      idle.refresh();
    }
  } catch (err) {
    return classifyUpstreamError(err);
  } finally {
    clearTimeout(idle);
  }
}
