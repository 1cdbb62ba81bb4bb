import express, { Router, type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { fixedHeaders } from './core/fixed-headers.js';
import { chain } from './core/chain.js';
import { ShieldError } from './core/errors.js';
import type { LLMClient } from './core/openai-types.js';
import { checkOptions, is, optionError, optionsOrFalse, type Check } from './core/options.js';
import { modeCheck, type ShieldMode } from './core/monitor.js';
import { enterShield } from './core/request.js';
import { apiKeyAuth, type ApiKeyAuthOptions } from './middleware/api-key-auth.js';
import { auditLog, type AuditLogOptions } from './middleware/audit-log.js';
import { filteredCallLLM, type CallLLMOptions } from './middleware/call-llm.js';
import { errorHandler } from './middleware/error-handler.js';
import { filterResponses, outputFilter, type FilterOutputOptions } from './middleware/filter-output.js';
import { redisClientProblem } from './limits/redis.js';
import { rateLimitByKey, type RateLimitByKeyOptions, type RedisClientLike } from './middleware/rate-limit-by-key.js';
import { validatePrompt, type ValidatePromptOptions } from './middleware/validate-prompt.js';
import { bodyMatchesRoute, isResponsesRoute } from './responses/route.js';

export interface LLMShieldOptions {
  /** An OpenAI client or `createMockLLM()`. Default: built from `OPENAI_API_KEY` / `OPENAI_BASE_URL`. */
  client?: LLMClient;
  /** The default model. Required. */
  model: string;
  /** Models a request may name. Default: `model` (and `llm.fallbackModels`). */
  allowedModels?: readonly string[];
  /** The server's system prompt, always first. */
  systemPrompt?: string;
  /** Client keys, as for `apiKeyAuth`. Required. */
  keys: ApiKeyAuthOptions['keys'];
  /** `apiKeyAuth`'s other options (`failedAttempts`, `verifyTimeoutMs`, …). Authentication cannot be left out. */
  auth?: Omit<ApiKeyAuthOptions, 'keys'>;
  /** Body size limit for the JSON parser. Default `'100kb'`. */
  bodyLimit?: string | number;
  /** A connected node-redis or ioredis client, single node or cluster, for `rateLimitByKey` (limits shared by every process on it). `rateLimit.redis` wins. */
  redis?: RedisClientLike;
  /** `auditLog` options, or `false` to leave it out. */
  audit?: AuditLogOptions | false;
  /** `rateLimitByKey` options, or `false` to leave it out. */
  rateLimit?: RateLimitByKeyOptions | false;
  /** `validatePrompt` options, or `false` to leave it out. */
  validate?: ValidatePromptOptions | false;
  /** `filterOutput` options, or `false` to leave it out. */
  filter?: FilterOutputOptions | false;
  /** `callLLM`'s own options (`retries`, `timeoutMs`, …), or `false` to answer with your own handler mounted after the shield. */
  llm?: Omit<CallLLMOptions, 'client' | 'model' | 'allowedModels' | 'systemPrompt'> | false;
  /**
   * `monitor`: what `rateLimit`, `validate` and `filter` would refuse is recorded
   * (`wouldBlock` in the audit record, an event on the trace) and served anyway; a `mode` in
   * one of those options wins over this one. Keys are checked in both modes. Default `enforce`.
   */
  mode?: ShieldMode;
}

const FACTORY = 'llmShield';

/**
 * helmet, set for a JSON API. Nothing here is ever a page, so the Content-Security-Policy
 * allows nothing at all instead of helmet's defaults for HTML pages, framing is denied, and
 * the headers that only pages or retired browsers read (DNS prefetching, IE's download
 * prompt, the XSS auditor, origin-keyed agent clusters) are not sent: each one costs every
 * response bytes and the server time, for no client that reads them.
 */
const API_SECURITY_HEADERS = {
  contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
  xFrameOptions: { action: 'deny' },
  xDnsPrefetchControl: false,
  xDownloadOptions: false,
  xXssProtection: false,
  originAgentCluster: false,
} as const;

/**
 * `POST /chat/completions` under the preset's mount, as the router matches a route path with
 * its defaults: any letter case, one optional trailing slash, the path before any query.
 */
function isChatCompletions(req: Request): boolean {
  return req.method === 'POST' && CHAT_PATH.test(req.path);
}
const CHAT_PATH = /^\/chat\/completions\/?$/i;

const bodyLimitCheck: Check = is.either(is.positiveInt, is.nonEmptyString);

/**
 * The whole shield as one router: `POST /chat/completions` (OpenAI-compatible, JSON and
 * SSE), `POST /responses` (the Responses API, JSON and streamed events) and `GET /models`, behind helmet, a size-limited JSON parser, `auditLog`,
 * `apiKeyAuth`, `rateLimitByKey`, `validatePrompt`, `filterOutput`, `callLLM` and
 * `errorHandler`, in that order.
 *
 * @example
 * ```ts
 * app.use('/v1', llmShield({ client: new OpenAI(), model: 'gpt-4o-mini', keys: [{ id: 'team-a', key: process.env.TEAM_A_KEY! }] }))
 * ```
 */
export function llmShield(options: Readonly<LLMShieldOptions>): Router {
  const opts = checkOptions<LLMShieldOptions>(FACTORY, options, {
    client: is.object,
    model: is.nonEmptyString,
    allowedModels: is.stringArray,
    systemPrompt: is.nonEmptyString,
    keys: is.any,
    auth: (v) =>
      typeof v === 'object' && v !== null && !Array.isArray(v) && !('keys' in v)
        ? undefined
        : "an object of apiKeyAuth options other than `keys` (give keys as the preset's `keys`)",
    redis: redisClientProblem,
    bodyLimit: bodyLimitCheck,
    audit: optionsOrFalse,
    rateLimit: optionsOrFalse,
    validate: optionsOrFalse,
    filter: optionsOrFalse,
    llm: optionsOrFalse,
    mode: modeCheck,
  });
  // The preset's mode, under each middleware's own.
  const moded = opts.mode === undefined ? {} : { mode: opts.mode };
  if (opts.model === undefined) throw optionError(FACTORY, 'model', 'a non-empty string', undefined);
  if (opts.keys === undefined)
    throw optionError(FACTORY, 'keys', 'an array of keys or a function (as for apiKeyAuth)', undefined);

  const filter = opts.filter === false ? undefined : outputFilter({ ...moded, ...opts.filter });
  const llm =
    opts.llm === false
      ? undefined
      : filteredCallLLM(
          {
            ...(opts.llm ?? {}),
            model: opts.model,
            ...(opts.client ? { client: opts.client } : {}),
            ...(opts.allowedModels ? { allowedModels: opts.allowedModels } : {}),
            ...(opts.systemPrompt ? { systemPrompt: opts.systemPrompt } : {}),
          },
          filter,
        );
  const models = [...new Set(opts.allowedModels ?? [opts.model, ...((opts.llm && opts.llm.fallbackModels) || [])])];
  // Failed key attempts are counted in the same Redis as the limits, when one is given.
  const auth = apiKeyAuth({ ...(opts.redis ? { redis: opts.redis } : {}), ...opts.auth, keys: opts.keys });

  const router = Router();
  const chat = [
    auth,
    // Parse only what an authenticated client sent.
    express.json({ limit: opts.bodyLimit ?? '100kb', strict: true }),
    // The middlewares tell Chat Completions from Responses by the body: it must be the route's.
    bodyMatchesRoute,
    ...(opts.rateLimit === false
      ? []
      : [rateLimitByKey({ ...moded, ...opts.rateLimit, redis: opts.rateLimit?.redis ?? opts.redis })]),
    ...(opts.validate === false ? [] : [validatePrompt({ ...moded, ...opts.validate })]),
    // callLLM filters its own answers; your own handler's go through filterOutput's patched response.
    ...(llm ? [llm] : filter ? [filterResponses(filter)] : []),
  ];
  // The chat route is answered from the same router layer as helmet and auditLog, not from
  // a route of its own: a route layer costs every request a path match, a dispatch, and a
  // `req.route` that Express adds to the request, which, after Express's setPrototypeOf,
  // gives the request a hidden class of its own and makes every later read of it miss V8's
  // caches. `isChatCompletions` matches as the router would.
  const chatChain = chain(chat);
  router.use(
    chain([
      fixedHeaders(helmet(API_SECURITY_HEADERS)),
      ...(opts.audit === false ? [] : [auditLog(opts.audit ?? {})]),
      function chatCompletions(req: Request, res: Response, next: NextFunction) {
        if (isChatCompletions(req) || isResponsesRoute(req)) return chatChain(req, res, next);
        next();
      },
    ]),
  );
  router.get('/models', auth, function listModels(req: Request, res: Response) {
    const own = enterShield(req, res).principal?.models;
    const data = models
      .filter((m) => own === undefined || own.includes(m))
      .map((id) => ({ id, object: 'model', created: 0, owned_by: 'express-llm-shield' }));
    res.json({ object: 'list', data });
  });
  if (llm) {
    router.all('/chat/completions', (_req: Request, _res: Response, next: NextFunction) =>
      next(new ShieldError(405, 'method_not_allowed', 'Use POST for /chat/completions.')),
    );
    router.all('/responses', (_req: Request, _res: Response, next: NextFunction) =>
      next(new ShieldError(405, 'method_not_allowed', 'Use POST for /responses.')),
    );
    router.use((_req: Request, _res: Response, next: NextFunction) =>
      next(new ShieldError(404, 'not_found', 'Not found.')),
    );
  }
  router.use(errorHandler());
  return router;
}
