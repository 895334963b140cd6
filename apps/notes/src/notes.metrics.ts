import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export type SearchKind = 'fulltext' | 'fuzzy';
export type SaveResult = 'created' | 'updated' | 'conflict';
/** How PostgreSQL planned a full-text search: once per connection (rare words) or for its words. */
export type SearchPlan = 'generic' | 'custom';

/** The notes service's own series (docs/metrics.md), on the process registry. */
export class NotesMetrics {
  readonly searchDuration: Histogram<'kind'>;
  readonly saves: Counter<'result'>;
  readonly searchPlans: Counter<'plan'>;
  readonly pageChangeFollowers: Gauge;

  constructor(readonly registry: Registry) {
    this.searchDuration = new Histogram({
      name: 'lateral_notes_search_duration_seconds',
      help: 'Time spent in search queries: full text, or fuzzy title and did-you-mean lookups.',
      labelNames: ['kind'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    });
    this.saves = new Counter({
      name: 'lateral_notes_saves_total',
      help: 'Page saves by result, conflicts (stale version) included.',
      labelNames: ['result'],
      registers: [registry],
    });
    this.searchPlans = new Counter({
      name: 'lateral_notes_search_plans_total',
      help: 'Full-text searches by plan: generic (a rare word, planned once per connection) or custom (planned for its words).',
      labelNames: ['plan'],
      registers: [registry],
    });
    this.pageChangeFollowers = new Gauge({
      name: 'lateral_notes_page_change_followers',
      help: 'Gateways following page changes on this replica (their cached page views depend on it).',
      registers: [registry],
    });
  }

  /** Times `work` into the search histogram, failures included. */
  async timeSearch<T>(kind: SearchKind, work: () => Promise<T>): Promise<T> {
    const end = this.searchDuration.startTimer({ kind });
    try {
      return await work();
    } finally {
      end();
    }
  }
}
