import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { body } from 'express-validator';
import { estimateTokens } from '../detect/tokens.js';
import { scanText } from '../detect/scan.js';
import type { DetectorAction, Finding, ScanResult } from '../detect/types.js';
import { ShieldError } from '../core/errors.js';
import { MESSAGE_OVERHEAD_TOKENS, requestMessages, type ChatMessage } from '../core/openai-types.js';
import { forEachText, textParam, withTexts, type TextField } from '../core/message-text.js';
import { jsonStringsText, mapJsonStrings, parseJson } from '../core/json-strings.js';
import { compileChatSchema, type SchemaViolation } from '../core/chat-schema.js';
import { checkOptions, is, type Check } from '../core/options.js';
import { resolveModeration, type ModerationOption, type Moderator } from '../core/moderation.js';
import { enterShield } from '../core/request.js';
import { recordChecks, recordFindings, type ShieldState } from '../core/state.js';
import { modeCheck, refuseOrRecord, type ShieldMode } from '../core/monitor.js';
import { compileResponsesSchema } from '../responses/schema.js';
import { inputAsMessages, isResponsesBody, type ResponsesRequest } from '../responses/types.js';
import { acceptResponses, renameRefusal } from '../responses/validate.js';

/** What a custom rule sees: one message's sanitized text. */
export interface PromptRuleInput {
  text: string;
  role: string;
  /** Index of the message in `messages`. */
  index: number;
  req: Request;
}

/** A rule's verdict: nothing, or a finding of `type` that blocks (default) or is only recorded. */
export type PromptRuleResult = { type: string; action?: 'block' | 'flag'; message?: string } | null | undefined | false;

/** A custom check run on every message after the built-in ones. */
export type PromptRule = (input: PromptRuleInput) => PromptRuleResult | Promise<PromptRuleResult>;

export interface ValidatePromptOptions {
  /** Most messages in one request. Default 50. */
  maxMessages?: number;
  /** Most characters over all messages. Default 32 000. */
  maxChars?: number;
  /** Most estimated prompt tokens over all messages. Default 8 000. */
  maxTokens?: number;
  /** Roles a client may send. Default `['user', 'assistant']`: `system`, `developer` and `tool` are the server's. */
  allowedRoles?: readonly string[];
  /** Default `block`. */
  injection?: DetectorAction;
  /** Default `redact`. */
  pii?: DetectorAction;
  /** Default `redact`. */
  secrets?: DetectorAction;
  /** Injection score that counts as an injection, in [0, 1]. Default 0.5. */
  threshold?: number;
  /** Custom checks, run in order on each message's sanitized text. */
  rules?: readonly PromptRule[];
  /** Accept `tools`, `tool_choice`, `functions`, `function_call`, `parallel_tool_calls`. Default false. */
  allowTools?: boolean;
  /** Accept `logprobs`, `top_logprobs`, `logit_bias`. Default false (OWASP LLM10). */
  allowLogprobs?: boolean;
  /** Accept content parts other than text (images, audio, files); they are passed on unscanned. Default false. */
  allowNonText?: boolean;
  /** Largest `n` accepted. Default 1. */
  maxN?: number;
  /** Further top-level fields to pass through unchecked, e.g. `['seed', 'response_format']`. Default none. */
  allowedFields?: readonly string[];
  /** Responses API: accept `previous_response_id` and `conversation` (context stored at the provider, never screened here). Default false. */
  allowStoredContext?: boolean;
  /** Responses API: further input item types passed on unscanned, e.g. `['reasoning', 'item_reference']`. Default none. */
  allowedItems?: readonly string[];
  /**
   * Harmful-content moderation of the client's messages (off by default): a function
   * `(text) => boolean | Promise<boolean>` (`true` = harmful) or `{ client, model, check,
   * failOpen, timeoutMs }` using `client.moderations.create`. Flagged: 400 `invalid_request`;
   * moderation failing: 503 `upstream_unavailable` unless `failOpen: true`.
   */
  moderation?: ModerationOption;
  /**
   * `monitor`: every refusal of the checks above (size, injection, sensitive data, rules,
   * moderation) is recorded in the audit record's `wouldBlock` and on the trace, and the
   * request goes on (redaction still applies). A body that is not a Chat Completions request
   * is refused in both modes. Default `enforce`.
   */
  mode?: ShieldMode;
}

const FACTORY = 'validatePrompt';
const action: Check = is.oneOf('block', 'redact', 'flag', 'off');
const rulesCheck: Check = (v) =>
  Array.isArray(v) && v.every((r) => typeof r === 'function') ? undefined : 'an array of functions';

type ScanConfig = { injection: DetectorAction; pii: DetectorAction; secrets: DetectorAction; threshold: number };

/**
 * One screened text of a message (see core/message-text.ts): where it is, for `param`; `raw`
 * as the client sent it, `text` as screened (tool-call arguments that are JSON are screened as
 * their decoded strings) and `clean`, once screened, what is sent on (`undefined` drops it).
 */
interface Segment {
  index: number;
  field: TextField;
  sub: number;
  role: string;
  raw: string;
  text: string;
  clean: string | undefined;
}

function segmentsOf(messages: ChatMessage[]): Segment[] {
  const out: Segment[] = [];
  for (let index = 0; index < messages.length; index++) {
    const m = messages[index]!;
    forEachText(m, (field, sub, raw) => {
      out.push({ index, field, sub, role: m.role, raw, text: screenedText(field, raw), clean: raw });
    });
  }
  return out;
}

/** Tool-call arguments are read as a tool would read them: JSON decoded, escapes and all. */
function screenedText(field: TextField, raw: string): string {
  if (field !== 'tool_call.arguments') return raw;
  const parsed = parseJson(raw);
  return (parsed && jsonStringsText(parsed.value)) ?? raw;
}

/**
 * What is sent on for a screened segment, given its scan. Content is sent as screened (normalized,
 * redacted). The other fields keep their bytes unless something in them was redacted: a name is
 * then dropped (it is optional and a placeholder is not a valid name), JSON arguments are
 * redacted string by string so they stay JSON, any other field becomes its redacted text.
 */
function cleanOf(s: Segment, result: ScanResult, redactOnly: ScanConfig): string | undefined {
  if (s.field === 'content' || s.field === 'part' || s.field === 'refusal') return result.redacted;
  if (!result.findings.some((f) => f.action === 'redact')) return s.raw;
  if (s.field === 'name') return undefined;
  if (s.field === 'tool_call.arguments' && s.text !== s.raw)
    return mapJsonStrings(s.raw, (v) => scanText(v, redactOnly).redacted) ?? result.redacted;
  return result.redacted;
}

const paramOf = (s: Segment) => textParam(s.index, s.field, s.sub);

/**
 * The messages with their sanitized texts, as new objects: the client's objects are not
 * reused (non-text parts, passed on unscanned, are). Segments are in message order, so each
 * message's are read from where the previous one's ended.
 */
function rebuild(messages: ChatMessage[], segments: Segment[]): ChatMessage[] {
  const out = new Array<ChatMessage>(messages.length);
  let k = 0;
  for (let index = 0; index < messages.length; index++) {
    // A hole (only an async rule could make one) stays a hole, as with `map`.
    if (!(index in messages)) continue;
    while (k < segments.length && segments[k]!.index < index) k++;
    const first = k;
    while (k < segments.length && segments[k]!.index === index) k++;
    const own = segments.slice(first, k);
    const m = messages[index]!;
    // A slot an async rule added after screening was never screened: it is sent empty.
    out[index] = withTexts(m, (field, sub) => {
      const s = own.find((o) => o.field === field && o.sub === sub);
      return s === undefined ? '' : s.clean;
    });
  }
  return out;
}

/** The sanitized texts joined, for the checks that read the messages together. */
function joinClean(segments: Segment[], separator: string): string {
  let text = segments[0]?.clean ?? '';
  for (let k = 1; k < segments.length; k++) text += separator + (segments[k]!.clean ?? '');
  return text;
}

/** Characters read on each side of a boundary between two messages or parts. */
const SEAM_WINDOW = 256;

/**
 * The seams between neighbouring segments, and between consecutive user segments with other
 * turns between them: the end of one joined to the start of the next with nothing between,
 * so a word split across them reads whole. Seams are separated by blank lines; `ends[k]` is
 * where seam `k` ends in the text and `at[k]` the segment that completes it.
 */
function seams(segments: Segment[]): { text: string; ends: number[]; at: Segment[] } {
  let text = '';
  const ends: number[] = [];
  const at: Segment[] = [];
  const add = (a: Segment, b: Segment): void => {
    if (text.length > 0) text += '\n\n';
    text += (a.clean ?? '').slice(-SEAM_WINDOW) + (b.clean ?? '').slice(0, SEAM_WINDOW);
    ends.push(text.length);
    at.push(b);
  };
  let lastUser: Segment | undefined;
  for (let k = 0; k < segments.length; k++) {
    const s = segments[k]!;
    if (k > 0) add(segments[k - 1]!, s);
    if (s.role === 'user') {
      if (lastUser !== undefined && lastUser !== segments[k - 1]) add(lastUser, s);
      lastUser = s;
    }
  }
  return { text, ends, at };
}

/**
 * An injection that only shows when the segments are read together: the whole conversation
 * joined by line breaks, then the seams (bounded windows) for a word split mid-way.
 * Returns the finding and the segment where it ends.
 */
function findSplitInjection(segments: Segment[], scan: ScanConfig): { hit: Finding; where: Segment } | undefined {
  const joined = scanText(joinClean(segments, '\n'), scan).findings.find((f) => f.detector === 'injection');
  if (joined !== undefined) {
    // Name the message or part where the injection ends: the one that completes it.
    let offset = 0;
    let where = segments[0]!;
    for (const s of segments) {
      if (offset >= joined.end) break;
      where = s;
      offset += (s.clean ?? '').length + 1;
    }
    return { hit: joined, where };
  }
  const seam = seams(segments);
  const hit = scanText(seam.text, scan).findings.find((f) => f.detector === 'injection');
  if (hit === undefined) return undefined;
  let k = 0;
  while (k < seam.ends.length - 1 && seam.ends[k]! < hit.end) k++;
  return { hit, where: seam.at[k]! };
}

function refusalFor(found: Finding, param: string): ShieldError {
  return found.detector === 'injection'
    ? new ShieldError(400, 'prompt_injection', 'The prompt was refused: it looks like a prompt injection.', { param })
    : new ShieldError(400, 'sensitive_data', 'The prompt was refused: it contains sensitive data.', { param });
}

/**
 * Validates an OpenAI Chat Completions body and screens every message: injection
 * blocked, PII and secrets redacted by default. Sanitized messages replace
 * `req.body.messages` for whatever runs next. `{ prompt: "…" }` is accepted as one user
 * message. A Responses API body (`input`, no `messages`) is validated and screened the same
 * way, its sanitized text written back into `req.body.input` (docs/responses.md).
 *
 * @example
 * ```ts
 * app.post('/chat', express.json(), validatePrompt({ maxChars: 8000, pii: 'block' }), handler)
 * ```
 */
export function validatePrompt(options: Readonly<ValidatePromptOptions> = {}): RequestHandler {
  const opts = checkOptions<ValidatePromptOptions>(FACTORY, options, {
    maxMessages: is.positiveInt,
    maxChars: is.positiveInt,
    maxTokens: is.positiveInt,
    allowedRoles: is.stringArray,
    injection: action,
    pii: action,
    secrets: action,
    threshold: is.unit,
    rules: rulesCheck,
    allowTools: is.boolean,
    allowLogprobs: is.boolean,
    allowNonText: is.boolean,
    maxN: is.positiveInt,
    allowedFields: is.stringArray,
    allowStoredContext: is.boolean,
    allowedItems: is.stringArray,
    moderation: is.any,
    mode: modeCheck,
  });
  const mode = opts.mode ?? 'enforce';
  const moderate = resolveModeration(FACTORY, opts.moderation);
  const maxMessages = opts.maxMessages ?? 50;
  const maxChars = opts.maxChars ?? 32_000;
  const maxTokens = opts.maxTokens ?? 8_000;
  const scan: ScanConfig = {
    injection: opts.injection ?? 'block',
    pii: opts.pii ?? 'redact',
    secrets: opts.secrets ?? 'redact',
    threshold: opts.threshold ?? 0.5,
  };
  // The split-injection check reads the messages together for injection only.
  const joinedScan: ScanConfig = { ...scan, pii: 'off', secrets: 'off' };
  // JSON arguments are redacted value by value after the whole was screened.
  const redactOnly: ScanConfig = { ...scan, injection: 'off' };
  const limits: SizeLimits = { maxChars, maxTokens };
  const later: LaterChecks = { rules: [...(opts.rules ?? [])], moderate, mode };
  // The detectors switched on, as the audit record's `checks` names them.
  const scanChecks = (['injection', 'pii', 'secrets'] as const)
    .filter((d) => scan[d] !== 'off')
    .map((d) => `input.${d}`);
  const checkChatBody = compileChatSchema({
    allowedRoles: [...(opts.allowedRoles ?? ['user', 'assistant'])],
    allowTools: opts.allowTools ?? false,
    allowLogprobs: opts.allowLogprobs ?? false,
    allowNonText: opts.allowNonText ?? false,
    maxN: opts.maxN ?? 1,
    allowedFields: [...(opts.allowedFields ?? [])],
  });
  const checkResponsesBody = compileResponsesSchema({
    allowedRoles: [...(opts.allowedRoles ?? ['user', 'assistant'])],
    allowTools: opts.allowTools ?? false,
    allowLogprobs: opts.allowLogprobs ?? false,
    allowNonText: opts.allowNonText ?? false,
    allowStoredContext: opts.allowStoredContext ?? false,
    allowedItems: [...(opts.allowedItems ?? [])],
    allowedFields: [...(opts.allowedFields ?? [])],
  });
  const shapes = shapeRecorder();

  /**
   * The built-in checks, all synchronous; then rules and moderation, which may not be. With
   * neither configured the result is not a promise, so an ordinary request pays for no
   * promise and no microtask hop.
   */
  function screen(
    req: Request,
    state: ShieldState,
    messages: ChatMessage[],
    responses?: ResponsesRequest,
  ): ShieldError | undefined | Promise<ShieldError | undefined> {
    const segments = segmentsOf(messages);
    const tooLong = sizeRefusal(limits, messages, segments);
    if (tooLong) {
      const refusal = refuseOrRecord(state, mode, tooLong);
      if (refusal) return refusal;
    }

    recordChecks(state, scanChecks);
    for (const s of segments) {
      const result = scanText(s.text, scan);
      const found = result.findings;
      // Most prompts have no findings: nothing to record, nothing to look through.
      if (found.length > 0) {
        recordFindings(
          state,
          found.map((f) => ({ stage: 'input' as const, detector: f.detector, type: f.type, action: f.action })),
        );
        for (const f of found)
          if (f.action === 'block') {
            const refusal = refuseOrRecord(state, mode, refusalFor(f, paramOf(s)));
            if (refusal) return refusal;
          }
      }
      s.clean = cleanOf(s, result, redactOnly);
    }
    // An injection split over several messages or parts is only visible when they are read together.
    if (segments.length > 1 && scan.injection !== 'off') {
      const split = findSplitInjection(segments, joinedScan);
      if (split !== undefined) {
        const { hit, where } = split;
        const alreadyRecorded = state.findings.some((f) => f.stage === 'input' && f.detector === 'injection');
        // A flagged split injection is recorded too; per-message findings already count it otherwise.
        if (hit.action === 'block' || !alreadyRecorded)
          recordFindings(state, [{ stage: 'input', detector: 'injection', type: hit.type, action: hit.action }]);
        if (hit.action === 'block') {
          const refusal = refuseOrRecord(state, mode, refusalFor(hit, paramOf(where)));
          if (refusal) return refusal;
        }
      }
    }

    if (later.rules.length > 0 || later.moderate)
      return screenAsync(later, { req, state, messages, segments, responses });
    accept({ req, state, messages, segments, responses });
    return undefined;
  }

  // Synchronous unless a shape refusal, a rule or moderation needs to wait: then it returns
  // the promise of that work, which never rejects (errors go to `next`, as Express 4 needs).
  return function validatePromptMiddleware(req: Request, res: Response, next: NextFunction): void | Promise<void> {
    const state = enterShield(req, res);
    try {
      const payload: unknown = req.body;
      if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
        return next(
          new ShieldError(
            400,
            'invalid_request',
            'The body must be a JSON object (send `Content-Type: application/json`).',
            { param: null },
          ),
        );
      }
      const bodyObj = payload as Record<string, unknown>;
      const responses = isResponsesBody(bodyObj) ? bodyObj : undefined;
      const badPrompt = responses ? undefined : expandPrompt(bodyObj);
      if (badPrompt) return next(badPrompt);
      recordChecks(state, SIZE_CHECK);
      // Bound the work before walking the messages.
      const list = responses ? responses.input : bodyObj.messages;
      if (Array.isArray(list) && list.length > maxMessages) {
        const what = responses ? 'input items' : 'messages';
        const refusal = refuseOrRecord(
          state,
          mode,
          new ShieldError(400, 'prompt_too_long', `At most ${maxMessages} ${what} are accepted.`, {
            param: responses ? 'input' : 'messages',
          }),
        );
        if (refusal) return next(refusal);
      }
      recordChecks(state, SCHEMA_CHECK);
      const violation = responses ? checkResponsesBody(bodyObj) : checkChatBody(bodyObj);
      if (violation !== undefined) return shapes.refuse(req, violation, next);
      if (typeof bodyObj.model === 'string') state.model = bodyObj.model;
      state.stream = bodyObj.stream === true;
      const messages = responses ? inputAsMessages(responses) : (bodyObj.messages as ChatMessage[]);
      const found = screen(req, state, messages, responses);
      const refusal = responses ? renamed(found, responses) : found;
      if (refusal instanceof Promise) return settle(refusal, next);
      if (refusal) return next(refusal);
      next();
    } catch (err) {
      next(err);
    }
  };
}

const SIZE_CHECK = ['input.size'];
const SCHEMA_CHECK = ['input.schema'];
const RULES_CHECK = ['input.rules'];
const MODERATION_CHECK = ['input.moderation'];

/** The size limits over all messages. */
interface SizeLimits {
  maxChars: number;
  maxTokens: number;
}

/** The checks that may be asynchronous: custom rules, then moderation. */
interface LaterChecks {
  rules: readonly PromptRule[];
  moderate: Moderator | undefined;
  mode: ShieldMode;
}

/** One request's messages being screened; `responses` when they are a Responses body's chat view. */
interface Screening {
  req: Request;
  state: ShieldState;
  messages: ChatMessage[];
  segments: Segment[];
  responses?: ResponsesRequest | undefined;
}

/** A refusal about a Responses body's chat view, named for the body. */
function renamed(
  refusal: ShieldError | undefined | Promise<ShieldError | undefined>,
  body: ResponsesRequest,
): ShieldError | undefined | Promise<ShieldError | undefined> {
  if (refusal instanceof Promise) return refusal.then((r) => r && renameRefusal(r, body));
  return refusal && renameRefusal(refusal, body);
}

/** A refusal when the messages are over `maxChars` or `maxTokens`, naming the segment that crosses it. */
function sizeRefusal(limits: SizeLimits, messages: ChatMessage[], segments: Segment[]): ShieldError | undefined {
  const { maxChars, maxTokens } = limits;
  let chars = 0;
  let tokens = messages.length * MESSAGE_OVERHEAD_TOKENS;
  // estimateTokens never counts more tokens than a text has characters: when even that
  // bound fits, no text can be refused for its tokens, and none is estimated.
  let bound = tokens;
  for (const s of segments) bound += s.raw.length;
  const estimate = bound > maxTokens;
  for (const s of segments) {
    chars += s.raw.length;
    if (chars > maxChars)
      return new ShieldError(400, 'prompt_too_long', `The prompt is longer than ${maxChars} characters.`, {
        param: paramOf(s),
      });
    if (!estimate) continue;
    tokens += estimateTokens(s.raw);
    if (tokens > maxTokens)
      return new ShieldError(400, 'prompt_too_long', `The prompt is longer than ${maxTokens} tokens.`, {
        param: paramOf(s),
      });
  }
  return undefined;
}

/** Rules, then moderation, on the sanitized text; then the messages are accepted. */
async function screenAsync(later: LaterChecks, ctx: Screening): Promise<ShieldError | undefined> {
  const { req, state, segments } = ctx;
  if (later.rules.length > 0) recordChecks(state, RULES_CHECK);
  for (const s of segments) {
    for (const rule of later.rules) {
      const verdict = await rule({ text: s.clean ?? '', role: s.role, index: s.index, req });
      if (!verdict) continue;
      const ruleAction = verdict.action ?? 'block';
      recordFindings(state, [{ stage: 'input', detector: 'rule', type: verdict.type, action: ruleAction }]);
      if (ruleAction === 'block') {
        const refusal = refuseOrRecord(
          state,
          later.mode,
          new ShieldError(400, 'invalid_request', verdict.message ?? 'The prompt was refused by a server rule.', {
            param: paramOf(s),
          }),
        );
        if (refusal) return refusal;
      }
    }
  }

  if (later.moderate) {
    recordChecks(state, MODERATION_CHECK);
    // The client's own messages, sanitized, in one call: assistant turns are the client's too.
    const verdict = await later.moderate(joinClean(segments, '\n\n'));
    if (verdict.flagged) {
      recordFindings(
        state,
        verdict.categories.map((type) => ({
          stage: 'input' as const,
          detector: 'moderation' as const,
          type,
          action: 'block' as const,
        })),
      );
      const refusal = refuseOrRecord(
        state,
        later.mode,
        verdict.failed
          ? new ShieldError(503, 'upstream_unavailable', 'Content moderation is unavailable; try again later.', {
              param: null,
            })
          : new ShieldError(400, 'invalid_request', 'The prompt was refused by content moderation.', {
              param: 'messages',
            }),
      );
      if (refusal) return refusal;
    }
  }

  accept(ctx);
  return undefined;
}

/** The sanitized messages replace the client's for whatever runs next. */
function accept(ctx: Screening): void {
  const clean = rebuild(ctx.messages, ctx.segments);
  ctx.state.messages = clean;
  if (ctx.responses) acceptResponses(ctx.responses, clean);
  else (ctx.req.body as { messages: ChatMessage[] }).messages = clean;
}

/** Passes on what an async screen decided; a throw or rejection goes to `next` too. */
async function settle(pending: Promise<ShieldError | undefined>, next: NextFunction): Promise<void> {
  try {
    const refusal = await pending;
    if (refusal) return next(refusal);
    next();
  } catch (err) {
    next(err);
  }
}

/** Expands the `{ prompt }` shorthand into one user message; a refusal when `prompt` is not a non-empty string. */
function expandPrompt(body: Record<string, unknown>): ShieldError | undefined {
  if (!Object.prototype.hasOwnProperty.call(body, 'prompt') || Object.prototype.hasOwnProperty.call(body, 'messages'))
    return undefined;
  if (typeof body.prompt !== 'string' || body.prompt.length === 0)
    return new ShieldError(400, 'invalid_request', '`prompt` must be a non-empty string.', { param: 'prompt' });
  body.messages = requestMessages(body);
  delete body.prompt;
  return undefined;
}

/**
 * Shape refusals are reported through one express-validator chain, so they also show in
 * the app's own `validationResult(req)`. The compiled check decides once; the chain (lodash
 * paths, contexts, a promise) runs only to record a refusal already found.
 */
function shapeRecorder(): { refuse(req: Request, violation: SchemaViolation, next: NextFunction): Promise<void> } {
  const violations = new WeakMap<Request, SchemaViolation>();
  const chain = body().custom((_value: unknown, { req }) => {
    const violation = violations.get(req as Request);
    if (violation !== undefined) throw new Error(violation.message);
    return true;
  });
  return {
    /** A shape violation, recorded through the chain first: only this path awaits it. */
    async refuse(req, violation, next) {
      try {
        violations.set(req, violation);
        await chain.run(req);
        next(new ShieldError(400, 'invalid_request', violation.message, { param: violation.param }));
      } catch (err) {
        next(err);
      }
    },
  };
}
