import {
  Global,
  Inject,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { HealthService } from '@lateral/health';
import { registerPoolMetrics, type PoolStats } from '@lateral/observability';
import { DataSource } from 'typeorm';
import { MediaMetrics } from '../media.metrics.js';
import { createDataSource } from './data-source.js';

/** Provides media's DataSource, its readiness check and pool metrics; closes the pool on shutdown. */
@Global()
@Module({})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  static forRoot(url: string, poolMax: number): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        {
          provide: DataSource,
          inject: [HealthService, MediaMetrics],
          useFactory: async (health: HealthService, metrics: MediaMetrics) => {
            const dataSource = createDataSource(url, poolMax);
            await dataSource.initialize();
            health.addReadinessCheck('database', async () => {
              await dataSource.query('SELECT 1');
            });
            // TypeORM's postgres driver keeps its pg.Pool as `master`.
            registerPoolMetrics(
              metrics.registry,
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
