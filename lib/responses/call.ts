// callLLM's Responses half: the body sent to `client.responses.create`, and the relay of its
// streamed events. Retries, timeouts, fallbacks and aborts are callLLM's own, shared with
// Chat Completions; only the wire format differs.

import type { Response } from 'express';
import { relayUpstream, type FrameWriter } from '../core/relay.js';
import type { ShieldState } from '../core/state.js';
import type { StreamAnswer } from '../core/upstream-call.js';
import type { UpstreamFailure } from '../core/upstream-errors.js';
import { eventFrame } from './stream.js';
import {
  usageOf,
  withoutInstructions,
  type ResponseObject,
  type ResponsesRequest,
  type ResponseStreamEvent,
} from './types.js';

/** What the server adds to a client's Responses body. */
export interface ResponsesCallPlan {
  model: string;
  /** The server's system prompt (with its canary), sent as `instructions`. */
  instructions: string | undefined;
  maxTokens: number;
}

/**
 * What goes upstream: the client's fields, our model, our `instructions`, the output capped.
 * A client's own `instructions` (accepted only when validatePrompt allows a system role)
 * become the first input message when the server has its own, which stays in charge.
 */
export function responsesUpstreamBody(incoming: ResponsesRequest, plan: ResponsesCallPlan): ResponsesRequest {
  const body: ResponsesRequest = { ...incoming, model: plan.model };
  const own = typeof incoming.instructions === 'string' ? incoming.instructions : undefined;
  if (plan.instructions !== undefined) {
    body.instructions = plan.instructions;
    if (own !== undefined) {
      const first = { role: 'developer', content: own };
      body.input =
        typeof incoming.input === 'string'
          ? [first, { role: 'user', content: incoming.input }]
          : [first, ...incoming.input];
    }
  }
  const asked = incoming.max_output_tokens;
  body.max_output_tokens = typeof asked === 'number' ? Math.min(asked, plan.maxTokens) : plan.maxTokens;
  // Without validatePrompt a truthy non-boolean would make the SDK stream while we expect JSON.
  if (incoming.stream !== undefined && incoming.stream !== true) body.stream = false;
  return body;
}

/** The text of a response's output (message text and refusals), for an estimate of its cost. */
export function responseText(response: ResponseObject): string {
  let text = '';
  for (const item of Array.isArray(response.output) ? response.output : [])
    if (Array.isArray(item?.content))
      for (const part of item.content)
        if (typeof part?.text === 'string') text += part.text;
        else if (typeof part?.refusal === 'string') text += part.refusal;
  return text;
}

/** The event types that end a response; `response.failed` ends it as a provider failure. */
const FINAL = new Set(['response.completed', 'response.incomplete', 'response.failed']);

/** What a relayed stream came to, as callLLM's chat relay reports it. */
export interface RelayedEvents {
  text: string;
  finished: boolean;
  failure: UpstreamFailure | undefined;
}

/** Writes events until the provider's stream ends, fails, goes idle, or the response ends. */
export async function relayEvents(
  answer: StreamAnswer,
  out: { sink: FrameWriter; res: Response; state: ShieldState; idleMs: number },
): Promise<RelayedEvents> {
  const { state } = out;
  const relayed: RelayedEvents = { text: '', finished: false, failure: undefined };
  const failure = await relayUpstream<ResponseStreamEvent>(answer, out, (item) => {
    let event = item;
    if (event.type === 'response.output_text.delta' && typeof event.delta === 'string') relayed.text += event.delta;
    // The provider echoes the server's instructions (system prompt, canary) in each response object.
    if (typeof event.response === 'object' && event.response !== null)
      event = { ...event, response: withoutInstructions(event.response) };
    if (FINAL.has(event.type)) {
      relayed.finished = true;
      const usage = usageOf((event.response as ResponseObject | undefined)?.usage);
      if (usage) state.usage = usage;
    }
    // A provider's error event carries its own text: never relayed, reported as ours.
    if (event.type === 'error' || event.type === 'response.failed') {
      relayed.failure = { kind: 'server' };
      return false;
    }
    return eventFrame(event);
  });
  relayed.failure ??= failure;
  return relayed;
}
