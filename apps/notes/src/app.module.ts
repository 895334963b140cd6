import { Module, type DynamicModule } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { HealthModule } from '@lateral/health';
import { DatabaseModule } from '@lateral/database';
import { Clock, LOGGER, type Logger } from '@lateral/observability';
import { createDataSource } from './database/data-source.js';
import { GenericPlans, sharePool } from './database/generic-plans.js';
import { LinksRepository } from './links/links.repository.js';
import { MediaAccessModule } from './media-access/media-access.module.js';
import { PageChangesModule } from './page-changes/page-changes.module.js';
import { NotesConfig } from './notes.config.js';
import { NotesMetrics } from './notes.metrics.js';
import { NotesController } from './notes/notes.controller.js';
import { NotesRepository } from './notes/notes.repository.js';
import { PageContextRepository } from './notes/page-context.repository.js';
import { RevisionsRepository } from './notes/revisions.repository.js';
import { DraftsController } from './notes/drafts.controller.js';
import { DraftsRepository } from './notes/drafts.repository.js';
import { DraftsService } from './notes/drafts.service.js';
import { TrashRepository } from './notes/trash.repository.js';
import { NotesService } from './notes/notes.service.js';
import { TrashService } from './notes/trash.service.js';
import { RevisionsController } from './notes/revisions.controller.js';
import { RevisionsService } from './notes/revisions.service.js';
import { TrashController } from './notes/trash.controller.js';
import { SearchController } from './search/search.controller.js';
import { SearchRepository } from './search/search.repository.js';
import { SearchService } from './search/search.service.js';
import { TagsController } from './tags/tags.controller.js';
import { TagsRepository } from './tags/tags.repository.js';
import { PageMovesController } from './spaces/page-moves.controller.js';
import { PageMovesService } from './spaces/page-moves.service.js';
import { PageTreeRepository } from './spaces/page-tree.repository.js';
import { SpacesController } from './spaces/spaces.controller.js';
import { SpacesRepository } from './spaces/spaces.repository.js';
import { SpacesService } from './spaces/spaces.service.js';

/** What the app is built with (the logger from main.ts; the clock a test may pin). */
export interface NotesRuntime {
  logger: Logger;
  clock: Clock;
}

/** Config, metrics, the logger and the clock for every feature module. */
@Module({})
class CoreModule {
  static forRoot(config: NotesConfig, metrics: NotesMetrics, runtime: NotesRuntime): DynamicModule {
    return {
      module: CoreModule,
      global: true,
      providers: [
        { provide: NotesConfig, useValue: config },
        { provide: NotesMetrics, useValue: metrics },
        { provide: Clock, useValue: runtime.clock },
        { provide: LOGGER, useValue: runtime.logger },
      ],
      exports: [NotesConfig, NotesMetrics, Clock, LOGGER],
    };
  }
}

@Module({})
export class AppModule {
  static forRoot(config: NotesConfig, metrics: NotesMetrics, runtime: NotesRuntime): DynamicModule {
    return {
      module: AppModule,
      imports: [
        HealthModule,
        CoreModule.forRoot(config, metrics, runtime),
        DatabaseModule.forRoot({
          createDataSource: () =>
            createDataSource(config.databaseUrl, {
              poolMax: sharePool(config.databasePoolMax).dataSource,
              statementTimeoutMs: config.statementTimeoutMs,
            }),
          metricsRegistry: metrics.registry,
        }),
        MediaAccessModule,
        PageChangesModule,
      ],
      controllers: [
        NotesController,
        RevisionsController,
        DraftsController,
        TrashController,
        SearchController,
        TagsController,
        SpacesController,
        PageMovesController,
      ],
      providers: [
        {
          provide: GenericPlans,
          inject: [DataSource],
          useFactory: (dataSource: DataSource) =>
            new GenericPlans(dataSource, sharePool(config.databasePoolMax).generic),
        },
        NotesRepository,
        PageContextRepository,
        RevisionsRepository,
        DraftsRepository,
        TrashRepository,
        LinksRepository,
        SearchRepository,
        TagsRepository,
        NotesService,
        TrashService,
        RevisionsService,
        DraftsService,
        SearchService,
        SpacesRepository,
        PageTreeRepository,
        SpacesService,
        PageMovesService,
      ],
    };
  }
}
