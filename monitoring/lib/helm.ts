import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { parseAllDocuments, parse } from 'yaml';
import { CHART, DASHBOARDS_DIR, ROOT, RULES_DIR, listFiles } from './sources.js';

/** The helm the deploy tooling installs, else one on PATH. */
export function findHelm(): string | undefined {
  const local = join(ROOT, '.cache/tools/bin/helm');
  if (existsSync(local)) return local;
  const which = spawnSync('sh', ['-c', 'command -v helm'], { encoding: 'utf8' });
  return which.status === 0 ? which.stdout.trim() : undefined;
}

interface RenderedRule {
  alert?: string;
  record?: string;
  expr: string;
  labels?: Record<string, string>;
}

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
  };
  spec?: { groups: { name: string; rules: RenderedRule[] }[] };
  data?: Record<string, string>;
}

function helm(binary: string, args: string[]): { ok: boolean; out: string } {
  const result = spawnSync(binary, args, { encoding: 'utf8', cwd: ROOT });
  return { ok: result.status === 0, out: `${result.stdout}${result.stderr}` };
}

function render(binary: string, values?: object): K8sObject[] | string {
  const dir = mkdtempSync(join(tmpdir(), 'lateral-monitoring-'));
  try {
    const args = ['template', 'lateral-monitoring', CHART, '--namespace', 'lateral'];
    if (values) {
      writeFileSync(join(dir, 'values.json'), JSON.stringify(values));
      args.push('--values', join(dir, 'values.json'));
    }
    const result = helm(binary, args);
    if (!result.ok) return result.out;
    return parseAllDocuments(result.out)
      .map((d) => d.toJS() as K8sObject | null)
      .filter((d): d is K8sObject => d !== null);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `helm lint`, then the rendered objects against the sources, with defaults and overrides. */
export function checkRenderedChart(binary: string): string[] {
  const lint = helm(binary, ['lint', CHART, '--strict']);
  if (!lint.ok) return [`helm lint: ${lint.out.trim()}`];
  const errors: string[] = [];

  const objects = render(binary);
  if (typeof objects === 'string') return [`helm template: ${objects.trim()}`];
  for (const file of listFiles(RULES_DIR, '.yaml')) {
    const name = basename(file, '.yaml');
    const rule = objects.find((o) => o.kind === 'PrometheusRule' && o.metadata.name === name);
    if (!rule) errors.push(`no PrometheusRule ${name}`);
    else if (rule.apiVersion !== 'monitoring.coreos.com/v1') errors.push(`${name}: apiVersion`);
    else if (rule.metadata.labels?.release !== 'kube-prometheus-stack')
      errors.push(`${name}: no release label for kube-prometheus-stack's ruleSelector`);
    else {
      const source = parse(readFileSync(file, 'utf8')) as { groups: unknown };
      if (!isDeepStrictEqual(rule.spec?.groups, source.groups))
        errors.push(`${name}: rendered groups differ from ${file}`);
    }
  }
  for (const file of listFiles(DASHBOARDS_DIR, '.json')) {
    const key = basename(file);
    const map = objects.find((o) => o.kind === 'ConfigMap' && o.data?.[key] !== undefined);
    if (!map) errors.push(`no ConfigMap carries ${key}`);
    else if (map.metadata.labels?.grafana_dashboard !== '1')
      errors.push(`${map.metadata.name}: no grafana_dashboard: "1" label`);
    else if (
      !isDeepStrictEqual(JSON.parse(map.data?.[key] ?? ''), JSON.parse(readFileSync(file, 'utf8')))
    )
      errors.push(`${map.metadata.name}: dashboard differs from ${file}`);
  }

  // Overrides reach the objects: selectors, runbook base, extra alert labels, namespaces.
  const custom = render(binary, {
    selectors: { kubernetes: 'namespace="wiki"', argocd: 'project="wiki"', targets: 'job="wiki"' },
    runbookBaseUrl: 'https://wiki.example/runbooks',
    prometheusRules: {
      labels: { release: 'monitoring' },
      additionalAlertLabels: { team: 'wiki', severity: 'ignored' },
    },
    dashboards: { namespace: 'grafana', annotations: { grafana_folder: 'Lateral' } },
  });
  if (typeof custom === 'string') return [...errors, `helm template (overrides): ${custom.trim()}`];
  const rules = custom.filter((o) => o.kind === 'PrometheusRule');
  const text = JSON.stringify(rules);
  if (text.includes('lateral.*')) errors.push('overridden selectors still match "lateral.*"');
  if (['namespace', 'project', 'job'].some((label) => !text.includes(`${label}=\\"wiki\\"`)))
    errors.push('overridden selectors are missing from the rules');
  if (text.includes('github.com/lateral-wiki')) errors.push('runbookBaseUrl not applied');
  for (const rule of rules.flatMap((o) => o.spec?.groups.flatMap((g) => g.rules) ?? [])) {
    if (!rule.alert) continue;
    const labels = rule.labels ?? {};
    if (labels.team !== 'wiki') errors.push(`${rule.alert}: additionalAlertLabels missing`);
    if (labels.severity === 'ignored') errors.push(`${rule.alert}: severity overridden`);
  }
  if (rules.some((o) => o.metadata.labels?.release !== 'monitoring'))
    errors.push('prometheusRules.labels not applied');
  if (custom.some((o) => o.kind === 'ConfigMap' && o.metadata.namespace !== 'grafana'))
    errors.push('dashboards.namespace not applied');
  return errors;
}
