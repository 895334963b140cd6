// Writes what Argo CD would apply, one file per Application, for the pull request diff:
//   node --import ./scripts/ts-register.mjs scripts/deploy/render-envs.ts <out-dir> [repo-dir]
// With repo-dir (e.g. a worktree of the base branch) that tree is rendered with this script's
// tools, so both sides of the diff come from the same helm.
import { resolve } from 'node:path';
import { renderEnvironments } from './environments.js';
import { Helm } from './helm.js';
import { ROOT } from './paths.js';
import { writeRendered } from './render-diff.js';
import { ensureTool } from './tools.js';

const [outArg, repoArg] = process.argv.slice(2);
if (!outArg) {
  console.error('usage: render-envs.ts <out-dir> [repo-dir]');
  process.exit(2);
}
const out = resolve(outArg);
const repo = repoArg ? resolve(repoArg) : ROOT;
const rendered = renderEnvironments(new Helm(ensureTool('helm')), repo);
writeRendered(rendered, out);
console.log(`rendered ${rendered.environments.size} environments into ${out}`);
