import { Module, type DynamicModule } from '@nestjs/common';
import { HealthModule } from '@lateral/health';
import { DatabaseModule } from '@lateral/database';
import { createDataSource } from './database/data-source.js';
import { ImageProcessor } from './images/image-processor.js';
import { MediaConfig } from './media.config.js';
import { MediaMetrics } from './media.metrics.js';
import { DeliveryService } from './media/delivery.service.js';
import { IngestService } from './media/ingest.service.js';
import { MediaController } from './media/media.controller.js';
import { MediaListingService } from './media/media-listing.service.js';
import { MediaRepository } from './media/media.repository.js';
import { RejectionMetrics } from './media/rejections.metrics.js';
import { ImageQueue } from './queue/image-queue.js';

/** Config and metrics for every module. */
@Module({})
class MediaCoreModule {
  static forRoot(config: MediaConfig, metrics: MediaMetrics): DynamicModule {
    return {
      module: MediaCoreModule,
      global: true,
      providers: [
        { provide: MediaConfig, useValue: config },
        { provide: MediaMetrics, useValue: metrics },
      ],
      exports: [MediaConfig, MediaMetrics],
    };
  }
}

@Module({})
export class AppModule {
  static forRoot(config: MediaConfig, metrics: MediaMetrics): DynamicModule {
    return {
      module: AppModule,
      imports: [
        MediaCoreModule.forRoot(config, metrics),
        HealthModule,
        DatabaseModule.forRoot({
          createDataSource: () => createDataSource(config.databaseUrl, config.databasePoolMax),
          metricsRegistry: metrics.registry,
        }),
      ],
      controllers: [MediaController],
      providers: [
        ImageProcessor,
        ImageQueue,
        MediaRepository,
        RejectionMetrics,
        MediaListingService,
        IngestService,
        DeliveryService,
      ],
    };
  }
}
