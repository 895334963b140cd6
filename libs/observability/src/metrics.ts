import { Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The `route` label for requests that matched no route, so scanners cannot explode cardinality. */
export const UNMATCHED_ROUTE = '__unmatched__';

export interface ServiceMetrics {
  registry: Registry;
  httpRequestDuration: Histogram<'method' | 'route' | 'status_code'>;
}

/**
 * One registry per process. Default Node metrics are collected once here; every other metric
 * of the service registers on `registry`.
 */
export function createMetrics(options: {
  service: string;
  version: string;
  gitSha: string;
}): ServiceMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service: options.service });
  collectDefaultMetrics({ register: registry });

  const buildInfo = new Gauge({
    name: 'lateral_build_info',
    help: 'Always 1; labels carry the running version and git SHA (deploy markers).',
    labelNames: ['version', 'git_sha'],
    registers: [registry],
  });
  buildInfo.set({ version: options.version, git_sha: options.gitSha }, 1);

  const httpRequestDuration = new Histogram({
    name: 'http_server_request_duration_seconds',
    help: 'Duration of HTTP server requests, by route template.',
    labelNames: ['method', 'route', 'status_code'],
    // Tuned for a wiki: most answers are a few ms, searches and image work take longer.
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });

  return { registry, httpRequestDuration };
}
