import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The gateway image runs `node dist/main.js`: everything that file can reach through static and
 * dynamic imports is loaded in production. Test support (a fake API server, builders, the
 * PostgreSQL harness) must never be in that graph, so it is not in the image's memory, cannot
 * read test-only variables, and cannot be reached by a request. Walks the compiled graph the way
 * Node resolves it: relative files, and `@lateral/*` through each package's `exports`.
 */
const ROOT = resolve(import.meta.dirname, '../../..');
const ENTRY = join(ROOT, 'apps/gateway/dist/main.js');

function resolveLateral(specifier: string): string | undefined {
  const match = /^@lateral\/([^/]+)(\/.+)?$/.exec(specifier);
  if (!match) return undefined;
  const packageDir = join(ROOT, 'libs', match[1]!);
  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
    exports: Record<string, { default: string }>;
  };
  const entry = manifest.exports[`.${match[2] ?? ''}`];
  if (!entry) throw new Error(`${specifier} is not exported by its package`);
  return join(packageDir, entry.default);
}

function productionGraph(entry: string): Set<string> {
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const { fileName } of importedFiles) {
      const target = fileName.startsWith('.')
        ? resolve(dirname(file), fileName)
        : resolveLateral(fileName);
      if (target && existsSync(target)) queue.push(target);
    }
  }
  return seen;
}

describe("the gateway's production import graph", () => {
  it('loads no test support', () => {
    const graph = [...productionGraph(ENTRY)].map((f) => f.slice(ROOT.length + 1));
    // The graph really is walked: the ops view's watcher comes from @lateral/kube-status.
    expect(graph).toContain('libs/kube-status/dist/kube-status.watcher.js');
    expect(graph.filter((f) => /\/(?:testing|test)\/|libs\/testing\//.test(f))).toEqual([]);
  });
});
