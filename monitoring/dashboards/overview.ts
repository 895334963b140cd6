import { AVAILABILITY_OBJECTIVE, LATENCY_OBJECTIVE, RECORDED } from '../slo.js';
import { q, stat, table, timeseries, type DashboardSpec } from './grafana.js';
import { HTTP, NOT_PROBE, errorRatio, quantile, rate, sumRate } from './queries.js';

const SEL = 'namespace=~"$namespace", service=~"$service"';
const S = `${SEL}, ${NOT_PROBE}`;
const AVAILABILITY_BUDGET = +(1 - AVAILABILITY_OBJECTIVE).toFixed(6);
const LATENCY_BUDGET = +(1 - LATENCY_OBJECTIVE).toFixed(6);

export const overview: DashboardSpec = {
  uid: 'lateral-overview',
  title: 'Lateral / Overview',
  description: 'Rate, errors, latency and saturation of gateway, notes and media.',
  deployMarkerSelector: SEL,
  variables: [
    { name: 'namespace', label: 'Namespace', query: 'label_values(lateral_build_info, namespace)' },
    {
      name: 'service',
      label: 'Service',
      query: 'label_values(lateral_build_info{namespace=~"$namespace"}, service)',
      multi: true,
      includeAll: true,
    },
  ],
  rows: [
    {
      title: 'Service level objectives (last hour)',
      height: 6,
      panels: [
        stat('Availability', [q(`1 - ${RECORDED.errorRatio('1h')}{${SEL}}`, '{{service}}')], {
          unit: 'percentunit',
          width: 6,
          threshold: AVAILABILITY_OBJECTIVE,
          description: `Share of requests without a 5xx; the objective is ${AVAILABILITY_OBJECTIVE * 100}% over 30 days.`,
        }),
        stat(
          'Within latency threshold',
          [q(`1 - ${RECORDED.slowRatio('1h')}{${SEL}}`, '{{service}}')],
          {
            unit: 'percentunit',
            width: 6,
            threshold: LATENCY_OBJECTIVE,
            description: `Share of requests within their route class threshold; the objective is ${LATENCY_OBJECTIVE * 100}%.`,
          },
        ),
        timeseries(
          'Availability budget burn rate',
          [
            q(`${RECORDED.errorRatio('1h')}{${SEL}} / ${AVAILABILITY_BUDGET}`, '1h {{service}}'),
            q(`${RECORDED.errorRatio('6h')}{${SEL}} / ${AVAILABILITY_BUDGET}`, '6h {{service}}'),
          ],
          {
            unit: 'short',
            width: 6,
            threshold: 14.4,
            description: '1 = spending the 30-day budget exactly; 14.4 over 1h pages.',
          },
        ),
        timeseries(
          'Latency budget burn rate',
          [
            q(`${RECORDED.slowRatio('1h')}{${SEL}} / ${LATENCY_BUDGET}`, '1h {{service}}'),
            q(`${RECORDED.slowRatio('6h')}{${SEL}} / ${LATENCY_BUDGET}`, '6h {{service}}'),
          ],
          {
            unit: 'short',
            width: 6,
            threshold: 14.4,
            description: '1 = spending the 30-day budget exactly; 14.4 over 1h pages.',
          },
        ),
      ],
    },
    {
      title: 'Traffic and errors (probes excluded)',
      panels: [
        timeseries('Request rate', [q(sumRate('service', `${HTTP}_count`, S), '{{service}}')], {
          unit: 'reqps',
          width: 8,
          description: 'Answers per second, every status code included.',
        }),
        timeseries('5xx ratio', [q(errorRatio('service', S), '{{service}}')], {
          unit: 'percentunit',
          width: 8,
          min: 0,
          threshold: AVAILABILITY_BUDGET,
          description: 'Share of answers that were 5xx. The red line is the 30-day budget.',
        }),
        timeseries(
          'Responses by status code',
          [q(sumRate('service, status_code', `${HTTP}_count`, S), '{{service}} {{status_code}}')],
          { unit: 'reqps', width: 8, stack: true, description: '4xx are client mistakes.' },
        ),
      ],
    },
    {
      title: 'Latency by service',
      panels: [0.5, 0.95, 0.99].map((phi) =>
        timeseries(
          `p${Math.round(phi * 100)} latency`,
          [q(quantile(phi, HTTP, 'service', S), '{{service}}')],
          { unit: 's', width: 8, description: 'Estimated from the histogram buckets.' },
        ),
      ),
    },
    {
      title: 'Per route',
      height: 9,
      panels: [
        timeseries(
          'p99 latency by route',
          [q(quantile(0.99, HTTP, 'service, route', S), '{{service}} {{route}}')],
          { unit: 's', description: '`__unmatched__` collects requests that matched no route.' },
        ),
        timeseries(
          'p95 latency by route',
          [q(quantile(0.95, HTTP, 'service, route', S), '{{service}} {{route}}')],
          { unit: 's' },
        ),
        table(
          'Routes',
          [
            q(sumRate('service, route', `${HTTP}_count`, S), 'req/s'),
            q(errorRatio('service, route', S), '5xx ratio'),
            q(quantile(0.5, HTTP, 'service, route', S), 'p50'),
            q(quantile(0.99, HTTP, 'service, route', S), 'p99'),
          ],
          { width: 24, description: 'Current rate, 5xx ratio, p50 and p99 per route.' },
        ),
      ],
    },
    {
      title: 'Saturation',
      panels: [
        timeseries(
          'DB pool in use / max',
          [
            q(
              `sum by (service, pod) (lateral_db_pool_connections{${SEL}, state="in_use"}) / sum by (service, pod) (lateral_db_pool_max_connections{${SEL}})`,
              '{{service}} {{pod}}',
            ),
          ],
          { unit: 'percentunit', width: 8, min: 0, max: 1, threshold: 0.9 },
        ),
        timeseries(
          'DB queries waiting for a connection',
          [
            q(
              `sum by (service, pod) (lateral_db_pool_waiting_requests{${SEL}})`,
              '{{service}} {{pod}}',
            ),
          ],
          { unit: 'short', width: 8, threshold: 1 },
        ),
        timeseries(
          'Media queue depth / capacity',
          [
            q(
              `max by (pod) (lateral_media_queue_depth{${SEL}}) / max by (pod) (lateral_media_queue_capacity{${SEL}})`,
              '{{pod}}',
            ),
          ],
          {
            unit: 'percentunit',
            width: 8,
            min: 0,
            max: 1,
            threshold: 0.8,
            description: 'Uploads get 503 with Retry-After when the queue is full.',
          },
        ),
        timeseries(
          'Event loop lag p99',
          [q(`nodejs_eventloop_lag_p99_seconds{${SEL}}`, '{{service}} {{pod}}')],
          { unit: 's', width: 8 },
        ),
        timeseries(
          'Resident memory',
          [q(`process_resident_memory_bytes{${SEL}}`, '{{service}} {{pod}}')],
          { unit: 'bytes', width: 8 },
        ),
        timeseries('CPU', [q(rate('process_cpu_seconds_total', SEL), '{{service}} {{pod}}')], {
          unit: 'short',
          width: 8,
          description: 'CPU cores in use per pod.',
        }),
      ],
    },
  ],
};
