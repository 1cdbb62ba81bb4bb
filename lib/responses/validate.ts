// validatePrompt's Responses half: the body is screened through its chat view (one message
// per input item, see types.ts), by the same checks as Chat Completions; these functions
// map the outcome back onto the Responses body.

import { ShieldError } from '../core/errors.js';
import type { ChatMessage } from '../core/openai-types.js';
import { inputFromMessages, responsesParam, type ResponsesRequest } from './types.js';

/** A refusal about the chat view, renamed for the Responses body (its `param`). */
export function renameRefusal(err: ShieldError, body: ResponsesRequest): ShieldError {
  const param = responsesParam(body, err.param);
  if (param === err.param) return err;
  return new ShieldError(err.status, err.code, err.message.replace(/\bmessages\b/g, 'input items'), {
    param,
    headers: err.headers,
  });
}

/** The sanitized chat view written back into the body: `input` and the client's `instructions`. */
export function acceptResponses(body: ResponsesRequest, clean: readonly ChatMessage[]): void {
  const input = inputFromMessages(body, clean);
  if (typeof body.instructions === 'string' && typeof clean[0]?.content === 'string')
    body.instructions = clean[0].content;
  body.input = input;
}
