// What a change does to the rendered manifests: every environment rendered from the working
// tree and from a git revision (`git archive`, so no checkout is touched), both with the same
// pinned helm, then a unified diff. `npm run verify:deploy -- --diff <rev>` prints it, so a
// chart refactor can show that it changes only what it means to.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderEnvironments } from './environments.js';
import { type Helm } from './helm.js';
import { ROOT } from './paths.js';

type Rendered = ReturnType<typeof renderEnvironments>;

/** One file per Application, as Argo CD would apply it (also the pull request diff's layout). */
export function writeRendered(rendered: Rendered, out: string): void {
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'bootstrap.yaml'), rendered.bootstrap.manifests);
  for (const [env, apps] of rendered.environments) {
    mkdirSync(join(out, env), { recursive: true });
    for (const app of apps) {
      writeFileSync(join(out, env, `${app.application.metadata.name}.yaml`), app.manifests);
    }
  }
}

/** The unified diff from `revision`'s render to `current`'s; empty when nothing changes. */
export function renderDiff(helm: Helm, current: Rendered, revision: string): string {
  const work = mkdtempSync(join(tmpdir(), 'lateral-render-diff-'));
  try {
    const tree = join(work, 'tree');
    mkdirSync(tree);
    const archive = spawnSync('git', ['archive', revision], { cwd: ROOT, maxBuffer: 1 << 30 });
    if (archive.status !== 0) throw new Error(`git archive ${revision}: ${String(archive.stderr)}`);
    const untar = spawnSync('tar', ['-x', '-C', tree], { input: archive.stdout });
    if (untar.status !== 0) throw new Error(`tar: ${String(untar.stderr)}`);
    writeRendered(renderEnvironments(helm, tree), join(work, revision.replace(/\W/g, '_')));
    writeRendered(current, join(work, 'working-tree'));
    const diff = spawnSync(
      'git',
      ['diff', '--no-index', '--no-color', revision.replace(/\W/g, '_'), 'working-tree'],
      { cwd: work, encoding: 'utf8', maxBuffer: 1 << 30 },
    );
    return diff.stdout;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
