import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { RECENT_CANDIDATES } from '../src/search/search.repository.js';
import { MAX_SEARCH_LIMIT } from '../src/search/search.schemas.js';
import { AUTHOR, openNotesDb, type NotesDb } from './notes-db.js';

/**
 * A small relevance suite: for each query, the pages a person would expect near the top (in the
 * first three hits). The wiki around them is built to trip a search that cuts corners: a word on
 * nearly every page, more newer body-only matches than the ranked window of RECENT_CANDIDATES,
 * and more newer pages with the query in their title than MAX_SEARCH_LIMIT, so an old page
 * whose title (or tag) is the query is found only if such pages are considered apart from the
 * recent ones.
 */
let t: NotesDb;

const FILLERS = RECENT_CANDIDATES + 1000;
const TITLED_FILLERS = MAX_SEARCH_LIMIT + 50;

/** Judged queries: the titles that must be among the first three hits. */
const JUDGED: { q: string; top3: string[]; why: string }[] = [
  { q: 'roadmap', top3: ['Roadmap'], why: 'an old page titled exactly the query' },
  { q: 'service', top3: ['Service Catalogue'], why: 'a word on most pages, old title match' },
  { q: 'service catalogue', top3: ['Service Catalogue'], why: 'two words, both in one title' },
  {
    q: 'onboarding guide',
    top3: ['Onboarding Guide'],
    why: 'old title, both words on 1,500 newer bodies',
  },
  { q: 'billing', top3: ['Invoices Q3'], why: 'an old page tagged with the query' },
  { q: 'zanzibar', top3: ['Travel Notes'], why: 'a rare word, in one body only' },
  { q: 'failover postgres', top3: ['Postgres Failover'], why: 'words in the other order' },
  { q: 'postg', top3: ['Postgres Failover'], why: 'a word still being typed (prefix)' },
  { q: 'creme brulee', top3: ['Crème brûlée'], why: 'accents folded' },
  { q: 'deploys', top3: ['Deploy Checklist'], why: 'stemming: deploys ~ deploy' },
];

const titlesFor = async (q: string) =>
  (await t.search.find({ q, limit: 20 }, AUTHOR)).items.map((i) => i.title);

beforeAll(async () => {
  t = await openNotesDb(inject('postgresAdminUrl'));
  // The judged pages come first, so they are the oldest in the wiki.
  const judged = [
    { title: 'Roadmap', body: 'Where we are going next year.', tags: ['planning'] },
    { title: 'Service Catalogue', body: 'Every service we run, with its owner.', tags: [] },
    { title: 'Onboarding Guide', body: 'Laptop, accounts, first week.', tags: ['people'] },
    { title: 'Invoices Q3', body: 'Numbers for the quarter.', tags: ['billing'] },
    { title: 'Travel Notes', body: 'The ferry to Zanzibar leaves at nine.', tags: [] },
    { title: 'Postgres Failover', body: 'Promote the replica, then repoint.', tags: ['db'] },
    { title: 'Crème brûlée', body: 'Sugar on top, torch it.', tags: ['kitchen'] },
    { title: 'Deploy Checklist', body: 'Tag, build, roll out.', tags: ['ops'] },
  ];
  for (const page of judged) {
    await t.notes.create(page, AUTHOR);
    t.clock.advance(1000);
  }
  // Newer pages: "service" on nearly all of them, the other judged words in many bodies.
  await t.dataSource.query(
    `INSERT INTO notes (slug, title, body, tags, created_at, updated_at,
       created_by_id, created_by_name, updated_by_id, updated_by_name)
     SELECT 'filler-' || i, 'Weekly note ' || i,
       'the service ' || CASE WHEN i % 10 = 0 THEN '' ELSE 'service ' END
         || 'roadmap billing onboarding guide postgres failover deploy and more text ' || i,
       '{}', now() + i * interval '1 second', now() + i * interval '1 second', 'u', 'U', 'u', 'U'
     FROM generate_series(1, $1) AS i`,
    [FILLERS],
  );
  // Newer pages with "roadmap" in the title, saying it more often than the old "Roadmap" page.
  await t.dataSource.query(
    `INSERT INTO notes (slug, title, body, tags, created_at, updated_at,
       created_by_id, created_by_name, updated_by_id, updated_by_name)
     SELECT 'roadmap-review-' || i, 'Roadmap review ' || i, 'roadmap roadmap roadmap ' || i,
       '{}', now() + i * interval '1 second', now() + i * interval '1 second', 'u', 'U', 'u', 'U'
     FROM generate_series(1, $1) AS i`,
    [TITLED_FILLERS],
  );
});
afterAll(async () => {
  await t?.close();
});

describe('search relevance', () => {
  it.each(JUDGED)('"$q" has $top3 in the first three hits ($why)', async ({ q, top3 }) => {
    const first3 = (await titlesFor(q)).slice(0, 3);
    expect(first3).toEqual(expect.arrayContaining(top3));
  });

  it('puts the page titled exactly the query first, then the other title matches', async () => {
    const titles = await titlesFor('roadmap');
    expect(titles).toHaveLength(20);
    expect(titles[0]).toBe('Roadmap');
    expect(titles.slice(1).every((title) => title.startsWith('Roadmap review'))).toBe(true);
  });

  it('fills the page with newer body matches after the title and tag matches', async () => {
    const titles = await titlesFor('billing');
    expect(titles).toHaveLength(20);
    expect(titles[0]).toBe('Invoices Q3');
    expect(titles.slice(1).every((title) => title.startsWith('Weekly note'))).toBe(true);
  });

  it('highlights the title hit and every body hit shown', async () => {
    const { items } = await t.search.find({ q: 'failover', limit: 5 }, AUTHOR);
    expect(items).toHaveLength(5);
    expect(items[0]!.titleHighlight).toBe('Postgres <mark>Failover</mark>');
    // The title hit's body does not have the word: its snippet is the start of the page.
    expect(items[0]!.snippet).toBe('Promote the replica, then repoint.');
    for (const item of items.slice(1)) expect(item.snippet).toContain('<mark>failover</mark>');
  });
});
