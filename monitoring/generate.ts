/**
 * Writes the generated monitoring sources into the chart: the Grafana dashboards and the SLI
 * recording rules. `--check` writes nothing and fails when a committed file is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { buildDashboard, type DashboardSpec } from './dashboards/grafana.js';
import { overview } from './dashboards/overview.js';
import { rollout } from './dashboards/rollout.js';
import { gateway, media, notes } from './dashboards/services.js';
import { sloRecordingTest } from './rules/slo-recording-test.js';
import { sloRecordingRules } from './rules/slo-recording.js';

export const ROOT = resolve(import.meta.dirname, '..');
export const CHART = resolve(ROOT, 'helm/lateral-monitoring');

export const DASHBOARDS: { file: string; spec: DashboardSpec; service?: string }[] = [
  { file: 'lateral-overview.json', spec: overview },
  { file: 'lateral-gateway.json', spec: gateway, service: 'gateway' },
  { file: 'lateral-notes.json', spec: notes, service: 'notes' },
  { file: 'lateral-media.json', spec: media, service: 'media' },
  { file: 'lateral-rollout.json', spec: rollout },
];

async function pretty(path: string, text: string, parser: 'json' | 'yaml'): Promise<string> {
  const config = (await resolveConfig(path)) ?? {};
  return format(text, { ...config, parser });
}

export async function generatedFiles(): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const { file, spec } of DASHBOARDS) {
    const path = resolve(CHART, 'dashboards', file);
    files.set(path, await pretty(path, JSON.stringify(buildDashboard(spec)), 'json'));
  }
  const rules = resolve(CHART, 'rules/lateral-slo-recording.yaml');
  files.set(rules, await pretty(rules, sloRecordingRules(), 'yaml'));
  const test = resolve(ROOT, 'monitoring/tests/slo-recording.test.yaml');
  files.set(test, await pretty(test, sloRecordingTest(), 'yaml'));
  return files;
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** The generated files whose committed content differs from what the sources produce. */
export async function staleFiles(): Promise<string[]> {
  const stale: string[] = [];
  for (const [path, text] of await generatedFiles()) if (read(path) !== text) stale.push(path);
  return stale;
}

async function main(): Promise<void> {
  if (process.argv.includes('--check')) {
    const stale = await staleFiles();
    if (stale.length > 0) {
      console.error(
        `stale generated files (run npm run monitoring:generate):\n${stale.join('\n')}`,
      );
      process.exit(1);
    }
    return;
  }
  for (const [path, text] of await generatedFiles()) {
    if (read(path) !== text) {
      writeFileSync(path, text);
      console.log(`wrote ${path.slice(ROOT.length + 1)}`);
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
