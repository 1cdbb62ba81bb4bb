import { defineConfig } from 'vitest/config';

// Every middleware test runs twice: on Express 5 (the dev dependency) and on Express 4
// (the `express4` alias), since the peer range covers both.
const middlewareTests = [
  'test/*.test.ts',
  'test/{core,limits,middleware,mock,responses,robust,stream,telemetry}/**/*.test.ts',
];
const notOnExpress4 = [
  'test/package.test.ts',
  'test/examples.test.ts',
  'test/browser.test.ts',
  'test/docs-examples.test.ts',
  'test/readme-snippets.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    setupFiles: ['test/helpers/leak-guard.ts'],
    projects: [
      { extends: true, test: { name: 'express5', include: ['test/**/*.test.ts'], env: { EXPRESS_MAJOR: '5' } } },
      {
        extends: true,
        test: { name: 'express4', include: middlewareTests, exclude: notOnExpress4, env: { EXPRESS_MAJOR: '4' } },
        resolve: { alias: [{ find: /^express$/, replacement: 'express4' }] },
      },
    ],
  },
});
