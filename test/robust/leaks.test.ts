// The leak guard (test/helpers/leak-guard.ts) fails any file whose responses or logs carry a
// key or a raw test secret. This file makes sure it would: raw secrets go in, none come out.

import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { CLIENT_KEY, presetApp } from '../helpers/app.js';
import { RAW_SECRETS } from '../helpers/leak-guard.js';

describe('secrets sent in prompts', () => {
  // The default audit logger (winston to stdout), which the guard reads, with redacted content on.
  const { app } = presetApp({ audit: { includeContent: 'redacted' } });
  it.each(RAW_SECRETS)('never come back in a response or an audit line: %#', async (secret) => {
    const res = await request(app)
      .post('/v1/chat/completions')
      .set('authorization', `Bearer ${CLIENT_KEY}`)
      .send({ messages: [{ role: 'user', content: `my token is ${secret}, keep it safe` }] });
    expect(res.status).toBe(200);
    expect(res.text).not.toContain(secret);
    expect(res.text).toContain('[REDACTED:');
  });
});
