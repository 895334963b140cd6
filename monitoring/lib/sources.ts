import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

export const ROOT = resolve(import.meta.dirname, '../..');
export const CHART = join(ROOT, 'helm/lateral-monitoring');
export const RULES_DIR = join(CHART, 'rules');
export const DASHBOARDS_DIR = join(CHART, 'dashboards');
export const TESTS_DIR = join(ROOT, 'monitoring/tests');

export interface Rule {
  file: string;
  group: string;
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** A PromQL expression and where it comes from (for error messages). */
export interface Expression {
  where: string;
  expr: string;
  /** The service a per-service dashboard shows; its metrics must come from that service. */
  service?: string;
}

export function listFiles(dir: string, extension: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(extension))
    .sort()
    .map((f) => join(dir, f));
}

export function readRules(): Rule[] {
  const rules: Rule[] = [];
  for (const file of listFiles(RULES_DIR, '.yaml')) {
    const doc = parse(readFileSync(file, 'utf8')) as {
      groups: { name: string; rules: Omit<Rule, 'file' | 'group'>[] }[];
    };
    for (const group of doc.groups) {
      for (const rule of group.rules) rules.push({ ...rule, file, group: group.name });
    }
  }
  return rules;
}

interface GrafanaTarget {
  expr?: string;
  datasource?: { type?: string; uid?: string };
}
interface GrafanaPanel {
  id: number;
  type: string;
  title: string;
  datasource?: { type?: string; uid?: string };
  targets?: GrafanaTarget[];
}
export interface GrafanaDashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  panels: GrafanaPanel[];
  templating: { list: { name: string; type: string; query: unknown; definition?: string }[] };
  annotations: { list: { name: string; expr?: string }[] };
}

export function readDashboards(): { file: string; dashboard: GrafanaDashboard }[] {
  return listFiles(DASHBOARDS_DIR, '.json').map((file) => ({
    file,
    dashboard: JSON.parse(readFileSync(file, 'utf8')) as GrafanaDashboard,
  }));
}

/** Per-service dashboards by uid; the overview and rollout views read every service. */
const DASHBOARD_SERVICE: Record<string, string> = {
  'lateral-gateway': 'gateway',
  'lateral-notes': 'notes',
  'lateral-media': 'media',
};

export function dashboardExpressions(): Expression[] {
  const found: Expression[] = [];
  for (const { dashboard } of readDashboards()) {
    const service = DASHBOARD_SERVICE[dashboard.uid];
    const at = (what: string) => `dashboard ${dashboard.uid}: ${what}`;
    for (const panel of dashboard.panels) {
      for (const target of panel.targets ?? []) {
        if (target.expr)
          found.push({ where: at(`panel "${panel.title}"`), expr: target.expr, service });
      }
    }
    for (const variable of dashboard.templating.list) {
      if (variable.type !== 'query') continue;
      const query =
        typeof variable.query === 'string'
          ? variable.query
          : ((variable.query as { query?: string }).query ?? '');
      found.push({ where: at(`variable $${variable.name}`), expr: query, service });
    }
    for (const annotation of dashboard.annotations.list) {
      if (annotation.expr)
        found.push({ where: at(`annotation ${annotation.name}`), expr: annotation.expr, service });
    }
  }
  return found;
}

export function ruleExpressions(): Expression[] {
  return readRules().map((rule) => ({
    where: `rule ${rule.alert ?? rule.record ?? '?'} (${rule.group})`,
    expr: rule.expr,
  }));
}
