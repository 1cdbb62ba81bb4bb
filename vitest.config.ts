import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Tests share one Redis and real ports; files run in parallel but each file's tests in order.
    pool: 'forks',
  },
});
