import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { createTestDatabase } from '@lateral/testing';

describe('PostgreSQL test harness', () => {
  it('gives each caller an isolated real database with the extensions search needs', async () => {
    const [a, b] = await Promise.all([
      createTestDatabase(inject('postgresAdminUrl'), 'harness'),
      createTestDatabase(inject('postgresAdminUrl'), 'harness'),
    ]);
    expect(a.name).not.toEqual(b.name);
    const client = new pg.Client({ connectionString: a.url });
    await client.connect();
    try {
      await client.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
      await client.query('CREATE EXTENSION IF NOT EXISTS unaccent');
      const { rows } = await client.query<{ v: number; u: string }>(
        "SELECT current_setting('server_version_num')::int AS v, unaccent('Crème brûlée') AS u",
      );
      expect(rows[0]!.v).toBeGreaterThanOrEqual(150000);
      expect(rows[0]!.u).toBe('Creme brulee');
    } finally {
      await client.end();
      await Promise.all([a.drop(), b.drop()]);
    }
  });
});
