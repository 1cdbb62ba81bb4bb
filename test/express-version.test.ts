// Proves which Express each project runs on, so the Express 4 run cannot silently be a second Express 5 run.
import { createRequire } from 'node:module';
import express from 'express';
import { describe, expect, it } from 'vitest';

describe('express under test', () => {
  it('is the major this project is meant to test', () => {
    const require = createRequire(import.meta.url);
    const v4 = require('express4/package.json').version as string;
    // Express 5 removed app.del; Express 4 still has it.
    const isFour = typeof (express() as unknown as { del?: unknown }).del === 'function';
    expect(v4.startsWith('4.')).toBe(true);
    expect(['4', '5']).toContain(process.env.EXPRESS_MAJOR);
    expect(isFour).toBe(process.env.EXPRESS_MAJOR === '4');
  });
});
