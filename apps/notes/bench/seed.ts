import { randomUUID } from 'node:crypto';
import { slugify } from '@lateral/contracts';
import pg from 'pg';
import { parseLinks } from '../src/links/link-parser.js';

/**
 * 100k realistic pages, written with multi-row INSERTs from arrays (one statement per 1,000
 * pages), not through HTTP. Words follow a skewed (Zipf-like) distribution over a vocabulary of
 * real words plus generated ones, so there are very common and very rare terms; pages carry
 * 1-3 tags, `[[wiki links]]` and `/notes/<slug>` links to other pages, and some accented words.
 */

/** A small deterministic PRNG (mulberry32), so every run seeds the same wiki. */
export function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const COMMON =
  `the team service deploy cluster database release incident review meeting notes project plan
design api user customer support roadmap quarter metrics dashboard alert query index backup restore
migration schema server client request response latency error budget owner onboarding guide policy
security access token network storage cache queue worker job schedule budget hiring process feedback
retro sprint goal decision document template checklist runbook kubernetes postgres docker terraform
helm grafana prometheus logging tracing config secret rollout rollback canary staging production
library module function test coverage build pipeline review merge branch commit version upgrade
performance capacity cost vendor contract invoice travel office lunch holiday calendar interview
café résumé naïve crème façade über jalapeño piñata`.split(/\s+/);

const SYLLABLES =
  'ka lo mi ne ru sa ti vo ze ba de fi go hu ja ke li mo nu pa qui ra so tu vi wa xe yo zu'.split(
    ' ',
  );

function vocabulary(random: () => number, size: number): string[] {
  const words = new Set(COMMON);
  while (words.size < size) {
    const n = 2 + Math.floor(random() * 3);
    let word = '';
    for (let i = 0; i < n; i++) word += SYLLABLES[Math.floor(random() * SYLLABLES.length)];
    words.add(word);
  }
  return [...words];
}

export interface SeededWiki {
  pages: number;
  slugs: string[];
  tags: string[];
  /** Words in many pages, and words in only a handful (for the two search scenarios). */
  commonWords: string[];
  rareWords: string[];
  seconds: number;
}

const AUTHOR = { id: 'bench-seed', name: 'Seeder' };

export async function seedWiki(databaseUrl: string, pages: number): Promise<SeededWiki> {
  const started = performance.now();
  const random = prng(42);
  const words = vocabulary(random, 20_000);
  // Skewed pick: index ~ N * u^4 makes the first words very common and the tail rare.
  const word = () => words[Math.floor(words.length * random() ** 4)]!;
  const tags = Array.from({ length: 300 }, (_, i) => (i < 40 ? COMMON[i]! : `${word()}-${i}`));
  const tag = () => tags[Math.floor(tags.length * random() ** 2)]!;

  const titles: string[] = [];
  const slugs: string[] = [];
  const seenSlugs = new Set<string>();
  for (let i = 0; i < pages; i++) {
    const n = 2 + Math.floor(random() * 4);
    let title = Array.from({ length: n }, word).join(' ');
    title = title.charAt(0).toUpperCase() + title.slice(1);
    if (seenSlugs.has(slugify(title))) title = `${title} ${i}`;
    seenSlugs.add(slugify(title));
    titles.push(title);
    slugs.push(slugify(title));
  }

  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  try {
    const batch = 1000;
    const start = Date.now() - pages * 60_000;
    for (let offset = 0; offset < pages; offset += batch) {
      const rows = {
        id: [] as string[],
        slug: [] as string[],
        title: [] as string[],
        body: [] as string[],
        tags: [] as string[],
        at: [] as string[],
      };
      const links = { source: [] as string[], slug: [] as string[] };
      for (let i = offset; i < Math.min(offset + batch, pages); i++) {
        const id = randomUUID();
        const paragraphs: string[] = [];
        const paragraphCount = 1 + Math.floor(random() * 4);
        for (let p = 0; p < paragraphCount; p++) {
          const length = 20 + Math.floor(random() * 60);
          const sentence = Array.from({ length }, word);
          if (random() < 0.5)
            sentence.splice(
              Math.floor(random() * length),
              0,
              `[[${titles[Math.floor(random() * pages)]}]]`,
            );
          if (random() < 0.15) sentence.push(`see /notes/${slugs[Math.floor(random() * pages)]}`);
          paragraphs.push(sentence.join(' ') + '.');
        }
        const body = paragraphs.join('\n\n');
        const pageTags = [...new Set(Array.from({ length: 1 + Math.floor(random() * 3) }, tag))];
        rows.id.push(id);
        rows.slug.push(slugs[i]!);
        rows.title.push(titles[i]!);
        rows.body.push(body);
        rows.tags.push(`{${pageTags.map((t) => `"${t}"`).join(',')}}`);
        rows.at.push(new Date(start + i * 60_000).toISOString());
        for (const target of parseLinks(body).slugs) {
          links.source.push(id);
          links.slug.push(target);
        }
      }
      await pool.query(
        `INSERT INTO notes (id, slug, title, body, tags, version, created_at, updated_at,
           created_by_id, created_by_name, updated_by_id, updated_by_name)
         SELECT id, slug, title, body, tags::text[], 1, at, at, $7, $8, $7, $8
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[])
           AS r(id, slug, title, body, tags, at)`,
        [rows.id, rows.slug, rows.title, rows.body, rows.tags, rows.at, AUTHOR.id, AUTHOR.name],
      );
      await pool.query(
        `INSERT INTO note_links (source_id, target_slug) SELECT * FROM unnest($1::uuid[], $2::text[])`,
        [links.source, links.slug],
      );
    }
    await pool.query(
      `INSERT INTO note_revisions (note_id, number, title, body, tags, created_at, author_id, author_name)
       SELECT id, 1, title, body, tags, created_at, created_by_id, created_by_name FROM notes`,
    );
    await pool.query(
      `INSERT INTO search_terms (term)
       SELECT DISTINCT lower(notes_unaccent(w)) FROM unnest($1::text[]) AS w ON CONFLICT DO NOTHING`,
      [words],
    );
    await pool.query('VACUUM ANALYZE');
    return { ...(await describeWiki(pool)), seconds: (performance.now() - started) / 1000 };
  } finally {
    await pool.end();
  }
}

/**
 * What the scenarios pick from, read back from a seeded database (so a database seeded by an
 * earlier run can be reused with BENCH_DATABASE_URL): every live slug, the 40 most used tags,
 * and the most and least frequent body words actually seeded (measured, not assumed).
 */
export async function describeWiki(pool: pg.Pool): Promise<Omit<SeededWiki, 'seconds'>> {
  const slugs = await pool.query<{ slug: string }>(
    `SELECT slug FROM notes WHERE deleted_at IS NULL AND created_by_id = $1 ORDER BY created_at`,
    [AUTHOR.id],
  );
  const tags = await pool.query<{ tag: string }>(
    `SELECT t AS tag FROM notes, unnest(tags) t WHERE created_by_id = $1
     GROUP BY t ORDER BY count(*) DESC, t LIMIT 40`,
    [AUTHOR.id],
  );
  const stats = await pool.query<{ word: string; ndoc: number }>(
    // Folded as the search index folds them (notes_unaccent): counted raw, "creme" was "rare"
    // (one page wrote it so) while the index finds it, as "crème", on thousands.
    `SELECT word, ndoc FROM ts_stat($$SELECT to_tsvector('simple', notes_unaccent(body)) FROM notes TABLESAMPLE BERNOULLI (5) REPEATABLE (42)$$)
     WHERE word ~ '^[a-z]{5,}$' ORDER BY ndoc DESC, word`,
  );
  return {
    pages: slugs.rows.length,
    slugs: slugs.rows.map((r) => r.slug),
    tags: tags.rows.map((r) => r.tag),
    commonWords: stats.rows.slice(0, 20).map((r) => r.word),
    rareWords: stats.rows
      .filter((r) => r.ndoc === 1)
      .slice(0, 200)
      .map((r) => r.word),
  };
}
