import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** The gateway's own series (docs/metrics.md), on the process registry. */
export class GatewayMetrics {
  readonly upstreamDuration: Histogram<'upstream' | 'method' | 'status_code'>;
  readonly logins: Counter<'method' | 'result'>;
  readonly rateLimited: Counter<'scope'>;
  readonly mails: Counter<'kind' | 'result'>;
  readonly renderCacheLookups: Counter<'result'>;
  readonly renderCacheEntries: Gauge;
  readonly renderCacheChars: Gauge;
  readonly mediaCollected: Counter<'outcome'>;
  readonly pageViewCacheLookups: Counter<'result'>;
  readonly pageViewCacheEntries: Gauge;
  readonly pageChangesFollowing: Gauge;

  constructor(registry: Registry) {
    this.upstreamDuration = new Histogram({
      name: 'lateral_upstream_request_duration_seconds',
      help: 'Calls from the gateway to notes and media; status_code="error" when no answer came.',
      labelNames: ['upstream', 'method', 'status_code'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    });
    this.logins = new Counter({
      name: 'lateral_auth_logins_total',
      help: 'Sign-in attempts by method and result.',
      labelNames: ['method', 'result'],
      registers: [registry],
    });
    this.rateLimited = new Counter({
      name: 'lateral_rate_limited_total',
      help: 'Requests refused by rate limiting.',
      labelNames: ['scope'],
      registers: [registry],
    });
    this.mails = new Counter({
      name: 'lateral_mails_total',
      help: 'Mails (invite and reset links) by kind and result: sent (the SMTP server accepted it) or failed.',
      labelNames: ['kind', 'result'],
      registers: [registry],
    });
    this.renderCacheLookups = new Counter({
      name: 'lateral_render_cache_lookups_total',
      help: 'Page views looking for the rendered body of a page version: hit or miss.',
      labelNames: ['result'],
      registers: [registry],
    });
    this.renderCacheEntries = new Gauge({
      name: 'lateral_render_cache_entries',
      help: 'Page versions whose rendered body is cached.',
      registers: [registry],
    });
    this.renderCacheChars = new Gauge({
      name: 'lateral_render_cache_chars',
      help: 'Characters of rendered HTML cached (about 2 bytes each).',
      registers: [registry],
    });
    this.mediaCollected = new Counter({
      name: 'lateral_media_collection_images_total',
      help: 'Images the collection of unused images looked at: kept (still used) or deleted.',
      labelNames: ['outcome'],
      registers: [registry],
    });
    this.pageViewCacheLookups = new Counter({
      name: 'lateral_page_view_cache_lookups_total',
      help: 'Page views looking for what notes answered for them: hit, miss, or off (not following page changes).',
      labelNames: ['result'],
      registers: [registry],
    });
    this.pageViewCacheEntries = new Gauge({
      name: 'lateral_page_view_cache_entries',
      help: "Page views (a page as one person's view shows it) cached.",
      registers: [registry],
    });
    this.pageChangesFollowing = new Gauge({
      name: 'lateral_page_changes_following',
      help: "1 while this gateway follows notes' page changes (and so may cache page views), else 0.",
      registers: [registry],
    });
  }
}
