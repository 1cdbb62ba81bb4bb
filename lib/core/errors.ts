/** OpenAI's error `type` values that this package uses. */
export type ShieldErrorType =
  'invalid_request_error' | 'authentication_error' | 'rate_limit_error' | 'server_error' | 'upstream_error';

/** Every error code the package answers with (README, "Error codes"). */
export type ShieldErrorCode =
  | 'invalid_json'
  | 'request_too_large'
  | 'invalid_request'
  | 'prompt_too_long'
  | 'prompt_injection'
  | 'sensitive_data'
  | 'model_not_allowed'
  | 'invalid_api_key'
  | 'rate_limit_exceeded'
  | 'token_budget_exceeded'
  | 'concurrency_limit_exceeded'
  | 'upstream_error'
  | 'upstream_unavailable'
  | 'service_unavailable'
  | 'upstream_timeout'
  | 'not_found'
  | 'method_not_allowed'
  | 'internal_error';

const TYPE_BY_STATUS: Record<number, ShieldErrorType> = {
  401: 'authentication_error',
  429: 'rate_limit_error',
};

/** Marks instances across two installed copies of the package (ESM and CJS builds). */
const BRAND = Symbol.for('express-llm-shield.ShieldError');

export interface ShieldErrorInit {
  /** Names the offending request field, e.g. `messages[1].content`. */
  param?: string | null;
  type?: ShieldErrorType;
  /** Extra response headers, e.g. `Retry-After`. */
  headers?: Record<string, string>;
  cause?: unknown;
}

/**
 * The one error class of the package. It follows the http-errors contract (`status`,
 * `statusCode`, `expose`, `headers`), so even Express's default handler answers with the
 * right status, and `errorHandler()` turns it into OpenAI's error envelope.
 *
 * @example
 * ```ts
 * import { ShieldError } from 'express-llm-shield'
 * app.post('/chat', (req, res, next) => next(new ShieldError(400, 'invalid_request', 'Bad field', { param: 'foo' })))
 * ```
 */
export class ShieldError extends Error {
  readonly status: number;
  readonly statusCode: number;
  readonly code: ShieldErrorCode;
  readonly type: ShieldErrorType;
  readonly param: string | null;
  /** Messages are written to be shown: they never carry detected text or provider text. */
  readonly expose = true;
  readonly headers: Record<string, string>;

  constructor(status: number, code: ShieldErrorCode, message: string, init: ShieldErrorInit = {}) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'ShieldError';
    this.status = status;
    this.statusCode = status;
    this.code = code;
    this.type = init.type ?? TYPE_BY_STATUS[status] ?? (status >= 500 ? 'server_error' : 'invalid_request_error');
    this.param = init.param ?? null;
    this.headers = init.headers ?? {};
    Object.defineProperty(this, BRAND, { value: true });
  }

  /** OpenAI's error envelope, as the SDK expects it. */
  toJSON(): { error: { message: string; type: string; code: string; param: string | null } } {
    return { error: { message: this.message, type: this.type, code: this.code, param: this.param } };
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }
}

/** Answers the errors Express's own JSON parser (body-parser) raises, in our codes. */
export function fromParserError(err: unknown): ShieldError | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const type = (err as { type?: unknown }).type;
  switch (type) {
    case 'entity.parse.failed':
      return new ShieldError(400, 'invalid_json', 'The request body is not valid JSON.', { cause: err });
    case 'entity.too.large':
      return new ShieldError(413, 'request_too_large', 'The request body is larger than the server accepts.', {
        cause: err,
      });
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new ShieldError(400, 'invalid_request', 'The request body encoding is not supported.', { cause: err });
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
    case 'stream.not.readable':
    case 'parameters.too.many':
      return new ShieldError(400, 'invalid_request', 'The request body could not be read.', { cause: err });
    default:
      return undefined;
  }
}
