/**
 * A small builder for Grafana dashboard JSON (schema 39, Grafana 10.x/11.x), so the five
 * dashboards share one datasource variable, one layout rule and one deploy-marker annotation.
 */

export const DATASOURCE = { type: 'prometheus', uid: '${datasource}' } as const;

export type Unit =
  'reqps' | 'ops' | 's' | 'percentunit' | 'bytes' | 'Bps' | 'short' | 'none' | 'percent';

export interface Query {
  expr: string;
  legend?: string;
  /** Table panels read the current value only. */
  instant?: boolean;
}

export interface PanelOptions {
  description?: string;
  unit?: Unit;
  /** Width in grid columns (of 24); height is the row's. */
  width?: number;
  stack?: boolean;
  min?: number;
  max?: number;
  /** A red threshold line (e.g. the SLO burn rate that pages). */
  threshold?: number;
  /** Bars suit counts of events (restarts, rejections) better than lines. */
  bars?: boolean;
}

export interface Panel {
  kind: 'timeseries' | 'stat' | 'table';
  title: string;
  queries: Query[];
  options: PanelOptions;
}

export interface Row {
  title: string;
  height?: number;
  panels: Panel[];
  collapsed?: boolean;
}

export const timeseries = (title: string, queries: Query[], options: PanelOptions = {}): Panel => ({
  kind: 'timeseries',
  title,
  queries,
  options,
});
export const stat = (title: string, queries: Query[], options: PanelOptions = {}): Panel => ({
  kind: 'stat',
  title,
  queries,
  options,
});
export const table = (title: string, queries: Query[], options: PanelOptions = {}): Panel => ({
  kind: 'table',
  title,
  queries: queries.map((q) => ({ ...q, instant: true })),
  options,
});

export const q = (expr: string, legend?: string): Query => ({ expr, legend });

export interface Variable {
  name: string;
  label: string;
  /** `label_values(metric{...}, label)`. */
  query: string;
  multi?: boolean;
  includeAll?: boolean;
}

export interface DashboardSpec {
  uid: string;
  title: string;
  description: string;
  variables: Variable[];
  rows: Row[];
  /** The label matchers for deploy markers, e.g. `namespace=~"$namespace"`. */
  deployMarkerSelector: string;
}

const REF_IDS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

function fieldConfig(panel: Panel): Record<string, unknown> {
  const { unit = 'short', min, max, threshold, stack, bars } = panel.options;
  const steps: { color: string; value: number | null }[] = [{ color: 'green', value: null }];
  if (threshold !== undefined) steps.push({ color: 'red', value: threshold });
  const defaults: Record<string, unknown> = {
    unit,
    thresholds: { mode: 'absolute', steps },
    color: { mode: panel.kind === 'stat' ? 'thresholds' : 'palette-classic' },
  };
  if (min !== undefined) defaults.min = min;
  if (max !== undefined) defaults.max = max;
  if (panel.kind === 'timeseries') {
    defaults.custom = {
      drawStyle: bars ? 'bars' : 'line',
      lineWidth: 1,
      fillOpacity: stack || bars ? 60 : 10,
      showPoints: 'never',
      spanNulls: false,
      stacking: { mode: stack ? 'normal' : 'none', group: 'A' },
      thresholdsStyle: { mode: threshold === undefined ? 'off' : 'line' },
    };
  }
  return { defaults, overrides: [] };
}

function panelOptions(panel: Panel): Record<string, unknown> {
  switch (panel.kind) {
    case 'timeseries':
      return {
        legend: {
          displayMode: 'table',
          placement: 'bottom',
          calcs: ['mean', 'max', 'lastNotNull'],
        },
        tooltip: { mode: 'multi', sort: 'desc' },
      };
    case 'stat':
      return {
        reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
        colorMode: 'value',
        graphMode: 'area',
        textMode: 'auto',
      };
    case 'table':
      return { showHeader: true, cellHeight: 'sm', footer: { show: false } };
  }
}

function buildPanel(panel: Panel, id: number, gridPos: Record<string, number>): object {
  const targets = panel.queries.map((query, i) => ({
    datasource: DATASOURCE,
    refId: REF_IDS[i],
    expr: query.expr,
    legendFormat: query.legend ?? '__auto',
    range: !query.instant,
    instant: Boolean(query.instant),
    format: query.instant ? 'table' : 'time_series',
  }));
  const built: Record<string, unknown> = {
    id,
    type: panel.kind,
    title: panel.title,
    description: panel.options.description ?? '',
    datasource: DATASOURCE,
    gridPos,
    targets,
    fieldConfig: fieldConfig(panel),
    options: panelOptions(panel),
  };
  if (panel.kind === 'table') {
    // One row per label set, one column per query ("Value #A", "Value #B", ...).
    built.transformations = [
      { id: 'merge', options: {} },
      { id: 'organize', options: { excludeByName: { Time: true } } },
    ];
  }
  return built;
}

function buildVariable(v: Variable): object {
  return {
    name: v.name,
    label: v.label,
    type: 'query',
    datasource: DATASOURCE,
    definition: v.query,
    query: { query: v.query, refId: `${v.name}-variable` },
    refresh: 2,
    sort: 1,
    multi: v.multi ?? false,
    includeAll: v.includeAll ?? false,
    allValue: v.includeAll ? '.*' : null,
    current: v.includeAll ? { selected: true, text: 'All', value: '$__all' } : {},
    hide: 0,
    regex: '',
    options: [],
  };
}

/** Deploy markers: a version that was not running 10 minutes earlier. */
export function deployMarkerQuery(selector: string): string {
  const info = `lateral_build_info{${selector}}`;
  return `count by (service, version, git_sha) (${info}) unless count by (service, version, git_sha) (${info} offset 10m)`;
}

export function buildDashboard(spec: DashboardSpec): object {
  const panels: object[] = [];
  let id = 1;
  let y = 0;
  for (const row of spec.rows) {
    const height = row.height ?? 8;
    panels.push({
      id: id++,
      type: 'row',
      title: row.title,
      collapsed: false,
      gridPos: { h: 1, w: 24, x: 0, y },
      panels: [],
    });
    y += 1;
    let x = 0;
    for (const panel of row.panels) {
      const w = panel.options.width ?? 12;
      if (x + w > 24) {
        x = 0;
        y += height;
      }
      panels.push(buildPanel(panel, id++, { h: height, w, x, y }));
      x += w;
    }
    y += height;
  }
  return {
    uid: spec.uid,
    title: spec.title,
    description: spec.description,
    tags: ['lateral'],
    timezone: 'browser',
    editable: true,
    graphTooltip: 1,
    schemaVersion: 39,
    version: 1,
    refresh: '30s',
    time: { from: 'now-6h', to: 'now' },
    timepicker: {},
    fiscalYearStartMonth: 0,
    liveNow: false,
    links: [
      {
        title: 'Lateral dashboards',
        type: 'dashboards',
        tags: ['lateral'],
        asDropdown: true,
        includeVars: true,
        keepTime: true,
      },
    ],
    annotations: {
      list: [
        {
          builtIn: 1,
          datasource: { type: 'grafana', uid: '-- Grafana --' },
          enable: true,
          hide: true,
          iconColor: 'rgba(0, 211, 255, 1)',
          name: 'Annotations & Alerts',
          type: 'dashboard',
        },
        {
          name: 'Deploys',
          datasource: DATASOURCE,
          enable: true,
          hide: false,
          iconColor: 'purple',
          expr: deployMarkerQuery(spec.deployMarkerSelector),
          step: '1m',
          titleFormat: 'deploy {{service}} {{version}}',
          textFormat: 'git {{git_sha}}',
          tagKeys: 'service,version',
          useValueForTime: false,
        },
      ],
    },
    templating: {
      list: [
        {
          name: 'datasource',
          label: 'Data source',
          type: 'datasource',
          query: 'prometheus',
          current: {},
          hide: 0,
          refresh: 1,
          regex: '',
          options: [],
        },
        ...spec.variables.map(buildVariable),
      ],
    },
    panels,
  };
}
