import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './paths.js';

/** Vendored schemas: built-in kinds and the CRDs Lateral uses (see vendor-schemas.ts). */
export const SCHEMA_DIR = join(ROOT, 'deploy/schemas');
/** The Kubernetes minor the charts target; the vendored schemas come from this release. */
export const KUBERNETES_VERSION = '1.34.4';

/** kubeconform's own naming (`{{ .ResourceKind }}{{ .KindSuffix }}.json`), e.g. deployment-apps-v1.json. */
export function kindFileName(apiVersion: string, kind: string): string {
  const [groupOrVersion, version] = apiVersion.split('/') as [string, string | undefined];
  const group = groupOrVersion.split('.')[0] as string;
  return `${kind.toLowerCase()}-${group.toLowerCase()}${version ? `-${version.toLowerCase()}` : ''}.json`;
}

export interface KubeconformResult {
  ok: boolean;
  summary: string;
  errors: string[];
}

/**
 * Validates a multi-document YAML stream. Strict: unknown fields fail, and so does a kind with no
 * vendored schema (no `-ignore-missing-schemas`), so a new CRD cannot slip through unchecked.
 */
export function kubeconform(binary: string, manifests: string): KubeconformResult {
  const result = spawnSync(
    binary,
    [
      '-strict',
      '-summary',
      '-output',
      'json',
      '-kubernetes-version',
      KUBERNETES_VERSION,
      '-schema-location',
      join(SCHEMA_DIR, '{{ .ResourceKind }}{{ .KindSuffix }}.json'),
      '-',
    ],
    { input: manifests, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  let parsed: {
    resources?: { filename: string; kind: string; name: string; status: string; msg: string }[];
    summary?: { valid: number; invalid: number; errors: number; skipped: number };
  } = {};
  try {
    parsed = JSON.parse(result.stdout) as typeof parsed;
  } catch {
    return {
      ok: false,
      summary: 'kubeconform gave no JSON',
      errors: [result.stdout + result.stderr],
    };
  }
  const errors = (parsed.resources ?? [])
    .filter((r) => r.status !== 'statusValid')
    .map((r) => `${r.kind}/${r.name}: ${r.status} ${r.msg}`);
  const s = parsed.summary;
  return {
    ok: result.status === 0 && errors.length === 0,
    summary: s
      ? `${s.valid} valid, ${s.invalid} invalid, ${s.errors} errors, ${s.skipped} skipped`
      : '',
    errors,
  };
}
