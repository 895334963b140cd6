export {
  applyMigrations,
  createPostgresDataSource,
  type PostgresDataSourceOptions,
} from './data-source.js';
export { DatabaseModule, type DatabaseModuleOptions } from './database.module.js';
export { migrateEnvSchema, runMigrateCommand } from './migrate-command.js';
export {
  ColumnOf,
  createGenericPlanPool,
  inTransaction,
  onConnection,
  pgPool,
  preparedRows,
  preparedRowsOn,
  rows,
  rowsTogether,
  sqlLimit,
  statementTogether,
  uniqueViolation,
  type Statement,
} from './sql.js';
