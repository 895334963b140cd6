import { PROBE_ROUTES } from '../slo.js';
import { timeseries, q, type Panel, type Row } from './grafana.js';

/** PromQL fragments the dashboards share. `sel` is a list of label matchers without braces. */

export const HTTP = 'http_server_request_duration_seconds';
export const NOT_PROBE = `route!~"${PROBE_ROUTES}"`;

export const rate = (metric: string, sel: string) => `rate(${metric}{${sel}}[$__rate_interval])`;

export const sumRate = (by: string, metric: string, sel: string) =>
  `sum by (${by}) (${rate(metric, sel)})`;

export const quantile = (phi: number, histogram: string, by: string, sel: string) =>
  `histogram_quantile(${phi}, sum by (le, ${by}) (${rate(`${histogram}_bucket`, sel)}))`;

/** 5xx share; `or 0 * all` so a service that never failed shows 0 rather than no data. */
export function errorRatio(by: string, sel: string): string {
  const all = sumRate(by, `${HTTP}_count`, sel);
  return `(${sumRate(by, `${HTTP}_count`, `${sel}, status_code=~"5.."`)} or 0 * ${all}) / ${all}`;
}

/** p50, p95 and p99 of one histogram in one panel. */
export function percentiles(
  title: string,
  histogram: string,
  by: string,
  sel: string,
  legend: string,
  description: string,
  width = 12,
): Panel {
  return timeseries(
    title,
    [0.5, 0.95, 0.99].map((phi) =>
      q(quantile(phi, histogram, by, sel), `p${Math.round(phi * 100)} ${legend}`),
    ),
    { unit: 's', description, width },
  );
}

/** The RED row of a service dashboard: per route, so a slow or failing route stands out. */
export function redRow(sel: string): Row {
  const s = `${sel}, ${NOT_PROBE}`;
  return {
    title: 'Requests (probes excluded)',
    panels: [
      timeseries('Request rate by route', [q(sumRate('route', `${HTTP}_count`, s), '{{route}}')], {
        unit: 'reqps',
        stack: true,
        description: 'Answers per second by route template, every status code included.',
      }),
      timeseries(
        'Responses by status code',
        [q(sumRate('status_code', `${HTTP}_count`, s), '{{status_code}}')],
        {
          unit: 'reqps',
          stack: true,
          description: '4xx are client mistakes; 5xx spend the availability error budget.',
        },
      ),
      timeseries('5xx ratio by route', [q(errorRatio('route', s), '{{route}}')], {
        unit: 'percentunit',
        min: 0,
        description: 'Share of answers that were 5xx, per route.',
      }),
      timeseries('p99 latency by route', [q(quantile(0.99, HTTP, 'route', s), '{{route}}')], {
        unit: 's',
        description: 'Estimated from histogram buckets; the interactive latency SLO is 250 ms.',
      }),
    ],
  };
}

/** Event loop, memory and CPU of each pod: the Node runtime's saturation signals. */
export function runtimeRow(sel: string): Row {
  return {
    title: 'Runtime',
    panels: [
      timeseries('Event loop lag p99', [q(`nodejs_eventloop_lag_p99_seconds{${sel}}`, '{{pod}}')], {
        unit: 's',
        width: 8,
        description: 'Above ~100 ms something blocks the event loop (sync work, a big JSON).',
      }),
      timeseries(
        'Memory',
        [
          q(`process_resident_memory_bytes{${sel}}`, 'rss {{pod}}'),
          q(`nodejs_heap_size_used_bytes{${sel}}`, 'heap used {{pod}}'),
        ],
        { unit: 'bytes', width: 8, description: 'Resident set size and V8 heap in use.' },
      ),
      timeseries('CPU', [q(rate('process_cpu_seconds_total', sel), '{{pod}}')], {
        unit: 'short',
        width: 8,
        description: 'CPU cores in use per pod.',
      }),
    ],
  };
}

/** The database pool of notes or media. */
export function poolRow(sel: string): Row {
  return {
    title: 'Database pool',
    panels: [
      timeseries(
        'Pool connections',
        [
          q(`sum by (pod, state) (lateral_db_pool_connections{${sel}})`, '{{state}} {{pod}}'),
          q(`max by (pod) (lateral_db_pool_max_connections{${sel}})`, 'max {{pod}}'),
        ],
        { unit: 'short', width: 12, description: 'In use and idle connections against the bound.' },
      ),
      timeseries(
        'Queries waiting for a connection',
        [q(`sum by (pod) (lateral_db_pool_waiting_requests{${sel}})`, '{{pod}}')],
        {
          unit: 'short',
          width: 12,
          threshold: 1,
          description:
            'Saturation: any sustained wait means the pool is too small or queries too slow.',
        },
      ),
    ],
  };
}

/** Counted events (refusals, restarts) read better as stacked bars than as lines. */
export function bars(
  title: string,
  expr: string,
  legend: string,
  description: string,
  width = 12,
): Panel {
  return timeseries(title, [q(expr, legend)], {
    unit: 'ops',
    bars: true,
    stack: true,
    description,
    width,
  });
}
