/**
 * The SLO definitions, shared by the generated recording rules, the dashboards' SLO panels and
 * the promtool tests (docs/observability.md explains the choices).
 */

/** Windows the multi-window, multi-burn-rate alerts read (Google SRE workbook, chapter 5). */
export const SLI_WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'] as const;
export type SliWindow = (typeof SLI_WINDOWS)[number];

/** 99.9% of requests (probes excluded) answer without a 5xx, over 30 days. */
export const AVAILABILITY_OBJECTIVE = 0.999;
/** 99% of requests answer within the threshold of their route class, over 30 days. */
export const LATENCY_OBJECTIVE = 0.99;

/** Kubelet probes: they would drown a quiet wiki's traffic and turn 503 on every rollout. */
export const PROBE_ROUTES = '/healthz|/readyz';

/**
 * Route classes for the latency SLI, by route template (the same templates in gateway and in the
 * service behind it, since the internal API mirrors the public one). A threshold must be a
 * histogram bucket boundary of `http_server_request_duration_seconds`, or the SLI would be an
 * interpolation instead of a count.
 */
export interface RouteClass {
  name: string;
  /** Route-template regex (fully anchored by PromQL); `undefined` = every other route. */
  routes: string | undefined;
  /** Bucket boundary in seconds; `undefined` = excluded from the latency SLI. */
  thresholdSeconds: number | undefined;
  why: string;
}

export const ROUTE_CLASSES: RouteClass[] = [
  {
    name: 'bulk',
    routes: '/api/v1/import|/import',
    thresholdSeconds: undefined,
    why: 'imports of Notion exports take as long as the archive is big; their limits bound them',
  },
  {
    name: 'upload',
    routes: '/api/v1/media|/media/upload',
    thresholdSeconds: 10,
    why: 'an upload is decoded (HEIC in a worker), normalised and stored before the 201',
  },
  {
    name: 'image',
    routes: '/api/v1/media/.+',
    thresholdSeconds: 2.5,
    why: 'the first request for a variant encodes it (AVIF is the slow one); later ones are reads',
  },
  {
    name: 'interactive',
    routes: undefined,
    thresholdSeconds: 0.25,
    why: 'pages, search and edits: a person is waiting; 250 ms is the bucket boundary under 300 ms',
  },
];

/**
 * A `le` matcher for a bucket boundary. Prometheus 3 normalises integral `le` values of classic
 * histograms to floats at scrape time (`10` becomes `10.0`); prom-client writes `10`.
 */
export function leMatcher(seconds: number): string {
  return Number.isInteger(seconds) ? `le=~"${seconds}(\\\\.0)?"` : `le="${seconds}"`;
}

/** Names of the recording rules, in `level:metric:operation` form. */
export const RECORDED = {
  requests: (w: SliWindow) => `namespace_service:http_server_requests:rate${w}`,
  errors: (w: SliWindow) => `namespace_service:http_server_errors:rate${w}`,
  errorRatio: (w: SliWindow) => `namespace_service:http_server_error_ratio:rate${w}`,
  latencyRequests: (w: SliWindow) => `namespace_service:http_server_latency_requests:rate${w}`,
  fastRequests: (w: SliWindow) => `namespace_service:http_server_fast_requests:rate${w}`,
  slowRatio: (w: SliWindow) => `namespace_service:http_server_slow_ratio:rate${w}`,
};
