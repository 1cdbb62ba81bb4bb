// helmet's headers replayed from one startup run are exactly what helmet itself sends.

import express, { type RequestHandler } from 'express';
import helmet from 'helmet';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { fixedHeaders } from '../../lib/core/fixed-headers.js';

async function headersWith(mw: RequestHandler): Promise<Record<string, string>> {
  const app = express();
  app.use(mw);
  app.get('/x', (_req, res) => res.json({ ok: true }));
  const res = await request(app).get('/x');
  const { date: _date, etag: _etag, ...rest } = res.headers as Record<string, string>;
  return rest;
}

describe('fixedHeaders', () => {
  const configs: Array<[string, Parameters<typeof helmet>[0]]> = [
    ['defaults', undefined],
    [
      'an API configuration',
      {
        contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"] } },
        xFrameOptions: { action: 'deny' },
        xDnsPrefetchControl: false,
      },
    ],
  ];
  for (const [name, config] of configs)
    it(`sends what helmet sends, with ${name}`, async () => {
      const own = await headersWith(helmet(config));
      expect(own['x-powered-by']).toBeUndefined();
      expect(own['content-security-policy']).toBeTruthy();
      expect(await headersWith(fixedHeaders(helmet(config)))).toEqual(own);
    });

  it('refuses a middleware that does not call next at once', () => {
    expect(() => fixedHeaders((_req, _res, _next) => undefined)).toThrow(/did not call next/);
  });
});
