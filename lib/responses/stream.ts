// Rewrites a Responses event stream so that every channel of model text goes through the
// output filter with exact hold-back (lib/stream/text-filter.ts): output text, refusals,
// reasoning summaries and text, function-call arguments. The `.done` events, the parts,
// the items and the final `response` carry the text the deltas carried, so nothing
// redacted reappears in them. Every event is re-serialized and renumbered
// (`sequence_number`), since events are dropped and added. Events the filter does not know
// are dropped; a block ends the stream with `response.incomplete` (`content_filter`).
//
// With moderation, a channel's text is held until the channel ends and is then moderated
// whole, before the event that ends it is handled: events wait for that, in order.

import { EventStreamFilterBase } from '../stream/event-filter.js';
import { SSE_DONE, sseFrame, type SseEvent } from '../stream/sse.js';
import { StreamTextFilter } from '../stream/text-filter.js';
import { blockedResponse, itemSlots, partKey, type TextSlot } from './output.js';
import { withoutInstructions, type ResponseObject, type ResponseStreamEvent } from './types.js';

/** One event as OpenAI sends it: its type as the SSE event name, then its JSON. */
export function eventFrame(event: ResponseStreamEvent): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/** Delta and done events of each text channel: the field that carries the text, and the slot's channel prefix. */
interface ChannelEvent {
  field: string;
  /** The index field naming the part (`content_index`, `summary_index`), or none for arguments. */
  index: string | undefined;
  prefix: 'c' | 's' | 'a';
  /** For a `.done` event: the type of the delta event that carries its released tail. */
  delta?: string;
}

const DELTAS: Record<string, ChannelEvent> = {
  'response.output_text.delta': { field: 'delta', index: 'content_index', prefix: 'c' },
  'response.refusal.delta': { field: 'delta', index: 'content_index', prefix: 'c' },
  'response.reasoning_text.delta': { field: 'delta', index: 'content_index', prefix: 'c' },
  'response.reasoning_summary_text.delta': { field: 'delta', index: 'summary_index', prefix: 's' },
  'response.function_call_arguments.delta': { field: 'delta', index: undefined, prefix: 'a' },
  'response.custom_tool_call_input.delta': { field: 'delta', index: undefined, prefix: 'a' },
};

const DONES: Record<string, ChannelEvent> = {
  'response.output_text.done': {
    field: 'text',
    index: 'content_index',
    prefix: 'c',
    delta: 'response.output_text.delta',
  },
  'response.refusal.done': { field: 'refusal', index: 'content_index', prefix: 'c', delta: 'response.refusal.delta' },
  'response.reasoning_text.done': {
    field: 'text',
    index: 'content_index',
    prefix: 'c',
    delta: 'response.reasoning_text.delta',
  },
  'response.reasoning_summary_text.done': {
    field: 'text',
    index: 'summary_index',
    prefix: 's',
    delta: 'response.reasoning_summary_text.delta',
  },
  'response.function_call_arguments.done': {
    field: 'arguments',
    index: undefined,
    prefix: 'a',
    delta: 'response.function_call_arguments.delta',
  },
  'response.custom_tool_call_input.done': {
    field: 'input',
    index: undefined,
    prefix: 'a',
    delta: 'response.custom_tool_call_input.delta',
  },
};

/** Events carrying a whole `response`, an `item`, or a `part` (content part or summary part). */
const RESPONSE_EVENTS = new Set([
  'response.created',
  'response.queued',
  'response.in_progress',
  'response.completed',
  'response.incomplete',
  'response.failed',
]);
const ITEM_EVENTS = new Set(['response.output_item.added', 'response.output_item.done']);
const PART_EVENTS: Record<string, ChannelEvent> = {
  'response.content_part.added': { field: 'part', index: 'content_index', prefix: 'c' },
  'response.content_part.done': { field: 'part', index: 'content_index', prefix: 'c' },
  'response.reasoning_summary_part.added': { field: 'part', index: 'summary_index', prefix: 's' },
  'response.reasoning_summary_part.done': { field: 'part', index: 'summary_index', prefix: 's' },
};

interface Channel {
  filter: StreamTextFilter;
  released: string;
  open: boolean;
  /** Released text not sent yet (held for moderation). */
  held: string;
  /** The text filter has been ended (by moderation, before the channel is closed). */
  ended: boolean;
  /** The delta event last seen on it: the shape a released tail is sent in. */
  template: ResponseStreamEvent | undefined;
}

/** The filter of one Responses event stream. Feed it the handler's writes; it writes to the sink. */
export class ResponsesStreamFilter extends EventStreamFilterBase {
  private readonly channels = new Map<string, Channel>();
  private sequence = 0;
  private base: Partial<ResponseObject> = {};

  protected moderationFailed(): void {
    this.sink.findings([{ detector: 'moderation', type: 'moderation_unavailable', action: 'block' }]);
    this.block();
  }

  /** The handler ended the response: whatever is held goes out as delta events. */
  protected flushAll(): void | Promise<void> {
    const open = [...this.channels.values()].filter((c) => c.open);
    const finishAll = () => void open.forEach((c) => this.finish(c));
    const moderated = this.moderated(open);
    return moderated ? moderated.then(finishAll) : finishAll();
  }

  /**
   * The open channels an event closes: its own (a `.done` event), or those of the part, item
   * or response it carries. A text that arrives whole, in such an event, gets a channel of
   * its own here, so that every text goes through the same filter (and moderation).
   */
  private closedBy(e: ResponseStreamEvent): Channel[] {
    const texts: Array<[string, unknown]> = [];
    const done = DONES[e.type];
    const part = PART_EVENTS[e.type];
    if (done) texts.push([this.key(e, done), e[done.field]]);
    else if (part) {
      const key = partKey(e.part);
      if (key !== undefined) texts.push([this.key(e, part), (e.part as Record<string, unknown>)[key]]);
    } else if (ITEM_EVENTS.has(e.type)) {
      for (const slot of itemSlots(e.item)?.slots ?? [])
        texts.push([`${String(e.output_index)}:${slot.channel}`, slot.holder[slot.key]]);
    } else if (RESPONSE_EVENTS.has(e.type)) {
      const output = (e.response as ResponseObject | undefined)?.output;
      (Array.isArray(output) ? output : []).forEach((item, at) => {
        for (const slot of itemSlots(item)?.slots ?? []) texts.push([`${at}:${slot.channel}`, slot.holder[slot.key]]);
      });
    }
    const out: Channel[] = [];
    for (const [key, text] of texts) {
      let ch = this.channels.get(key);
      if (ch === undefined) {
        if (typeof text !== 'string' || text.length === 0) continue;
        ch = this.channel(key);
        const released = ch.filter.push(text);
        if (!this.feed(ch, released)) return [];
        ch.held += released;
      }
      if (ch.open && !ch.ended) out.push(ch);
    }
    return out;
  }

  /**
   * With moderation, the channels about to close are ended and their whole text moderated
   * first; undefined when there is nothing to wait for.
   */
  private moderated(channels: Channel[]): Promise<void> | undefined {
    const moderate = this.moderate;
    if (!moderate || channels.length === 0) return undefined;
    return Promise.all(
      channels.map(async (ch) => {
        ch.ended = true;
        const out = ch.filter.end();
        if (!this.feed(ch, out)) return;
        ch.held += out;
        if (ch.held.trim() === '') return;
        const verdict = await moderate(ch.held);
        if (!verdict.flagged) return;
        this.sink.findings(verdict.categories.map((type) => ({ detector: 'moderation', type, action: 'block' })));
        this.block();
      }),
    ).then(() => undefined);
  }

  protected handle(event: SseEvent): void | Promise<void> {
    if (this.done) return;
    const data = event.data;
    if (data === undefined) return this.sink.write(event.raw);
    if (data === '[DONE]') return this.sink.write(SSE_DONE);
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      // Not JSON: it cannot be checked, so it is not sent.
      return;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return;
    const e = parsed as ResponseStreamEvent;
    if (e.type === 'error' || (e.type === undefined && 'error' in e)) return this.error(e);
    if (typeof e.type !== 'string') return;
    const closing = this.closedBy(e);
    if (this.done) return;
    const moderated = this.moderated(closing);
    if (!moderated) return this.route(e);
    return moderated.then(() => {
      if (!this.done) this.route(e);
    });
  }

  private route(e: ResponseStreamEvent): void {
    const type = e.type;
    if (DELTAS[type]) return this.delta(e, DELTAS[type]);
    if (DONES[type]) return this.textDone(e, DONES[type]);
    if (PART_EVENTS[type]) return this.part(e, PART_EVENTS[type]);
    if (ITEM_EVENTS.has(type)) return this.item(e);
    if (RESPONSE_EVENTS.has(type)) return this.response(e);
    // Anything else (annotations, hosted tools' progress, audio, future events) is not relayed.
  }

  private key(e: ResponseStreamEvent, c: ChannelEvent): string {
    const at = c.index === undefined ? '' : String(e[c.index]);
    return `${String(e.output_index)}:${c.prefix}${at}`;
  }

  private channel(key: string): Channel {
    let ch = this.channels.get(key);
    if (!ch) {
      ch = {
        filter: new StreamTextFilter(this.policy),
        released: '',
        open: true,
        held: '',
        ended: false,
        template: undefined,
      };
      this.channels.set(key, ch);
    }
    return ch;
  }

  /** Text through a channel; false when that blocked the output. */
  private feed(ch: Channel, out: string): boolean {
    this.sink.findings(ch.filter.takeFindings());
    if (ch.filter.blocked) {
      this.block();
      return false;
    }
    ch.released += out;
    return true;
  }

  private delta(e: ResponseStreamEvent, c: ChannelEvent): void {
    const ch = this.channel(this.key(e, c));
    if (!ch.open) return;
    ch.template = e;
    const text = typeof e.delta === 'string' ? e.delta : '';
    const out = ch.filter.push(text);
    if (!this.feed(ch, out) || out === '') return;
    // Held whole for moderation when the channel ends.
    if (this.moderate) ch.held += out;
    else this.emit({ ...e, delta: out });
  }

  /** Ends a channel: its held tail goes out as one more delta. */
  private finish(ch: Channel, doneEvent?: ResponseStreamEvent, c?: ChannelEvent): boolean {
    if (!ch.open) return true;
    ch.open = false;
    let out = '';
    if (!ch.ended) {
      ch.ended = true;
      out = ch.filter.end();
      if (!this.feed(ch, out)) return false;
    }
    out = ch.held + out;
    ch.held = '';
    if (out === '') return true;
    const template = ch.template ?? (doneEvent && c?.delta ? this.tailTemplate(doneEvent, c) : undefined);
    // A channel that only ever got a final text, from a container: its text goes there, not in a delta.
    if (template !== undefined) this.emit({ ...template, delta: out });
    return true;
  }

  private tailTemplate(e: ResponseStreamEvent, c: ChannelEvent): ResponseStreamEvent {
    const { [c.field]: _text, logprobs: _logprobs, ...rest } = e;
    return { ...rest, type: c.delta!, delta: '' };
  }

  private textDone(e: ResponseStreamEvent, c: ChannelEvent): void {
    // A text that came whole, in this event, was given its channel by `closedBy`.
    const ch = this.channel(this.key(e, c));
    if (!this.finish(ch, e, c)) return;
    this.emit({ ...e, [c.field]: ch.released });
  }

  /**
   * A slot's text as the client has it: a channel's released text (finishing the channel
   * first), or the slot's own text filtered whole. False when the output is now blocked.
   */
  private settleSlot(outputIndex: unknown, slot: TextSlot): boolean {
    const key = `${String(outputIndex)}:${slot.channel}`;
    const ch = this.channels.get(key);
    if (ch !== undefined) {
      if (!this.finish(ch)) return false;
      slot.holder[slot.key] = ch.released;
      return true;
    }
    const text = slot.holder[slot.key] as string;
    if (text.length === 0) return true;
    const verdict = this.policy.whole(text);
    this.sink.findings(verdict.findings);
    if (verdict.blocked) {
      this.block();
      return false;
    }
    slot.holder[slot.key] = verdict.text;
    return true;
  }

  private part(e: ResponseStreamEvent, c: ChannelEvent): void {
    const key = partKey(e.part);
    if (key === undefined) return;
    const part = { ...(e.part as Record<string, unknown>) };
    if (typeof part[key] === 'string') {
      const slot: TextSlot = { holder: part, key, channel: `${c.prefix}${String(e[c.index!])}` };
      if (!this.settleSlot(e.output_index, slot)) return;
    }
    this.emit({ ...e, part });
  }

  private item(e: ResponseStreamEvent): void {
    const known = itemSlots(e.item);
    if (known === undefined) return;
    for (const slot of known.slots) if (!this.settleSlot(e.output_index, slot)) return;
    this.emit({ ...e, item: known.item });
  }

  private response(e: ResponseStreamEvent): void {
    const response = e.response as ResponseObject | undefined;
    if (typeof response !== 'object' || response === null) return;
    const { output: _output, usage: _usage, ...rest } = response;
    this.base = rest;
    const output: ResponseObject['output'] = [];
    const items = Array.isArray(response.output) ? response.output : [];
    for (let at = 0; at < items.length; at++) {
      const known = itemSlots(items[at]);
      if (known === undefined) continue;
      for (const slot of known.slots) if (!this.settleSlot(at, slot)) return;
      output.push(known.item);
    }
    const filtered: ResponseObject = { ...withoutInstructions(response), output };
    if ('output_text' in filtered) filtered.output_text = undefined;
    this.emit({ ...e, response: filtered });
  }

  /** An error event: its message filtered, or replaced when it would be blocked. */
  private error(e: ResponseStreamEvent): void {
    const wrapped = typeof e.error === 'object' && e.error !== null;
    const inner = (wrapped ? e.error : e) as Record<string, unknown>;
    const raw = typeof inner.message === 'string' ? inner.message : 'The response failed.';
    const verdict = this.policy.whole(raw);
    const message = verdict.blocked ? 'The response failed.' : verdict.text;
    const pick = (k: string) => (typeof inner[k] === 'string' ? inner[k] : null);
    const error = {
      message,
      type: (wrapped && pick('type')) || 'server_error',
      code: pick('code'),
      param: pick('param'),
    };
    this.sink.write(sseFrame(JSON.stringify({ error })));
  }

  private emit(e: ResponseStreamEvent): void {
    if (this.done) return;
    this.sink.write(eventFrame({ ...e, sequence_number: this.sequence++ }));
  }

  private block(): void {
    if (this.done) return;
    this.emit({ type: 'response.incomplete', response: blockedResponse(this.base, undefined) });
    this.done = true;
    this.sink.blocked();
  }
}
