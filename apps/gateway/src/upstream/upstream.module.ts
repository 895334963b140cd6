import { Global, Module, type OnApplicationShutdown } from '@nestjs/common';
import { GatewayConfig } from '../gateway.config.js';
import { GatewayMetrics } from '../gateway.metrics.js';
import { MediaAccessService } from './media-access.service.js';
import { MediaClient } from './media.client.js';
import { NotesClient } from './notes.client.js';
import { UpstreamHttp } from './upstream-http.js';

function upstream(name: 'notes' | 'media', config: GatewayConfig, metrics: GatewayMetrics) {
  return new UpstreamHttp({
    name,
    baseUrl: name === 'notes' ? config.notesUrl : config.mediaUrl,
    secret: config.service.internalSecret,
    connectTimeoutMs: config.upstream.connectTimeoutMs,
    headersTimeoutMs: config.upstream.headersTimeoutMs,
    bodyTimeoutMs: config.upstream.bodyTimeoutMs,
    connections: config.upstream.connections,
    metrics,
  });
}

/** The keep-alive clients for notes and media (their pools close with the app), and who may read an image. */
@Global()
@Module({
  providers: [
    {
      provide: NotesClient,
      inject: [GatewayConfig, GatewayMetrics],
      useFactory: (config: GatewayConfig, metrics: GatewayMetrics) =>
        new NotesClient(upstream('notes', config, metrics), config),
    },
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
