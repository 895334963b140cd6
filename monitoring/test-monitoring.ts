/**
 * `npm run test:monitoring`: the dashboards and alert rules are current, valid, tested and only
 * read metrics that exist.
 *  1. generated files (dashboards, SLI recording rules and their test) match their sources;
 *  2. `promtool check rules` and `promtool test rules` (every alert fires and stays quiet in
 *     some test; every recording rule is checked);
 *  3. every alert has severity, summary, description and a runbook section in
 *     docs/observability.md; dashboards use the datasource variable;
 *  4. every metric and label the dashboards and rules read is in docs/metrics.md (or another
 *     exporter's, or a recording rule);
 *  5. when helm is installed: the chart lints and renders the same rules and dashboards;
 *  6. with --exported: the services, booted in-process and driven, export those metrics.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { staleFiles } from './generate.js';
import {
  checkAlertMetadata,
  checkContract,
  checkDashboards,
  checkTestCoverage,
} from './lib/checks.js';
import { readContract } from './lib/contract.js';
import { checkRenderedChart, findHelm } from './lib/helm.js';
import {
  ROOT,
  RULES_DIR,
  TESTS_DIR,
  dashboardExpressions,
  listFiles,
  readDashboards,
  readRules,
  ruleExpressions,
} from './lib/sources.js';

let failed = false;

function report(step: string, errors: string[]): void {
  if (errors.length === 0) {
    console.log(`ok   ${step}`);
    return;
  }
  failed = true;
  console.log(`FAIL ${step}`);
  for (const error of errors) console.log(`     ${error}`);
}

function run(command: string, args: string[], cwd = ROOT): { ok: boolean; output: string } {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
  if (result.error) return { ok: false, output: String(result.error) };
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
}

report(
  'generated files are current (npm run monitoring:generate)',
  (await staleFiles()).map((f) => `stale: ${f.slice(ROOT.length + 1)}`),
);

const ruleFiles = listFiles(RULES_DIR, '.yaml');
const check = run('promtool', ['check', 'rules', ...ruleFiles]);
report('promtool check rules', check.ok ? [] : [check.output.trim()]);

const testFiles = listFiles(TESTS_DIR, '.yaml');
const test = run(
  'promtool',
  ['test', 'rules', ...testFiles.map((f) => f.slice(TESTS_DIR.length + 1))],
  TESTS_DIR,
);
report(`promtool test rules (${testFiles.length} files)`, test.ok ? [] : [test.output.trim()]);

const rules = readRules();
report('every alert and recording rule is unit-tested', checkTestCoverage(rules, testFiles));
report(
  'alerts carry severity, summary, description and a runbook section',
  checkAlertMetadata(rules, join(ROOT, 'docs/observability.md')),
);
report('dashboards are portable and well-formed', checkDashboards(readDashboards()));

const contract = readContract(join(ROOT, 'docs/metrics.md'));
const recorded = new Set(rules.flatMap((r) => (r.record ? [r.record] : [])));
report(
  'dashboards and rules only read contract metrics and labels',
  checkContract(contract, [...dashboardExpressions(), ...ruleExpressions()], recorded),
);

const helm = findHelm();
if (helm) report(`chart renders with ${helm}`, checkRenderedChart(helm));
else console.log('skip chart rendering: no helm (scripts/deploy/install-tools.sh installs it)');

if (process.argv.includes('--exported')) {
  const { checkExportedMetrics } = await import('./check-exported-metrics.js');
  report(
    'the services export every metric the dashboards and rules read',
    await checkExportedMetrics(),
  );
}

process.exit(failed ? 1 : 0);
