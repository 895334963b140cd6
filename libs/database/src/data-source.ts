import { DataSource, type DataSourceOptions } from 'typeorm';

export interface PostgresDataSourceOptions {
  /** `notes`, `media`, `gateway`: names the migrations table and the connection in pg_stat_activity. */
  service: string;
  url: string;
  migrations: NonNullable<DataSourceOptions['migrations']>;
  entities?: DataSourceOptions['entities'];
  poolMax: number;
  /** Server-side limit per statement, so one pathological query cannot hold a connection. */
  statementTimeoutMs?: number;
}

/** One definition per service for the app, its migrate command and its tests; never `synchronize`. */
export function createPostgresDataSource(options: PostgresDataSourceOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    entities: options.entities ?? [],
    migrations: options.migrations,
    migrationsTableName: `${options.service}_migrations`,
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    extra: {
      max: options.poolMax,
      connectionTimeoutMillis: 5000,
      application_name: `lateral-${options.service}`,
      ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
    },
  });
}

/** Applies pending migrations on a (not yet initialised) data source; returns the names it ran. */
export async function applyMigrations(dataSource: DataSource): Promise<string[]> {
  await dataSource.initialize();
  try {
    const ran = await dataSource.runMigrations();
    return ran.map((m) => m.name);
  } finally {
    await dataSource.destroy();
  }
}
