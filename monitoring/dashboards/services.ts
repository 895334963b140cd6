import { q, timeseries, type DashboardSpec, type Variable } from './grafana.js';
import {
  bars,
  percentiles,
  poolRow,
  quantile,
  rate,
  redRow,
  runtimeRow,
  sumRate,
} from './queries.js';

function variables(service: string): Variable[] {
  return [
    {
      name: 'namespace',
      label: 'Namespace',
      query: `label_values(lateral_build_info{service="${service}"}, namespace)`,
    },
    {
      name: 'pod',
      label: 'Pod',
      query: `label_values(lateral_build_info{namespace=~"$namespace", service="${service}"}, pod)`,
      multi: true,
      includeAll: true,
    },
  ];
}

const sel = (service: string) => `namespace=~"$namespace", service="${service}", pod=~"$pod"`;

const GW = sel('gateway');
const UPSTREAM = 'lateral_upstream_request_duration_seconds';

export const gateway: DashboardSpec = {
  uid: 'lateral-gateway',
  title: 'Lateral / Gateway',
  description: 'The public entry point: web UI and API, its calls to notes and media, sign-ins.',
  deployMarkerSelector: 'namespace=~"$namespace", service="gateway"',
  variables: variables('gateway'),
  rows: [
    redRow(GW),
    {
      title: 'Upstream calls (notes, media)',
      panels: [
        timeseries(
          'Upstream calls by status',
          [
            q(
              sumRate('upstream, status_code', `${UPSTREAM}_count`, GW),
              '{{upstream}} {{status_code}}',
            ),
          ],
          {
            unit: 'reqps',
            width: 8,
            stack: true,
            description: '`error` = no answer (connection refused, reset, timeout).',
          },
        ),
        timeseries(
          'Upstream failures (5xx or no answer)',
          [
            q(
              `(${sumRate('upstream', `${UPSTREAM}_count`, `${GW}, status_code=~"5..|error"`)} or 0 * ${sumRate('upstream', `${UPSTREAM}_count`, GW)}) / ${sumRate('upstream', `${UPSTREAM}_count`, GW)}`,
              '{{upstream}}',
            ),
          ],
          { unit: 'percentunit', width: 8, min: 0 },
        ),
        percentiles(
          'Upstream latency',
          UPSTREAM,
          'upstream',
          GW,
          '{{upstream}}',
          'Time to the upstream answer as the gateway sees it (network included).',
          8,
        ),
      ],
    },
    {
      title: 'Sign-ins and rate limiting',
      panels: [
        timeseries(
          'Sign-ins',
          [q(sumRate('method, result', 'lateral_auth_logins_total', GW), '{{method}} {{result}}')],
          {
            unit: 'ops',
            stack: true,
            description: 'A burst of failures may be password guessing.',
          },
        ),
        bars(
          'Rate-limited requests',
          sumRate('scope', 'lateral_rate_limited_total', GW),
          '{{scope}}',
          'Refused with 429: `login` per client IP, `api` per token or user.',
        ),
      ],
    },
    {
      title: 'Page views kept (following notes page changes)',
      panels: [
        timeseries(
          'Page views by cache result',
          [q(sumRate('result', 'lateral_page_view_cache_lookups_total', GW), '{{result}}')],
          {
            unit: 'reqps',
            stack: true,
            description:
              '`hit`: answered without calling notes; `off`: the replica does not follow page changes (notes down, or a rollout), so every view calls notes.',
          },
        ),
        timeseries(
          'Replicas following page changes',
          [
            q(`sum(lateral_page_changes_following{${GW}})`, 'following'),
            q(`count(lateral_page_changes_following{${GW}})`, 'replicas'),
          ],
          {
            min: 0,
            description:
              'A replica not following caches no page view: slower views and more load on notes, nothing stale.',
          },
        ),
      ],
    },
    runtimeRow(GW),
  ],
};

const NOTES = sel('notes');
const SAVES = 'lateral_notes_saves_total';
const SEARCH_PLANS = 'lateral_notes_search_plans_total';

export const notes: DashboardSpec = {
  uid: 'lateral-notes',
  title: 'Lateral / Notes',
  description: 'Pages, revisions and search, and the PostgreSQL pool behind them.',
  deployMarkerSelector: 'namespace=~"$namespace", service="notes"',
  variables: variables('notes'),
  rows: [
    redRow(NOTES),
    {
      title: 'Search and saves',
      panels: [
        percentiles(
          'Search query latency by kind',
          'lateral_notes_search_duration_seconds',
          'kind',
          NOTES,
          '{{kind}}',
          '`fulltext` is the tsvector query, `fuzzy` the pg_trgm "did you mean" fallback.',
          6,
        ),
        timeseries(
          'Full-text searches by plan',
          [q(sumRate('plan', SEARCH_PLANS, NOTES), '{{plan}}')],
          {
            unit: 'ops',
            width: 6,
            stack: true,
            description:
              '`generic`: a rare word, planned once per connection; `custom`: planned for its words. All custom on a busy wiki means PostgreSQL has no statistics yet (ANALYZE notes).',
          },
        ),
        timeseries('Saves by result', [q(sumRate('result', SAVES, NOTES), '{{result}}')], {
          unit: 'ops',
          width: 6,
          stack: true,
          description: 'created, updated and conflict (409).',
        }),
        timeseries(
          'Edit conflict ratio',
          [
            q(
              `(sum(${rate(SAVES, `${NOTES}, result="conflict"`)}) or 0 * sum(${rate(SAVES, `${NOTES}, result=~"updated|conflict"`)})) / sum(${rate(SAVES, `${NOTES}, result=~"updated|conflict"`)})`,
              'conflicts',
            ),
          ],
          {
            unit: 'percentunit',
            width: 6,
            min: 0,
            description:
              'Share of updates refused because someone saved in between; a jump can mean a client sends stale versions.',
          },
        ),
      ],
    },
    poolRow(NOTES),
    runtimeRow(NOTES),
  ],
};

const MEDIA = sel('media');
const DECODE = 'lateral_media_decode_duration_seconds';
const ENCODE = 'lateral_media_encode_duration_seconds';
const STORE = 'lateral_media_store_duration_seconds';

export const media: DashboardSpec = {
  uid: 'lateral-media',
  title: 'Lateral / Media',
  description:
    'Uploads and conversions, the bounded work queue and its refusals, and the image store (bytea or S3).',
  deployMarkerSelector: 'namespace=~"$namespace", service="media"',
  variables: variables('media'),
  rows: [
    redRow(MEDIA),
    {
      title: 'Conversions',
      panels: [
        timeseries(
          'Images processed by format',
          [
            q(
              sumRate('input_format, output_format', 'lateral_media_images_processed_total', MEDIA),
              '{{input_format}} → {{output_format}}',
            ),
          ],
          { unit: 'ops', width: 8, stack: true },
        ),
        timeseries(
          'Decode p95 by format (HEIC apart)',
          [q(quantile(0.95, DECODE, 'format', `${MEDIA}, format!="heic"`), '{{format}}')],
          { unit: 's', width: 8, description: 'sharp decodes; HEIC has its own panel.' },
        ),
        percentiles(
          'HEIC decode latency',
          DECODE,
          'format',
          `${MEDIA}, format="heic"`,
          'heic',
          'heic-decode in the worker pool: slow, and kept off the event loop.',
          8,
        ),
        timeseries(
          'Encode p95 by format',
          [q(quantile(0.95, ENCODE, 'format', MEDIA), '{{format}}')],
          { unit: 's', width: 12, description: 'AVIF is expected to be the slowest.' },
        ),
        timeseries(
          'Bytes in / out',
          [
            q(`sum(${rate('lateral_media_bytes_in_total', MEDIA)})`, 'uploaded'),
            q(`sum(${rate('lateral_media_bytes_out_total', MEDIA)})`, 'served'),
          ],
          { unit: 'Bps', width: 12 },
        ),
      ],
    },
    {
      title: 'Work queue',
      panels: [
        timeseries(
          'Queue',
          [
            q(`sum by (pod) (lateral_media_queue_depth{${MEDIA}})`, 'waiting {{pod}}'),
            q(`sum by (pod) (lateral_media_in_flight{${MEDIA}})`, 'in flight {{pod}}'),
            q(`max by (pod) (lateral_media_queue_capacity{${MEDIA}})`, 'capacity {{pod}}'),
          ],
          { unit: 'short', description: 'Beyond capacity, uploads get 503 with Retry-After.' },
        ),
        bars(
          'Rejections by reason',
          sumRate('reason', 'lateral_media_rejections_total', MEDIA),
          '{{reason}}',
          'Refused uploads: queue_full is load shedding; the rest are client input (4xx).',
        ),
      ],
    },
    {
      title: 'Image store',
      panels: [
        timeseries(
          'Store latency p95 by operation',
          [q(quantile(0.95, STORE, 'store, operation', MEDIA), '{{store}} {{operation}}')],
          {
            unit: 's',
            width: 8,
            description:
              'bytea = PostgreSQL, s3 = the object store. A get is timed to its first byte; put includes the confirmation.',
          },
        ),
        bars(
          'Store errors by kind',
          sumRate('store, operation, kind', 'lateral_media_store_errors_total', MEDIA),
          '{{store}} {{operation}} {{kind}}',
          'unreachable, timeout, server and denied answer 503 storage_unavailable; not_found means a row points to a missing object.',
          8,
        ),
        timeseries(
          'Store bytes in / out',
          [
            q(
              `sum by (store, direction) (${rate('lateral_media_store_bytes_total', MEDIA)})`,
              '{{store}} {{direction}}',
            ),
          ],
          { unit: 'Bps', width: 8, description: 'in = written to the store, out = read from it.' },
        ),
      ],
    },
    poolRow(MEDIA),
    runtimeRow(MEDIA),
  ],
};
