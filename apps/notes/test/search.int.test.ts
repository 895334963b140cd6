import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { RECENT_CANDIDATES } from '../src/search/search.repository.js';
import { AUTHOR, openNotesDb, type NotesDb } from './notes-db.js';

let t: NotesDb;

const search = (q: string, tag?: string) =>
  t.search.find({ q, limit: 20, ...(tag ? { tag } : {}) }, AUTHOR);
const titles = async (q: string, tag?: string) => (await search(q, tag)).items.map((i) => i.title);

beforeAll(async () => {
  t = await openNotesDb(inject('postgresAdminUrl'));
  const pages = [
    { title: 'Kubernetes Upgrade Runbook', body: 'Drain nodes one at a time.', tags: ['ops'] },
    { title: 'Team Lunch', body: 'We talked about kubernetes over pizza.', tags: ['social'] },
    { title: 'Café Opening Hours', body: 'The café opens at eight.', tags: ['office'] },
    {
      title: 'Postgres Tuning',
      body: 'Raise shared_buffers; check autovacuum.',
      tags: ['ops', 'db'],
    },
    { title: 'Postgres Backups', body: 'Nightly base backups with WAL archiving.', tags: ['db'] },
    { title: 'Deleted Secrets', body: 'zebrafish credentials live here', tags: ['ops'] },
    {
      title: 'Escaping',
      body: 'Run <img src=x onerror=alert(1)> kubectl & "quote" </mark> carefully.',
      tags: [],
    },
  ];
  for (const page of pages) {
    await t.notes.create(page, AUTHOR);
    t.clock.advance(1000);
  }
  const deleted = await t.notes.get('deleted-secrets', AUTHOR);
  await t.notes.trash(deleted.id, AUTHOR);
});
afterAll(async () => {
  await t?.close();
});

describe('full-text search', () => {
  it('ranks a title hit above a body hit', async () => {
    expect(await titles('kubernetes')).toEqual(['Kubernetes Upgrade Runbook', 'Team Lunch']);
  });

  it('matches the last word as a prefix while it is typed', async () => {
    expect(await titles('kuber')).toEqual(['Kubernetes Upgrade Runbook', 'Team Lunch']);
    expect(await titles('nightly back')).toEqual(['Postgres Backups']);
    // A finished word (trailing space) is matched whole: no full-text hit, only look-alike titles.
    const finished = await search('kuber ');
    expect(finished.items.filter((i) => i.match === 'fulltext')).toEqual([]);
  });

  it('ignores accents: "cafe" finds "Café" and highlights it', async () => {
    const result = await search('cafe');
    expect(result.items.map((i) => i.title)).toEqual(['Café Opening Hours']);
    expect(result.items[0]!.snippet).toContain('<mark>café</mark>');
    expect(result.items[0]!.titleHighlight).toBe('<mark>Café</mark> Opening Hours');
  });

  it('filters by tag', async () => {
    expect(await titles('postgres', 'db')).toEqual(
      expect.arrayContaining(['Postgres Tuning', 'Postgres Backups']),
    );
    expect(await titles('postgres', 'ops')).toEqual(['Postgres Tuning']);
    expect(await titles('postgres', 'social')).toEqual([]);
  });

  it('does not find pages in the trash', async () => {
    const result = await search('zebrafish');
    expect(result.items).toEqual([]);
    expect(result.suggestion).toBeUndefined();
  });

  it('escapes the page text in snippets; only <mark> is markup', async () => {
    const [hit] = (await search('kubectl')).items;
    expect(hit!.snippet).toContain('&amp;');
    expect(hit!.snippet).not.toMatch(/<(?!\/?mark>)/);
    expect(hit!.snippet).toContain('<mark>kubectl</mark>');
  });

  it('treats SQL- and tsquery-looking input as words', async () => {
    for (const q of [
      "'; DROP TABLE notes; --",
      'kube:* | !postgres',
      '"unclosed',
      '(((',
      'a & b ! c <-> d',
    ]) {
      await expect(search(q)).resolves.toEqual(
        expect.objectContaining({ items: expect.any(Array) }),
      );
    }
    expect(await titles("postgres'); --")).toEqual(expect.arrayContaining(['Postgres Tuning']));
  });
});

describe('snippets', () => {
  beforeAll(async () => {
    for (const page of [
      { title: 'Rollout Diary', body: 'Yesterday we deployed the canary twice.', tags: [] },
      { title: 'Officers', body: 'The general inspected the generator.', tags: [] },
      {
        title: 'Long Page',
        body: `${'padding words here. '.repeat(800)}The wombat sleeps under the porch.`,
        tags: [],
      },
      { title: 'Dashboards Host', body: 'Open grafana.example.com in a browser.', tags: [] },
      { title: 'Forged Marks', body: 'A \uE000marmoset\uE001 in private-use marks.', tags: [] },
    ]) {
      await t.notes.create(page, AUTHOR);
    }
  });

  it('marks the words the index matched through stemming', async () => {
    const [hit] = (await search('deploys ')).items;
    expect(hit!.snippet).toBe('Yesterday we <mark>deployed</mark> the canary twice.');
  });

  it('does not mark a word that only starts like the query word', async () => {
    const [hit] = (await search('general ')).items;
    expect(hit!.snippet).toBe('The <mark>general</mark> inspected the generator.');
  });

  it('shows the part of a long page around the hit, not its start', async () => {
    const [hit] = (await search('wombat')).items;
    expect(hit!.title).toBe('Long Page');
    expect(hit!.snippet).toContain('The <mark>wombat</mark> sleeps under the porch.');
    expect(hit!.snippet.split(' ').length).toBeLessThanOrEqual(30);
  });

  it('marks a host name as one word, as the index has it', async () => {
    const [hit] = (await search('grafana.example.com ')).items;
    expect(hit!.snippet).toBe('Open <mark>grafana.example.com</mark> in a browser.');
  });

  it('takes the marker characters out of page text, so a page cannot forge a mark', async () => {
    const [hit] = (await search('marmoset')).items;
    expect(hit!.snippet).toBe('A <mark>marmoset</mark> in private-use marks.');
  });
});

describe('when nothing matches', () => {
  it('suggests a corrected query for a typo, and offers titles that look alike', async () => {
    const result = await search('kubernetis upgrde');
    expect(result.suggestion).toBe('kubernetes upgrade');
    expect(result.items.map((i) => [i.title, i.match])).toEqual([
      ['Kubernetes Upgrade Runbook', 'fuzzy'],
    ]);
  });

  it('suggests only words that lead to live pages', async () => {
    expect((await search('zebrafsh')).suggestion).toBeUndefined();
  });
});

describe('a word on most pages', () => {
  it('still puts an old page with the word in its title first, above many newer body hits', async () => {
    await t.notes.create({ title: 'Quokka Handbook', body: 'All about it.', tags: [] }, AUTHOR);
    // More newer body-only matches than the ranked window holds, written straight to the table.
    await t.dataSource.query(
      `INSERT INTO notes (slug, title, body, tags, created_at, updated_at,
         created_by_id, created_by_name, updated_by_id, updated_by_name)
       SELECT 'filler-' || i, 'Filler ' || i, 'we saw a quokka on day ' || i, '{}',
         now() + i * interval '1 second', now() + i * interval '1 second', 'u', 'U', 'u', 'U'
       FROM generate_series(1, $1) AS i`,
      [RECENT_CANDIDATES + 200],
    );
    const result = await search('quokka ');
    expect(result.items).toHaveLength(20);
    expect(result.items[0]!.title).toBe('Quokka Handbook');
    expect(result.items.slice(1).every((i) => i.title.startsWith('Filler'))).toBe(true);
  });
});
