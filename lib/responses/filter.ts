// The output filter's Responses half: a whole `response` object (JSON), and the choice of
// stream filter for an event stream, made on its first event (Chat Completions chunks and
// Responses events differ in shape), so that filterOutput protects either kind of handler.

import { recordOutput } from '../stream/record-output.js';
import type { Moderator } from '../core/moderation.js';
import type { ShieldState } from '../core/state.js';
import { ChatStreamFilter, type ChatStreamSink } from '../stream/chat-stream.js';
import type { OutputPolicy } from '../stream/output-policy.js';
import { SseParser } from '../stream/sse.js';
import { blockedResponse, filterWholeResponse } from './output.js';
import { ResponsesStreamFilter } from './stream.js';
import type { ResponseObject } from './types.js';

/** What the whole-response filter needs of the output filter's configuration. */
export interface ResponseFilterParts {
  policy: OutputPolicy;
  moderate: Moderator | undefined;
  refusal: string;
}

/**
 * A JSON `response` with every text filtered; blocked (by the policy or moderation), it is
 * `incomplete` for `content_filter` with the refusal as its only output.
 */
export function filterResponseObject(
  parts: ResponseFilterParts,
  state: ShieldState,
  body: ResponseObject,
): ResponseObject | Promise<ResponseObject> {
  const verdict = filterWholeResponse(parts.policy, body);
  recordOutput(state, verdict.findings, parts.policy.monitor);
  const blocked = (): ResponseObject => {
    state.outputBlocked = true;
    return blockedResponse(body, parts.refusal);
  };
  if (verdict.blocked) return blocked();
  const moderate = parts.moderate;
  if (!moderate || verdict.texts.length === 0) return verdict.response;
  return moderate(verdict.texts.join('\n\n')).then((m) => {
    if (!m.flagged) return verdict.response;
    recordOutput(
      state,
      m.categories.map((type) => ({ detector: 'moderation', type, action: 'block' })),
    );
    return blocked();
  });
}

/** The stream filter interface both kinds share. */
interface StreamFilter {
  readonly finished: boolean;
  push(text: string): void;
  close(): Promise<void> | undefined;
}

/**
 * An event stream's filter, chosen on its first data event: Responses events (a `type` of
 * `response.*` or `error`) or Chat Completions chunks. What comes before is held.
 */
export class EventStreamFilter implements StreamFilter {
  private chosen: StreamFilter | undefined;
  private held = '';
  private readonly probe = new SseParser();

  constructor(
    private readonly policy: OutputPolicy,
    private readonly sink: ChatStreamSink,
    private readonly moderate: Moderator | undefined,
  ) {}

  get finished(): boolean {
    return this.chosen?.finished ?? false;
  }

  push(text: string): void {
    if (this.chosen) return this.chosen.push(text);
    this.held += text;
    for (const event of this.probe.push(text)) {
      if (event.data === undefined) continue;
      this.choose(isResponsesEvent(event.data));
      return;
    }
  }

  close(): Promise<void> | undefined {
    if (!this.chosen) this.choose(false);
    return this.chosen!.close();
  }

  private choose(responses: boolean): void {
    this.chosen = responses
      ? new ResponsesStreamFilter(this.policy, this.sink, this.moderate)
      : new ChatStreamFilter(this.policy, this.sink, this.moderate);
    const held = this.held;
    this.held = '';
    this.chosen.push(held);
  }
}

function isResponsesEvent(data: string): boolean {
  try {
    const type = (JSON.parse(data) as { type?: unknown } | null)?.type;
    return typeof type === 'string' && (type.startsWith('response.') || type === 'error');
  } catch {
    return false;
  }
}
