// Runs TypeScript sources directly (benchmarks, dev scripts): `node --import ./scripts/ts-register.mjs file.ts`.
// SWC, not esbuild/tsx, because Nest's DI needs emitDecoratorMetadata. Production runs compiled dist/.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { transform } from '@swc/core';

const ROOT = new URL('../', import.meta.url);

export async function resolve(specifier, context, nextResolve) {
  // Workspace packages (and their `/testing` entry) resolve to their TypeScript sources, like
  // the tsconfig alias.
  const lib = /^@lateral\/([^/]+)(\/testing)?$/.exec(specifier);
  if (lib) {
    for (const dir of ['libs', 'apps']) {
      const url = new URL(`${dir}/${lib[1]}/src/${lib[2] ? 'testing/' : ''}index.ts`, ROOT);
      if (existsSync(url)) return { url: url.href, shortCircuit: true };
    }
  }
  // ESM sources import siblings as `./x.js`; map that to `./x.ts` when only the .ts exists.
  if (
    specifier.endsWith('.js') &&
    (specifier.startsWith('.') || specifier.startsWith('/')) &&
    context.parentURL?.endsWith('.ts')
  ) {
    const ts = new URL(specifier.replace(/\.js$/, '.ts'), context.parentURL);
    if (existsSync(ts)) return { url: ts.href, shortCircuit: true };
  }
  return nextResolve(specifier, context);
}

export async function load(url, context, nextLoad) {
  if (!url.endsWith('.ts') || url.includes('/node_modules/')) return nextLoad(url, context);
  const path = fileURLToPath(url);
  const source = await readFile(path, 'utf8');
  const { code } = await transform(source, {
    filename: path,
    sourceMaps: 'inline',
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'es6' },
  });
  return { format: 'module', source: code, shortCircuit: true };
}
