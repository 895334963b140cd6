import {
  Global,
  Inject,
  Module,
  type OnApplicationShutdown,
  type DynamicModule,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { HealthService } from '@lateral/health';
import { createDataSource } from './data-source.js';

/** Provides the gateway's TypeORM DataSource and closes its pool on shutdown. */
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
          inject: [HealthService],
          useFactory: async (health: HealthService) => {
            const dataSource = createDataSource(url, poolMax);
            await dataSource.initialize();
            health.addReadinessCheck('database', async () => {
              await dataSource.query('SELECT 1');
            });
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
