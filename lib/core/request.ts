import { hash, randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { getShieldState, type ShieldState } from './state.js';
import { startRequestSpan } from '../telemetry/request-span.js';

// A client's request id is kept only when it cannot forge or split a log line or a header.
const CLIENT_REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/**
 * The state every shield middleware starts from: created once per request, with a request
 * id (the client's `X-Request-Id` when safe, else a UUID) echoed in `X-Request-Id`.
 */
export function enterShield(req: Request, res: Response): ShieldState {
  const state = getShieldState(res);
  if (state.requestId === '') {
    const offered = req.headers['x-request-id'];
    state.requestId = typeof offered === 'string' && CLIENT_REQUEST_ID.test(offered) ? offered : randomUUID();
    if (!res.headersSent) res.setHeader('X-Request-Id', state.requestId);
    startRequestSpan(state, res);
  }
  return state;
}

/**
 * The client's address as Express reports it (`req.ip`). Without `trust proxy` (Express's
 * default) that is the socket's own address; `req.ip` would still parse X-Forwarded-For
 * only to ignore it, on every request.
 */
export function clientAddress(req: Request): string | undefined {
  const trust: unknown = req.app?.get('trust proxy');
  if (trust === false) return req.socket?.remoteAddress;
  return req.ip ?? req.socket?.remoteAddress;
}

/** The client key presented as `Authorization: Bearer <key>` or `x-api-key: <key>`. */
export function presentedKey(req: Request): string | undefined {
  const auth = req.headers.authorization;
  if (typeof auth === 'string') {
    const match = /^Bearer[ \t]+(\S{1,4096})[ \t]*$/i.exec(auth);
    if (match) return match[1];
  }
  const header = req.headers['x-api-key'];
  if (typeof header === 'string' && header.length > 0 && header.length <= 4096) return header.trim() || undefined;
  return undefined;
}

/**
 * SHA-256 of a key, in hex: how keys are compared and identified, so none is ever kept raw.
 * `crypto.hash` is a one-shot call; a `createHash` object costs several times as much, on
 * every request.
 */
export function sha256(value: string): string {
  return hash('sha256', value, 'hex');
}

/** A stable, non-reversible identity for a presented key, for limits and logs. */
export function keyFingerprint(key: string): string {
  return `key_${sha256(key).slice(0, 24)}`;
}
