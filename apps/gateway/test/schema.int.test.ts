import { createTestDatabase, type TestDatabase } from '@lateral/testing';
import { type DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDataSource, runMigrations } from '../src/database/data-source.js';

/**
 * The gateway's tables as PostgreSQL itself prints them, so that two spellings of one definition
 * (`role IN (…)` and `role = ANY (ARRAY[…])`) compare equal. Primary keys are compared without
 * their name: TypeORM names them `PK_<hash>`, the migrations let PostgreSQL say `<table>_pkey`,
 * and nothing refers to a primary key by name.
 */
async function describeSchema(dataSource: DataSource, tables: string[]): Promise<unknown> {
  const columns: unknown[] = await dataSource.query(
    `SELECT table_name, column_name, data_type, is_nullable, column_default
     FROM information_schema.columns
     WHERE table_schema = 'public' AND table_name = ANY($1)
     ORDER BY table_name, column_name`,
    [tables],
  );
  const constraints: unknown[] = await dataSource.query(
    `SELECT c.relname AS table, CASE WHEN k.contype = 'p' THEN 'primary key' ELSE k.conname END AS name,
            pg_get_constraintdef(k.oid) AS definition
     FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
     WHERE c.relnamespace = 'public'::regnamespace AND c.relname = ANY($1)
     ORDER BY 1, 2`,
    [tables],
  );
  const indexes: unknown[] = await dataSource.query(
    `SELECT tablename AS table, indexname AS name, indexdef AS definition
     FROM pg_indexes i
     WHERE schemaname = 'public' AND tablename = ANY($1)
       AND NOT EXISTS (SELECT 1 FROM pg_constraint k
                       WHERE k.conindid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass)
     ORDER BY 1, 2`,
    [tables],
  );
  return { columns, constraints, indexes };
}

describe('gateway schema: entities against migrations', () => {
  let migratedDb: TestDatabase;
  let entitiesDb: TestDatabase;
  let migrated: DataSource;
  let fromEntities: DataSource;

  beforeAll(async () => {
    const adminUrl = inject('postgresAdminUrl');
    [migratedDb, entitiesDb] = await Promise.all([
      createTestDatabase(adminUrl, 'gateway_schema_migrated'),
      createTestDatabase(adminUrl, 'gateway_schema_entities'),
    ]);
    await runMigrations(migratedDb.url);
    migrated = createDataSource(migratedDb.url, 1);
    fromEntities = createDataSource(entitiesDb.url, 1);
    await Promise.all([migrated.initialize(), fromEntities.initialize()]);
    // Only in this throwaway database: the schema TypeORM would build from the entities alone.
    await fromEntities.synchronize();
  });
  afterAll(async () => {
    await Promise.all([migrated?.destroy(), fromEntities?.destroy()]);
    await Promise.all([migratedDb?.drop(), entitiesDb?.drop()]);
  });

  it('after the migrations, TypeORM has nothing to change for the entities', async () => {
    const pending = await migrated.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  // TypeORM compares checks, partial-index predicates and foreign-key actions by name only, so
  // a drifted `role IN (…)` or `WHERE …` passes the test above; the catalogs catch it.
  it('the migrated tables and the tables built from the entities are the same', async () => {
    const tables = migrated.entityMetadatas.map((m) => m.tableName).sort();
    expect(tables).toEqual(['api_tokens', 'invites', 'password_resets', 'sessions', 'users']);
    expect(await describeSchema(fromEntities, tables)).toEqual(
      await describeSchema(migrated, tables),
    );
  });
});
