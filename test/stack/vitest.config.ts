import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

// The whole-stack tests (`npm run test:stack`): real processes from the built dist, so no SWC
// and no Nest in the test process; only the `@lateral/*` alias, read from tsconfig.json.
const root = resolve(import.meta.dirname, '../..');
const tsconfig = JSON.parse(
  readFileSync(resolve(root, 'tsconfig.json'), 'utf8').replace(/^[ \t]*\/\/.*$/gm, ''),
) as { compilerOptions: { paths: Record<string, string[]> } };
const alias = Object.entries(tsconfig.compilerOptions.paths).map(([pattern, [target]]) => {
  const [prefix, suffix] = pattern.split('*') as [string, string];
  const [targetPrefix, targetSuffix] = (target as string).split('*') as [string, string];
  return {
    find: new RegExp(`^${prefix}([^/]+)${suffix}$`),
    replacement: resolve(root, `${targetPrefix}$1${targetSuffix}`),
  };
});

export default defineConfig({
  root,
  resolve: { alias },
  test: {
    name: 'stack',
    include: ['test/stack/**/*.stack.test.ts'],
    // Each file boots its own stack; two at once would starve a 2-core machine.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
