import { Global, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { HealthService } from '@lateral/health';
import { registerPoolMetrics } from '@lateral/observability';
import { type Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { pgPool } from './sql.js';

export interface DatabaseModuleOptions {
  /** Builds the service's (not yet initialised) data source. */
  createDataSource: () => DataSource;
  /** Where the pool gauges go (lateral_db_pool_*); omitted, none are registered. */
  metricsRegistry?: Registry;
}

/**
 * Provides the service's TypeORM DataSource, initialised, with a `database` readiness check and
 * pool metrics; closes the pool on shutdown.
 */
@Global()
@Module({})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(private readonly dataSource: DataSource) {}

  static forRoot(options: DatabaseModuleOptions): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        {
          provide: DataSource,
          inject: [HealthService],
          useFactory: async (health: HealthService) => {
            const dataSource = options.createDataSource();
            await dataSource.initialize();
            health.addReadinessCheck('database', async () => {
              await dataSource.query('SELECT 1');
            });
            if (options.metricsRegistry) {
              registerPoolMetrics(options.metricsRegistry, () => pgPool(dataSource));
            }
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
