// What every event-stream filter shares (Chat Completions chunks, Responses events): the
// handler's writes parsed into SSE events, each handled in arrival order behind any pending
// moderation, then a last step when the handler ends the response.

import type { Moderator } from '../core/moderation.js';
import type { FilterVerdict, OutputPolicy } from './output-policy.js';
import { OrderedSteps } from './ordered-steps.js';
import { SseParser, type SseEvent } from './sse.js';

/** Where a filter writes: the response's own write, the findings, and the end after a block. */
export interface ChatStreamSink {
  write(text: string): void;
  /** Findings decided (for the audit record). */
  findings(found: FilterVerdict['findings']): void;
  /** The output was blocked: the closing frames have been written; end the response. */
  blocked(): void;
}

export abstract class EventStreamFilterBase {
  private readonly parser = new SseParser();
  /** Set once the stream is over (ended or blocked): later writes are dropped. */
  protected done = false;
  /** Events in order; moderation that fails blocks the stream. */
  private readonly steps = new OrderedSteps(() => this.moderationFailed());

  constructor(
    protected readonly policy: OutputPolicy,
    protected readonly sink: ChatStreamSink,
    protected readonly moderate?: Moderator,
  ) {}

  get finished(): boolean {
    return this.done;
  }

  push(text: string): void {
    if (this.done) return;
    for (const event of this.parser.push(text)) this.steps.run(() => this.handle(event));
  }

  /** The handler ended the response: what is held goes out. Resolves when all is written. */
  close(): Promise<void> | undefined {
    for (const event of this.parser.flush()) this.steps.run(() => this.handle(event));
    this.steps.run(() => this.flushAll());
    return this.steps.pending;
  }

  /** One parsed event. */
  protected abstract handle(event: SseEvent): void | Promise<void>;
  /** The last step: whatever is still held is sent (or moderated first). */
  protected abstract flushAll(): void | Promise<void>;
  /** Moderation rejected (unavailable): the stream is blocked. */
  protected abstract moderationFailed(): void;
}
