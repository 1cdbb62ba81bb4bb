// Rewrites a `chat.completion.chunk` event stream so that every field that carries model
// text goes through the output filter (stream-choice.ts, by the table of channels.ts).
// Frames that pass unchanged are written as they came (no re-serialization); the role
// chunk, the usage chunk, finish chunks, comments and `[DONE]` pass through; text that is
// held back goes out in later frames of the same shape, before the finish chunk. An event
// that is not a chunk is not relayed: an error envelope goes out after everything held
// (the SDK stops reading at it), anything else ends the stream with `content_filter`.

import { EventStreamFilterBase } from './event-filter.js';
import type { ChatCompletionChunk } from '../core/openai-types.js';
import { filterText, MESSAGE_FIELDS, stripUnknown } from './channels.js';
import type { FilterVerdict } from './output-policy.js';
import { SSE_DONE, sseFrame, type SseEvent } from './sse.js';
import { StreamChoice, type DeltaOut } from './stream-choice.js';

/** Where a filtered stream goes, and what it reports. */
export type { ChatStreamSink } from './event-filter.js';

type Choice = ChatCompletionChunk['choices'][number];

/** The filter of one event stream. Feed it the handler's writes; it writes to the sink. */
export class ChatStreamFilter extends EventStreamFilterBase {
  private readonly choices = new Map<number, StreamChoice>();
  private last = { id: 'chatcmpl-filtered', created: Math.floor(Date.now() / 1000), model: '' };

  protected moderationFailed(): void {
    this.block(0, [{ detector: 'moderation', type: 'moderation_unavailable', action: 'block' }]);
  }

  private state(index: number): StreamChoice {
    let s = this.choices.get(index);
    if (!s) {
      s = new StreamChoice(this.policy, this.moderate);
      this.choices.set(index, s);
    }
    return s;
  }

  protected handle(event: SseEvent): void | Promise<void> {
    if (this.done) return;
    const data = event.data;
    if (data === undefined) return this.sink.write(event.raw);
    if (data === '[DONE]') return this.after(this.flushAll(), () => this.sink.write(SSE_DONE));
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(data) as Record<string, unknown>;
    } catch {
      // Not JSON: it cannot be checked, so it is not sent.
      return;
    }
    if (parsed?.object === undefined && typeof parsed?.error === 'object' && parsed.error !== null)
      return this.after(this.flushAll(), () => this.error(parsed.error as Record<string, unknown>));
    if (parsed?.object !== 'chat.completion.chunk' || !Array.isArray(parsed.choices))
      return this.block(0, [{ detector: 'channel', type: 'unknown_event', action: 'block' }]);
    const { value, stripped } = stripUnknown(parsed, 'envelope');
    const chunk = value as unknown as ChatCompletionChunk;
    if (stripped) this.sink.findings([{ detector: 'channel', type: 'unknown_field', action: 'redact' }]);
    this.last = { id: chunk.id, created: chunk.created, model: chunk.model };
    const outs = chunk.choices.map((c) => this.filterChoice(c));
    const frame = { event, chunk, changed: stripped };
    if (outs.some((o) => o instanceof Promise)) return Promise.all(outs).then((resolved) => this.emit(frame, resolved));
    this.emit(frame, outs as Array<DeltaOut | undefined>);
  }

  /** Runs `then` after `first`, which may be asynchronous (moderation). */
  private after(first: void | Promise<void>, then: () => void): void | Promise<void> {
    const go = () => {
      if (!this.done) then();
    };
    return first instanceof Promise ? first.then(go) : go();
  }

  /**
   * An in-band error, after everything held was sent: its message filtered like output, its
   * other fields only when they are short identifiers. Nothing is sent after it.
   */
  private error(error: Record<string, unknown>): void {
    const safe: Record<string, unknown> = {};
    const message = typeof error.message === 'string' ? filterText(this.policy, error.message) : undefined;
    safe.message = message && !message.blocked ? message.value : 'The upstream stream failed.';
    for (const key of ['type', 'code', 'param'])
      safe[key] = typeof error[key] === 'string' && /^[\w.[\]-]{1,64}$/.test(error[key]) ? error[key] : null;
    this.sink.write(sseFrame(JSON.stringify({ error: safe })));
    this.done = true;
  }

  /** One choice of a chunk through its state: `undefined` when it has nothing to filter. */
  private filterChoice(choice: Choice): DeltaOut | undefined | Promise<DeltaOut> {
    const delta = choice?.delta as Record<string, unknown> | undefined;
    const finishing = Boolean(choice?.finish_reason);
    if (typeof choice?.index !== 'number')
      return { blocked: true, findings: [{ detector: 'channel', type: 'choice_index', action: 'block' }] };
    if (delta == null && !finishing) return undefined;
    if (delta != null && (typeof delta !== 'object' || Array.isArray(delta)))
      return { blocked: true, findings: [{ detector: 'channel', type: 'delta_type', action: 'block' }] };
    return this.state(choice.index).push(delta ?? {}, finishing);
  }

  private emit(
    frame: { event: SseEvent; chunk: ChatCompletionChunk; changed: boolean },
    outs: Array<DeltaOut | undefined>,
  ): void {
    if (this.done) return;
    const { event, chunk } = frame;
    let changed = frame.changed;
    for (const out of outs) if (out) this.sink.findings(out.findings);
    const blockedAt = outs.findIndex((o) => o?.blocked === true);
    if (blockedAt >= 0) return this.block(chunk.choices[blockedAt]!.index);
    const { usage, choices: _choices, ...head } = chunk;
    const choices: Choice[] = [];
    chunk.choices.forEach((original, i) => {
      const out = outs[i] as (DeltaOut & { blocked: false }) | undefined;
      const { value, stripped } = stripUnknown(original as unknown as Record<string, unknown>, 'choice');
      const choice = value as unknown as Choice;
      if (stripped) this.sink.findings([{ detector: 'channel', type: 'unknown_field', action: 'redact' }]);
      changed ||= stripped;
      // Text released at the finish, for channels the finish chunk lacks, goes out just before it.
      if (out?.tail) {
        changed = true;
        this.writeTail(head, choice.index, out.tail);
      }
      if (!out || out.delta === choice.delta) return void choices.push(choice);
      changed = true;
      // A delta whose text is all held back (and that has nothing else) is dropped, not sent empty.
      const empty = Object.entries(out.delta).every(
        ([k, v]) => MESSAGE_FIELDS[k] === 'text' && (v === '' || v == null),
      );
      if (empty && !choice.finish_reason && choice.logprobs == null) return;
      choices.push({ ...choice, delta: out.delta as Choice['delta'] });
    });
    if (!changed) return this.sink.write(event.raw);
    if (chunk.choices.length > 0 && choices.length === 0 && usage == null) return;
    this.sink.write(sseFrame(JSON.stringify(usage === undefined ? { ...head, choices } : { ...head, choices, usage })));
  }

  /** Held text and calls released at a choice's end: one frame per field, as providers send them. */
  private writeTail(head: object, index: number, tail: Record<string, unknown>): void {
    for (const [key, value] of Object.entries(tail))
      this.sink.write(
        sseFrame(JSON.stringify({ ...head, choices: [{ index, delta: { [key]: value }, finish_reason: null }] })),
      );
  }

  /** End of stream: whatever is still held goes out, as frames of each choice. */
  protected flushAll(): void | Promise<void> {
    if (this.done) return;
    const pending: Array<Promise<void>> = [];
    for (const [index, s] of this.choices) {
      const out = s.push({}, true);
      const send = (o: DeltaOut) => {
        if (this.done) return;
        this.sink.findings(o.findings);
        if (o.blocked) return this.block(index);
        if (o.tail) this.writeTail(this.base(), index, o.tail);
      };
      if (out instanceof Promise) pending.push(out.then(send));
      else send(out);
    }
    this.choices.clear();
    if (pending.length > 0) return Promise.all(pending).then(() => undefined);
  }

  private base() {
    return { id: this.last.id, object: 'chat.completion.chunk', created: this.last.created, model: this.last.model };
  }

  private block(index: number, findings?: FilterVerdict['findings']): void {
    if (this.done) return;
    this.done = true;
    if (findings) this.sink.findings(findings);
    this.sink.write(
      sseFrame(JSON.stringify({ ...this.base(), choices: [{ index, delta: {}, finish_reason: 'content_filter' }] })),
    );
    this.sink.write(SSE_DONE);
    this.sink.blocked();
  }
}
