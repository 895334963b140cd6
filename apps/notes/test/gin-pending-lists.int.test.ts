import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { GinPendingLists1765700000000 } from '../src/database/migrations/1765700000000-gin-pending-lists.js';
import { openNotesDb, type NotesDb } from './notes-db.js';

let h: NotesDb;
beforeAll(async () => {
  h = await openNotesDb(inject('postgresAdminUrl'));
});
afterAll(() => h.close());

/** Each GIN index on `notes` with its options (reloptions), by name. */
async function ginOptions(): Promise<Record<string, string[] | null>> {
  const rows = await h.dataSource.query<{ name: string; options: string[] | null }[]>(
    `SELECT c.relname AS name, c.reloptions AS options
     FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam
     WHERE i.indrelid = 'notes'::regclass AND a.amname = 'gin' ORDER BY 1`,
  );
  return Object.fromEntries(rows.map((r) => [r.name, r.options]));
}

describe('GIN pending lists (migration 1765700000000)', () => {
  it('bounds every GIN index on pages to a 256 kB pending list, and down resets it', async () => {
    const migrated = await ginOptions();
    expect(Object.keys(migrated).length).toBeGreaterThanOrEqual(5);
    for (const [name, options] of Object.entries(migrated)) {
      expect(options, name).toContain('gin_pending_list_limit=256');
    }
    const runner = h.dataSource.createQueryRunner();
    try {
      await new GinPendingLists1765700000000().down(runner);
      for (const options of Object.values(await ginOptions())) expect(options).toBeNull();
      await new GinPendingLists1765700000000().up(runner);
      expect(await ginOptions()).toEqual(migrated);
    } finally {
      await runner.release();
    }
  });
});
