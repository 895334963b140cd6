import { Global, Module, type OnApplicationShutdown } from '@nestjs/common';
import { GatewayConfig } from '../gateway.config.js';
import { GatewayMetrics } from '../gateway.metrics.js';
import { MediaAccessService } from './media-access.service.js';
import { MediaClient } from './media.client.js';
import { NotesClient } from './notes.client.js';
import { UpstreamHttp } from './upstream-http.js';
import { PageChangesFollower } from './page-changes.follower.js';
import { PageViewCache } from './page-view-cache.js';

function upstream(
  name: 'notes' | 'media',
  config: GatewayConfig,
  metrics: GatewayMetrics,
  afterWrite?: (method: string, path: string) => void,
) {
  return new UpstreamHttp({
    name,
    baseUrl: name === 'notes' ? config.notesUrl : config.mediaUrl,
    secret: config.service.internalSecret,
    connectTimeoutMs: config.upstream.connectTimeoutMs,
    headersTimeoutMs: config.upstream.headersTimeoutMs,
    bodyTimeoutMs: config.upstream.bodyTimeoutMs,
    connections: config.upstream.connections,
    metrics,
    afterWrite,
  });
}

/**
 * The keep-alive clients for notes and media (their pools close with the app), who may read an
 * image, and the page views kept while notes' page changes are followed.
 */
@Global()
@Module({
  providers: [
    {
      provide: PageViewCache,
      inject: [GatewayMetrics],
      useFactory: (metrics: GatewayMetrics) => new PageViewCache(metrics),
    },
    {
      provide: NotesClient,
      inject: [GatewayConfig, GatewayMetrics, PageViewCache],
      useFactory: (config: GatewayConfig, metrics: GatewayMetrics, views: PageViewCache) =>
        new NotesClient(
          upstream('notes', config, metrics, (method, path) => views.wrote(method, path)),
          config,
          views,
        ),
    },
    PageChangesFollower,
    {
      provide: MediaClient,
      inject: [GatewayConfig, GatewayMetrics],
      useFactory: (config: GatewayConfig, metrics: GatewayMetrics) =>
        new MediaClient(upstream('media', config, metrics), config),
    },
    MediaAccessService,
  ],
  exports: [NotesClient, MediaClient, MediaAccessService],
})
export class UpstreamModule implements OnApplicationShutdown {
  constructor(
    private readonly notes: NotesClient,
    private readonly media: MediaClient,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([this.notes.close(), this.media.close()]);
  }
}
