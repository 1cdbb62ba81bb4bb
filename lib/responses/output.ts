// Where model text sits in a Responses output item, and the whole-response filter (JSON).
// The stream filter (stream.ts) uses the same slots, so a final event and a JSON answer are
// filtered alike. Item types not listed here are dropped: what the filter does not
// understand is not relayed.

import type { FilterVerdict, OutputPolicy } from '../stream/output-policy.js';
import {
  withoutInstructions,
  type ResponseContentPart,
  type ResponseObject,
  type ResponseOutputItem,
} from './types.js';

/** One place an item holds model text: the object, its key, and the stream channel that fills it. */
export interface TextSlot {
  holder: Record<string, unknown>;
  key: string;
  /** `c3` content part 3, `s0` summary part 0, `a` arguments/input. */
  channel: string;
}

/** Output item types whose text the filter knows. */
const KNOWN_ITEMS = new Set(['message', 'reasoning', 'function_call', 'custom_tool_call']);

export const isKnownItem = (item: unknown): item is ResponseOutputItem =>
  typeof item === 'object' && item !== null && KNOWN_ITEMS.has((item as { type?: unknown }).type as string);

/** The key of a content part's text (`text` or `refusal`), undefined for a part the filter does not know. */
export function partKey(part: unknown): 'text' | 'refusal' | undefined {
  if (typeof part !== 'object' || part === null) return undefined;
  const type = (part as ResponseContentPart).type;
  if (type === 'output_text' || type === 'reasoning_text' || type === 'summary_text' || type === 'text') return 'text';
  if (type === 'refusal') return 'refusal';
  return undefined;
}

/**
 * A copy of an item with unknown content parts dropped, and the text slots of the copy.
 * Unknown items give undefined.
 */
export function itemSlots(item: unknown): { item: ResponseOutputItem; slots: TextSlot[] } | undefined {
  if (!isKnownItem(item)) return undefined;
  const copy: ResponseOutputItem = { ...item };
  const slots: TextSlot[] = [];
  const parts = (list: unknown, prefix: string): Array<Record<string, unknown>> | undefined => {
    if (!Array.isArray(list)) return undefined;
    const kept: Array<Record<string, unknown>> = [];
    list.forEach((p, j) => {
      const key = partKey(p);
      if (key === undefined) return;
      const part = { ...(p as Record<string, unknown>) };
      if (typeof part[key] === 'string') slots.push({ holder: part, key, channel: `${prefix}${j}` });
      kept.push(part);
    });
    return kept;
  };
  if (item.content !== undefined) copy.content = parts(item.content, 'c') as ResponseContentPart[] | undefined;
  if (item.summary !== undefined) copy.summary = parts(item.summary, 's') as ResponseOutputItem['summary'];
  const argsKey = item.type === 'function_call' ? 'arguments' : item.type === 'custom_tool_call' ? 'input' : undefined;
  if (argsKey !== undefined && typeof copy[argsKey] === 'string')
    slots.push({ holder: copy as Record<string, unknown>, key: argsKey, channel: 'a' });
  return { item: copy, slots };
}

/** A copy of a response's output, known items only, with their slots (by output index of the copy). */
export function outputSlots(response: ResponseObject): Array<{ item: ResponseOutputItem; slots: TextSlot[] }> {
  const out: Array<{ item: ResponseOutputItem; slots: TextSlot[] }> = [];
  for (const item of Array.isArray(response.output) ? response.output : []) {
    const s = itemSlots(item);
    if (s) out.push(s);
  }
  return out;
}

/** The response a block leaves: incomplete for `content_filter`, the refusal its only output. */
export function blockedResponse(response: Partial<ResponseObject>, refusal: string | undefined): ResponseObject {
  const output: ResponseOutputItem[] =
    refusal === undefined
      ? []
      : [
          {
            type: 'message',
            id: 'msg_content_filter',
            status: 'incomplete',
            role: 'assistant',
            content: [{ type: 'output_text', text: refusal, annotations: [] }],
          },
        ];
  return {
    ...withoutInstructions(response),
    id: typeof response.id === 'string' ? response.id : 'resp_content_filter',
    object: 'response',
    status: 'incomplete',
    incomplete_details: { reason: 'content_filter' },
    output,
    output_text: undefined,
  };
}

/** What filtering a whole response found: the filtered copy (unless blocked), and the findings. */
export interface ResponseVerdict {
  response: ResponseObject;
  texts: string[];
  findings: FilterVerdict['findings'];
  blocked: boolean;
}

/** Every text of a response through the policy at once. */
export function filterWholeResponse(policy: OutputPolicy, response: ResponseObject): ResponseVerdict {
  const items = outputSlots(response);
  const findings: FilterVerdict['findings'] = [];
  const texts: string[] = [];
  let blocked = false;
  for (const { slots } of items)
    for (const slot of slots) {
      const text = slot.holder[slot.key] as string;
      if (text.length === 0) continue;
      const verdict = policy.whole(text);
      findings.push(...verdict.findings);
      if (verdict.blocked) blocked = true;
      slot.holder[slot.key] = verdict.text;
      texts.push(verdict.text);
    }
  // The SDK's `output_text` convenience is derived from `output` on the client, never trusted from upstream.
  const filtered: ResponseObject = { ...withoutInstructions(response), output: items.map((i) => i.item) };
  if ('output_text' in filtered) filtered.output_text = undefined;
  return { response: filtered, texts, findings, blocked };
}
