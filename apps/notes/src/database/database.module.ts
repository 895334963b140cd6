import {
  Global,
  Inject,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { HealthService } from '@lateral/health';
import { registerPoolMetrics, type PoolStats } from '@lateral/observability';
import { NotesConfig } from '../notes.config.js';
import { NotesMetrics } from '../notes.metrics.js';
import { createDataSource } from './data-source.js';

/** Provides the TypeORM DataSource, its readiness check and pool metrics; closes the pool on shutdown. */
@Global()
@Module({})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  static forRoot(): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        {
          provide: DataSource,
          inject: [HealthService, NotesConfig, NotesMetrics],
          useFactory: async (health: HealthService, config: NotesConfig, metrics: NotesMetrics) => {
            const dataSource = createDataSource(config.databaseUrl, {
              poolMax: config.databasePoolMax,
              statementTimeoutMs: config.statementTimeoutMs,
            });
            await dataSource.initialize();
            health.addReadinessCheck('database', async () => {
              await dataSource.query('SELECT 1');
            });
            registerPoolMetrics(
              metrics.registry,
              // TypeORM's postgres driver keeps its node-postgres pool as `master`.
              () => (dataSource.driver as unknown as { master?: PoolStats }).master,
            );
            return dataSource;
          },
        },
      ],
      exports: [DataSource],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
