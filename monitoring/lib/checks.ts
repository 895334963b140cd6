import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import {
  allowedLabels,
  contractEntry,
  isDefaultMetric,
  isExternal,
  TARGET_LABELS,
  type Contract,
} from './contract.js';
import { groupingLabels, metricNames, selectors } from './promql.js';
import { type Expression, type GrafanaDashboard, type Rule } from './sources.js';

/**
 * Every metric an expression reads is in the metrics contract, a default Node metric, another
 * exporter's series, or one of our recording rules; and selectors only use labels it has.
 */
export function checkContract(
  contract: Contract,
  expressions: Expression[],
  recorded: Set<string>,
): string[] {
  const errors: string[] = [];
  for (const { where, expr } of expressions) {
    const names = metricNames(expr);
    for (const name of names) {
      const known =
        contractEntry(contract, name) !== undefined ||
        isDefaultMetric(contract, name) ||
        isExternal(name) ||
        recorded.has(name);
      if (!known) errors.push(`${where}: ${name} is not in docs/metrics.md nor a known series`);
    }
    for (const { metric, labels } of selectors(expr)) {
      const allowed = recorded.has(metric)
        ? new Set(['namespace', 'service'])
        : allowedLabels(contract, metric);
      if (!allowed) continue;
      for (const label of labels) {
        if (!allowed.has(label)) errors.push(`${where}: ${metric} has no label "${label}"`);
      }
    }
    // Grouping labels must exist on some metric of the expression (skipped when another
    // exporter's series, whose labels we do not list, takes part).
    if ([...names].some((n) => isExternal(n) || isDefaultMetric(contract, n))) continue;
    const union = new Set<string>(['le', ...TARGET_LABELS]);
    for (const name of names) for (const l of allowedLabels(contract, name) ?? []) union.add(l);
    for (const label of groupingLabels(expr)) {
      if (!union.has(label)) errors.push(`${where}: groups by "${label}", which no metric has`);
    }
  }
  return errors;
}

interface PromtoolTestFile {
  rule_files: string[];
  tests: {
    name?: string;
    alert_rule_test?: { alertname: string; exp_alerts?: unknown[] }[];
    promql_expr_test?: { expr: string }[];
  }[];
}

/** Every alert has a test where it fires and one where it stays quiet; every record is read. */
export function checkTestCoverage(rules: Rule[], testFiles: string[]): string[] {
  const firing = new Set<string>();
  const quiet = new Set<string>();
  const queried = new Set<string>();
  for (const file of testFiles) {
    const doc = parse(readFileSync(file, 'utf8')) as PromtoolTestFile;
    for (const test of doc.tests) {
      for (const t of test.alert_rule_test ?? []) {
        ((t.exp_alerts ?? []).length > 0 ? firing : quiet).add(t.alertname);
      }
      for (const t of test.promql_expr_test ?? []) {
        for (const name of metricNames(t.expr)) queried.add(name);
      }
    }
  }
  const errors: string[] = [];
  for (const rule of rules) {
    if (rule.alert && !firing.has(rule.alert))
      errors.push(`alert ${rule.alert} has no promtool test where it fires`);
    if (rule.alert && !quiet.has(rule.alert))
      errors.push(`alert ${rule.alert} has no promtool test where it stays quiet`);
    if (rule.record && !queried.has(rule.record))
      errors.push(`recording rule ${rule.record} is not checked by a promql_expr_test`);
  }
  return errors;
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes. */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  for (const line of markdown.split('\n')) {
    const heading = /^#{1,6}\s(.*)$/.exec(line);
    if (!heading) continue;
    anchors.add(
      (heading[1] as string)
        .trim()
        .toLowerCase()
        .replace(/[^\w\- ]/g, '')
        .replace(/ /g, '-'),
    );
  }
  return anchors;
}

/** Every alert carries severity, summary, description and a runbook section that exists. */
export function checkAlertMetadata(rules: Rule[], docsPath: string): string[] {
  const anchors = headingAnchors(readFileSync(docsPath, 'utf8'));
  const errors: string[] = [];
  for (const rule of rules.filter((r) => r.alert)) {
    const name = rule.alert as string;
    if (!['critical', 'warning'].includes(rule.labels?.severity ?? ''))
      errors.push(`alert ${name}: severity must be critical or warning`);
    for (const key of ['summary', 'description', 'runbook_url']) {
      if (!rule.annotations?.[key]) errors.push(`alert ${name}: no ${key} annotation`);
    }
    const anchor = /#([\w-]+)$/.exec(rule.annotations?.runbook_url ?? '')?.[1];
    if (!anchor || !anchors.has(anchor))
      errors.push(`alert ${name}: runbook anchor #${anchor ?? ''} is not a heading of ${docsPath}`);
  }
  return errors;
}

/** The dashboards are portable: datasource variable, stable uids, unique panel ids. */
export function checkDashboards(
  dashboards: { file: string; dashboard: GrafanaDashboard }[],
): string[] {
  const errors: string[] = [];
  const uids = new Set<string>();
  for (const { file, dashboard } of dashboards) {
    const at = `${file}:`;
    if (uids.has(dashboard.uid)) errors.push(`${at} duplicate uid ${dashboard.uid}`);
    uids.add(dashboard.uid);
    if (!(dashboard.schemaVersion >= 36))
      errors.push(`${at} schemaVersion ${dashboard.schemaVersion}`);
    const ds = dashboard.templating.list.find((v) => v.name === 'datasource');
    if (ds?.type !== 'datasource' || ds.query !== 'prometheus')
      errors.push(`${at} needs a "datasource" variable of type datasource (prometheus)`);
    const ids = new Set<number>();
    for (const panel of dashboard.panels) {
      if (ids.has(panel.id)) errors.push(`${at} duplicate panel id ${panel.id}`);
      ids.add(panel.id);
      if (panel.type === 'row') continue;
      if (panel.datasource?.uid !== '${datasource}')
        errors.push(`${at} panel "${panel.title}" does not use \${datasource}`);
      if (!panel.targets?.length) errors.push(`${at} panel "${panel.title}" has no query`);
      for (const target of panel.targets ?? []) {
        if (target.datasource?.uid !== '${datasource}')
          errors.push(`${at} a query of "${panel.title}" does not use \${datasource}`);
        if (/\b(?:rate|increase)\([^[]*\[(?!\$__rate_interval\])/.test(target.expr ?? ''))
          errors.push(`${at} "${panel.title}" should use [$__rate_interval]`);
      }
    }
  }
  return errors;
}
