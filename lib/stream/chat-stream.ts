// Rewrites a `chat.completion.chunk` event stream so that every choice's content goes
// through the output filter. Frames whose content passes unchanged are written as they came
// (no re-serialization); the role chunk, the usage chunk, finish chunks, comments and
// `[DONE]` pass through; text that is held back goes out in later frames of the same shape.

import type { ChatCompletionChunk } from '../core/openai-types.js';
import type { ModerationVerdict, Moderator } from '../core/moderation.js';
import type { FilterVerdict, OutputPolicy } from './output-policy.js';
import { SSE_DONE, SseParser, sseFrame, type SseEvent } from './sse.js';
import { StreamTextFilter } from './text-filter.js';

/** Where a filtered stream goes, and what it reports. */
export interface ChatStreamSink {
  write(text: string): void;
  /** Findings decided (for the audit record). */
  findings(found: FilterVerdict['findings']): void;
  /** The output was blocked: the closing frames have been written; end the response. */
  blocked(): void;
}

/** Longest text held for moderation without a sentence end. */
const MAX_SENTENCE = 1000;
const SENTENCE_END = /[.!?\u3002\uff01\uff1f]["'\u201d)\]]*\s+|\n+/g;

/** Holds released text until a sentence is complete, then has it moderated. */
class SentenceGate {
  private pending = '';
  constructor(private readonly moderate: Moderator) {}

  /** The text that passed moderation, or the failing verdict. */
  async push(text: string, final: boolean): Promise<string | ModerationVerdict> {
    this.pending += text;
    let cut = 0;
    if (final || this.pending.length > MAX_SENTENCE) cut = this.pending.length;
    else for (const m of this.pending.matchAll(SENTENCE_END)) cut = m.index + m[0].length;
    if (cut === 0) return '';
    const piece = this.pending.slice(0, cut);
    this.pending = this.pending.slice(cut);
    if (piece.trim() === '') return piece;
    const verdict = await this.moderate(piece);
    return verdict.flagged ? verdict : piece;
  }
}

interface ChoiceState {
  filter: StreamTextFilter;
  gate: SentenceGate | undefined;
}

type Choice = ChatCompletionChunk['choices'][number];

/** The filter of one event stream. Feed it the handler's writes; it writes to the sink. */
export class ChatStreamFilter {
  private readonly parser = new SseParser();
  private readonly choices = new Map<number, ChoiceState>();
  private last = { id: 'chatcmpl-filtered', created: Math.floor(Date.now() / 1000), model: '' };
  private done = false;
  /** Pending asynchronous work (moderation): later events wait for it, in order. */
  private chain: Promise<void> | undefined;

  constructor(
    private readonly policy: OutputPolicy,
    private readonly sink: ChatStreamSink,
    private readonly moderate?: Moderator,
  ) {}

  get finished(): boolean {
    return this.done;
  }

  push(text: string): void {
    if (this.done) return;
    for (const event of this.parser.push(text)) this.enqueue(() => this.handle(event));
  }

  /** The handler ended the response: flush what is held. Resolves when all is written. */
  close(): Promise<void> | undefined {
    for (const event of this.parser.flush()) this.enqueue(() => this.handle(event));
    this.enqueue(() => this.flushAll());
    return this.chain;
  }

  private enqueue(step: () => void | Promise<void>): void {
    if (this.chain === undefined) {
      const r = step();
      if (r instanceof Promise) this.track(r);
    } else this.track(this.chain.then(step));
  }

  private track(p: Promise<void>): void {
    const tracked: Promise<void> = p.then(
      () => {
        if (this.chain === tracked) this.chain = undefined;
      },
      () => {
        if (this.chain === tracked) this.chain = undefined;
        this.block(0, [{ detector: 'moderation', type: 'moderation_unavailable', action: 'block' }]);
      },
    );
    this.chain = tracked;
  }

  private state(index: number): ChoiceState {
    let s = this.choices.get(index);
    if (!s) {
      s = {
        filter: new StreamTextFilter(this.policy),
        gate: this.moderate ? new SentenceGate(this.moderate) : undefined,
      };
      this.choices.set(index, s);
    }
    return s;
  }

  private handle(event: SseEvent): void | Promise<void> {
    if (this.done) return;
    const data = event.data;
    if (data === undefined) return this.sink.write(event.raw);
    if (data === '[DONE]') {
      const flushed = this.flushAll();
      const done = () => {
        if (!this.done) this.sink.write(SSE_DONE);
      };
      return flushed instanceof Promise ? flushed.then(done) : done();
    }
    let chunk: ChatCompletionChunk;
    try {
      chunk = JSON.parse(data) as ChatCompletionChunk;
    } catch {
      // Not JSON: it cannot be checked, so it is not sent.
      return;
    }
    if (chunk?.object !== 'chat.completion.chunk' || !Array.isArray(chunk.choices)) return this.sink.write(event.raw);
    this.last = { id: chunk.id, created: chunk.created, model: chunk.model };
    const outs = chunk.choices.map((c) => this.filterChoice(c));
    if (outs.some((o) => o instanceof Promise))
      return Promise.all(outs).then((resolved) => this.emit(event, chunk, resolved));
    this.emit(event, chunk, outs as Array<string | undefined | false>);
  }

  /**
   * The content to send for one choice of a chunk: `undefined` when it has no content,
   * `false` when the output is now blocked.
   */
  private filterChoice(choice: Choice): string | undefined | false | Promise<string | undefined | false> {
    const content = choice?.delta?.content;
    const finishing = Boolean(choice?.finish_reason);
    if (typeof content !== 'string' && !finishing) return undefined;
    const s = this.state(choice.index);
    let out = typeof content === 'string' ? s.filter.push(content) : '';
    if (finishing) out += s.filter.end();
    this.sink.findings(s.filter.takeFindings());
    if (s.filter.blocked) return false;
    if (!s.gate) return typeof content === 'string' || out !== '' ? out : undefined;
    return s.gate.push(out, finishing).then((passed) => {
      if (typeof passed === 'string') return typeof content === 'string' || passed !== '' ? passed : undefined;
      this.sink.findings(passed.categories.map((type) => ({ detector: 'moderation', type, action: 'block' })));
      return false;
    });
  }

  private emit(event: SseEvent, chunk: ChatCompletionChunk, outs: Array<string | undefined | false>): void {
    if (this.done) return;
    const blockedAt = outs.indexOf(false);
    if (blockedAt >= 0) return this.block(chunk.choices[blockedAt]!.index);
    let changed = false;
    const choices: Choice[] = [];
    chunk.choices.forEach((choice, i) => {
      const out = outs[i] as string | undefined;
      const original = choice.delta?.content;
      if (out === undefined || out === original) return void choices.push(choice);
      changed = true;
      const onlyContent =
        !choice.finish_reason && Object.keys(choice.delta).every((k) => k === 'content') && choice.logprobs == null;
      // A content-only delta that is all held back is dropped rather than sent empty.
      if (out === '' && onlyContent) return;
      if (choice.finish_reason && out !== '' && typeof original !== 'string') {
        // Text released at the finish goes out just before the finish chunk.
        this.sink.write(
          sseFrame(
            JSON.stringify({
              ...chunk,
              choices: [{ index: choice.index, delta: { content: out }, finish_reason: null }],
            }),
          ),
        );
        return void choices.push(choice);
      }
      choices.push({ ...choice, delta: { ...choice.delta, content: out } });
    });
    if (!changed) return this.sink.write(event.raw);
    if (chunk.choices.length > 0 && choices.length === 0) return;
    this.sink.write(sseFrame(JSON.stringify({ ...chunk, choices })));
  }

  /** End of stream: whatever is still held goes out, as content frames. */
  private flushAll(): void | Promise<void> {
    if (this.done) return;
    const pending: Array<Promise<void>> = [];
    for (const [index, s] of this.choices) {
      const out = this.filterChoice({ index, delta: {}, finish_reason: 'stop' });
      const send = (o: string | undefined | false) => {
        if (this.done) return;
        if (o === false) return this.block(index);
        if (o)
          this.sink.write(
            sseFrame(
              JSON.stringify({ ...this.base(), choices: [{ index, delta: { content: o }, finish_reason: null }] }),
            ),
          );
      };
      if (out instanceof Promise) pending.push(out.then(send));
      else send(out);
      void s;
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
