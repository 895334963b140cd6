import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { KUBERNETES_VERSION } from './kubeconform.js';

/**
 * The operators' APIs a Lateral cluster is documented to have (docs/deploy.md, Bootstrap a
 * cluster). Argo CD renders with the destination cluster's API versions; off-cluster rendering
 * names them, so the environments render as on such a cluster. The charts leave a ServiceMonitor
 * out, and refuse a CloudNativePG database, on a cluster without them.
 */
export const OPERATOR_APIS = [
  'monitoring.coreos.com/v1/ServiceMonitor',
  'monitoring.coreos.com/v1/PrometheusRule',
  'postgresql.cnpg.io/v1/Cluster',
  'bitnami.com/v1alpha1/SealedSecret',
  'gateway.networking.k8s.io/v1/HTTPRoute',
];

export interface HelmResult {
  ok: boolean;
  out: string;
}

export class Helm {
  constructor(private readonly binary: string) {}

  run(args: string[], cwd?: string): HelmResult {
    const result = spawnSync(this.binary, args, {
      encoding: 'utf8',
      cwd,
      maxBuffer: 64 * 1024 * 1024,
    });
    return {
      ok: result.status === 0,
      out: result.status === 0 ? result.stdout : `${result.stdout}${result.stderr}`,
    };
  }

  /** Packs file:// dependencies (the library chart) into charts/, as Argo CD does before rendering. */
  dependencyBuild(chartDir: string): HelmResult {
    const chart = parse(readFileSync(join(chartDir, 'Chart.yaml'), 'utf8')) as {
      dependencies?: unknown[];
    };
    if (!chart.dependencies?.length) return { ok: true, out: '' };
    return this.run(['dependency', 'build', '--skip-refresh', chartDir]);
  }

  lint(chartDir: string, valueFiles: string[] = [], sets: string[] = []): HelmResult {
    return this.run([
      'lint',
      '--strict',
      chartDir,
      ...valueFiles.flatMap((f) => ['--values', f]),
      ...sets.flatMap((s) => ['--set', s]),
    ]);
  }

  template(options: {
    chartDir: string;
    releaseName: string;
    namespace: string;
    valueFiles: string[];
    sets: string[];
    /** The cluster's CRD-backed APIs; default: every operator's (OPERATOR_APIS). */
    apiVersions?: string[];
  }): HelmResult {
    return this.run([
      'template',
      options.releaseName,
      options.chartDir,
      '--namespace',
      options.namespace,
      '--kube-version',
      KUBERNETES_VERSION,
      ...(options.apiVersions ?? OPERATOR_APIS).flatMap((a) => ['--api-versions', a]),
      ...options.valueFiles.flatMap((f) => ['--values', f]),
      ...options.sets.flatMap((s) => ['--set', s]),
    ]);
  }
}

export function isChart(dir: string): boolean {
  return existsSync(join(dir, 'Chart.yaml'));
}
