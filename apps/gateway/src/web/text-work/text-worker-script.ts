import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The folders (under src/web) whose modules the text worker loads. */
const WORKER_SOURCES = ['html.ts', 'diff', 'markdown', 'text-work'];

let compiled: URL | undefined;

/**
 * The text worker's module. From dist/ it is the compiled `text-worker.js` beside this file.
 * From TypeScript sources (the test runner) a worker cannot load .ts, and Node 20 crashes when
 * a second worker registers module hooks (the repo's SWC loader) after a first one ended; so
 * the worker's few folders are compiled with SWC into node_modules/.cache (where its packages,
 * diff and markdown-it, still resolve), in a folder named by a hash of the sources: test
 * processes running at once share it, and each file is written whole (rename) or not at all.
 */
export function textWorkerEntry(): URL {
  if (!import.meta.url.endsWith('.ts')) return new URL('./text-worker.js', import.meta.url);
  compiled ??= compileWorkerSources();
  return compiled;
}

function compileWorkerSources(): URL {
  const web = fileURLToPath(new URL('../', import.meta.url));
  const root = fileURLToPath(new URL('../../../../../', import.meta.url));
  const files = WORKER_SOURCES.flatMap((name) =>
    name.endsWith('.ts')
      ? [join(web, name)]
      : readdirSync(join(web, name), { recursive: true, encoding: 'utf8' })
          .filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'))
          .map((f) => join(web, name, f)),
  );
  const sources = files.map((file) => ({ file, text: readFileSync(file, 'utf8') }));
  const hash = createHash('sha256');
  for (const { file, text } of sources) hash.update(`${relative(web, file)}\0${text}\0`);
  const out = join(root, 'node_modules', '.cache', 'lateral-text-worker', hash.digest('hex'));
  const done = join(out, 'package.json');
  if (!existsSync(done)) {
    // A devDependency, needed only here (never from dist/).
    const swc = createRequire(import.meta.url)('@swc/core') as typeof import('@swc/core');
    const write = (target: string, text: string) => {
      mkdirSync(dirname(target), { recursive: true });
      const temporary = `${target}.${process.pid}.tmp`;
      writeFileSync(temporary, text);
      renameSync(temporary, target);
    };
    for (const { file, text } of sources) {
      const { code } = swc.transformSync(text, {
        filename: file,
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'es6' },
      });
      write(join(out, relative(web, file)).replace(/\.ts$/, '.js'), code);
    }
    write(done, '{ "type": "module" }\n');
  }
  return pathToFileURL(join(out, 'text-work', 'text-worker.js'));
}
