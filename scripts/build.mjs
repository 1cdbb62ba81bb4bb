// Dual build with tsc alone: ESM (+ .d.ts) for import, CommonJS (+ .d.ts) for require().
// Node >= 20.19 could require() the ESM build, but TypeScript consumers compiling CJS
// under moduleResolution node16 need real CJS types, so both are emitted.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';

const tsc = (args) =>
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', ...args], { stdio: 'inherit' });

rmSync('dist', { recursive: true, force: true });
tsc(['-p', 'tsconfig.json']);
tsc([
  '-p',
  'tsconfig.json',
  '--module',
  'CommonJS',
  '--moduleResolution',
  'Node10',
  '--verbatimModuleSyntax',
  'false',
  '--outDir',
  'dist/cjs',
]);
mkdirSync('dist/cjs', { recursive: true });
writeFileSync('dist/cjs/package.json', JSON.stringify({ type: 'commonjs' }) + '\n');
