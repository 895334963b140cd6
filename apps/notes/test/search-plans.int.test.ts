import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { AUTHOR, openNotesDb, type NotesDb } from './notes-db.js';

let t: NotesDb;

const search = (q: string) => t.search.find({ q, limit: 20 }, AUTHOR);

/** Searches counted per plan so far (lateral_notes_search_plans_total). */
async function plans(): Promise<Record<string, number>> {
  const { values } = await t.metrics.searchPlans.get();
  return Object.fromEntries(values.map((v) => [String(v.labels.plan), v.value]));
}

/** What one search adds to the plan counts. */
async function planOf(q: string): Promise<string> {
  const before = await plans();
  await search(q);
  const after = await plans();
  const grown = Object.keys(after).filter((plan) => after[plan]! > (before[plan] ?? 0));
  expect(grown).toHaveLength(1);
  return grown[0]!;
}

beforeAll(async () => {
  t = await openNotesDb(inject('postgresAdminUrl'));
  for (let i = 0; i < 40; i++) {
    await t.notes.create(
      {
        title: `Cluster note ${i}`,
        body: `Kubernetes upgrade, step ${i}.${i === 7 ? ' Check the zeppelin dashboard.' : ''}`,
        tags: [],
      },
      AUTHOR,
    );
    t.clock.advance(1000);
  }
  // The statistics PostgreSQL plans with (autovacuum would take its time on a fresh table). On a
  // table this small every lexeme counts as common; a large wiki's statistics keep the most
  // frequent 1,000 only, as these keep 10.
  await t.dataSource.query('ALTER TABLE notes ALTER COLUMN search SET STATISTICS 1');
  await t.dataSource.query('ANALYZE notes');
});
afterAll(async () => {
  await t?.close();
});

describe('search plans (rare words planned once per connection)', () => {
  it('plans every search for its words while the statistics are not read yet', async () => {
    expect(await planOf('zeppelin')).toBe('custom');
  });

  it('runs a rare word on a generic plan and a common one on its own, with the same hits', async () => {
    const custom = await search('zeppelin');
    await t.searchRepository.commonLexemes.refresh();

    expect(await planOf('zeppelin')).toBe('generic');
    expect(await search('zeppelin')).toEqual(custom);
    expect(custom.items.map((i) => i.title)).toEqual(['Cluster note 7']);
    expect(custom.items[0]!.snippet).toContain('<mark>zeppelin</mark>');
    // As typed (a prefix), and with a common word next to it (AND: still few pages).
    expect(await planOf('zeppe')).toBe('generic');
    expect((await search('zeppe')).items.map((i) => i.title)).toEqual(['Cluster note 7']);
    expect(await planOf('kubernetes zeppelin')).toBe('generic');
    expect((await search('kubernetes zeppelin')).items.map((i) => i.title)).toEqual([
      'Cluster note 7',
    ]);

    // On every page: planned for the word, and the newest pages come first as always.
    expect(await planOf('kubernetes')).toBe('custom');
    expect(await planOf('kuber')).toBe('custom');
    // OR with a common word matches many pages (the trailing space ends the last word; typed on,
    // it would be a prefix ANDed to the rest).
    expect(await planOf('zeppelin or kubernetes ')).toBe('custom');
    expect((await search('zeppelin or kubernetes ')).items).toHaveLength(20);
    const common = await search('kubernetes');
    expect(common.items).toHaveLength(20);
    expect(common.items[0]!.title).toBe('Cluster note 39');
  });
});
