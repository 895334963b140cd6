import { Module, type DynamicModule } from '@nestjs/common';
import { HealthModule } from '@lateral/health';
import { DatabaseModule } from '@lateral/database';
import { Clock, LOGGER, type Logger } from '@lateral/observability';
import { createDataSource } from './database/data-source.js';
import { ImageProcessor } from './images/image-processor.js';
import { MediaConfig } from './media.config.js';
import { MediaMetrics } from './media.metrics.js';
import { DeliveryService } from './media/delivery.service.js';
import { IngestService } from './media/ingest.service.js';
import { MediaCollectionController } from './media/media-collection.controller.js';
import { MediaCollectionService } from './media/media-collection.service.js';
import { MediaController } from './media/media.controller.js';
import { MediaListingService } from './media/media-listing.service.js';
import { MediaRepository } from './media/media.repository.js';
import { RejectionMetrics } from './media/rejections.metrics.js';
import { ImageQueue } from './queue/image-queue.js';
import { MediaStorage, S3_STORE } from './storage/media-storage.js';
import { ObjectJanitor } from './storage/object-janitor.js';
import { S3ObjectStore } from './storage/s3-object-store.js';

/** Config, metrics, the logger and the clock for every module. */
@Module({})
class MediaCoreModule {
  static forRoot(config: MediaConfig, metrics: MediaMetrics, logger: Logger): DynamicModule {
    return {
      module: MediaCoreModule,
      global: true,
      providers: [
        { provide: MediaConfig, useValue: config },
        { provide: MediaMetrics, useValue: metrics },
        { provide: LOGGER, useValue: logger },
        Clock,
      ],
      exports: [MediaConfig, MediaMetrics, LOGGER, Clock],
    };
  }
}

@Module({})
export class AppModule {
  static forRoot(config: MediaConfig, metrics: MediaMetrics, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        MediaCoreModule.forRoot(config, metrics, logger),
        HealthModule,
        DatabaseModule.forRoot({
          createDataSource: () => createDataSource(config.databaseUrl, config.databasePoolMax),
          metricsRegistry: metrics.registry,
        }),
      ],
      controllers: [MediaController, MediaCollectionController],
      providers: [
        ImageProcessor,
        ImageQueue,
        MediaRepository,
        RejectionMetrics,
        MediaListingService,
        IngestService,
        DeliveryService,
        MediaCollectionService,
        {
          // The SDK is loaded only when a bucket is configured (docs/media.md, Object storage).
          provide: S3_STORE,
          useFactory: () => (config.s3 ? S3ObjectStore.connect(config.s3) : null),
        },
        MediaStorage,
        ObjectJanitor,
      ],
    };
  }
}
