import type { ErrorRequestHandler, NextFunction, Request, Response } from 'express';
import { fromParserError, ShieldError } from '../core/errors.js';
import { checkOptions, is } from '../core/options.js';
import { enterShield } from '../core/request.js';
import { isEventStream, sseFrame } from '../stream/sse.js';

export interface ErrorHandlerOptions {
  /** Called with every error that is not a refusal of ours (a bug, a failing dependency), e.g. to report it. Never sent to the client. */
  onError?: (err: unknown, req: Request) => void;
}

/** The error as the client will see it: ours, the JSON parser's, an http-error's 4xx, or a bare 500. */
export function toShieldError(err: unknown): { error: ShieldError; unexpected: boolean } {
  if (err instanceof ShieldError) return { error: err, unexpected: false };
  const parser = fromParserError(err);
  if (parser) return { error: parser, unexpected: false };
  const status =
    (err as { status?: unknown; statusCode?: unknown } | null)?.status ??
    (err as { statusCode?: unknown } | null)?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    // Another middleware's client error: keep its status, but not its text, which we did not write.
    return {
      error: new ShieldError(
        status,
        status === 404 ? 'not_found' : 'invalid_request',
        status === 404 ? 'Not found.' : 'The request was refused.',
      ),
      unexpected: false,
    };
  }
  return {
    error: new ShieldError(500, 'internal_error', 'The server failed to handle the request.'),
    unexpected: true,
  };
}

/**
 * Answers every error in OpenAI's error envelope (`{ error: { message, type, code, param } }`)
 * with its status and headers, never a stack trace or a provider's text. After a stream
 * has started, the error is sent in-band as an SSE event and the stream ends.
 *
 * @example
 * ```ts
 * app.use(errorHandler({ onError: (err) => reportToSentry(err) }))
 * ```
 */
export function errorHandler(options: Readonly<ErrorHandlerOptions> = {}): ErrorRequestHandler {
  const opts = checkOptions<ErrorHandlerOptions>('errorHandler', options, { onError: is.function });
  return function errorHandlerMiddleware(err: unknown, req: Request, res: Response, next: NextFunction): void {
    const { error, unexpected } = toShieldError(err);
    if (unexpected && opts.onError) {
      try {
        opts.onError(err, req);
      } catch {
        // A failing reporter must not turn one error into two.
      }
    }
    const state = enterShield(req, res);
    state.error = { status: error.status, code: error.code };
    if (res.headersSent) {
      if (isEventStream(res.getHeader('content-type')) && !res.writableEnded) {
        res.write(sseFrame(JSON.stringify(error.toJSON())));
        res.end();
        return;
      }
      // Nothing sensible can be added to a response already under way.
      if (!res.writableEnded) res.end();
      return next === undefined ? undefined : void 0;
    }
    res.status(error.status);
    for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
    res.json(error.toJSON());
  };
}
