import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

// NestJS 12 ships ESM-only packages, which jest loads only in its experimental VM-modules
// mode; vitest runs ESM natively. SWC (not esbuild) compiles the tests because Nest's DI needs
// `emitDecoratorMetadata`, which esbuild does not implement.

/** The `@lateral/*` alias, generated from the one in tsconfig.json so it is never hand-copied. */
function aliasesFromTsconfig(): { find: RegExp; replacement: string }[] {
  const text = readFileSync(new URL('./tsconfig.json', import.meta.url), 'utf8');
  const tsconfig = JSON.parse(text.replace(/^[ \t]*\/\/.*$/gm, '')) as {
    compilerOptions: { paths: Record<string, string[]> };
  };
  return Object.entries(tsconfig.compilerOptions.paths).map(([pattern, [target]]) => {
    const [prefix, suffix] = pattern.split('*') as [string, string];
    const [targetPrefix, targetSuffix] = (target as string).split('*') as [string, string];
    return {
      find: new RegExp(`^${prefix}([^/]+)${suffix}$`),
      replacement: resolve(import.meta.dirname, `${targetPrefix}$1${targetSuffix}`),
    };
  });
}

const shared = {
  plugins: [swc.vite({ module: { type: 'es6' } })],
  resolve: { alias: aliasesFromTsconfig() },
};

export default defineConfig({
  test: {
    projects: [
      {
        ...shared,
        test: {
          name: 'unit',
          include: ['{apps,libs}/*/src/**/*.spec.ts'],
        },
      },
      {
        ...shared,
        test: {
          name: 'integration',
          include: ['{apps,libs}/*/test/**/*.int.test.ts'],
          globalSetup: ['libs/testing/src/postgres.global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        ...shared,
        test: {
          name: 'e2e',
          include: ['{apps,libs}/*/test/**/*.e2e.test.ts'],
          globalSetup: ['libs/testing/src/postgres.global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
