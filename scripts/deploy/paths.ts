import { join } from 'node:path';

/** The repository root (scripts/deploy/ is two levels down). */
export const ROOT = join(import.meta.dirname, '../..');
export const HELM_DIR = join(ROOT, 'helm');
export const ARGOCD_DIR = join(ROOT, 'argocd');
export const ENVS_DIR = join(ROOT, 'deploy/envs');
export const WORKFLOWS_DIR = join(ROOT, '.github/workflows');
/** Where `verify:deploy` installs its pinned tools (gitignored via `.cache/`). */
export const TOOLS_BIN = join(ROOT, '.cache/tools/bin');
