import Fastify from 'fastify';
import { slugify } from '@lateral/contracts';
import pg from 'pg';
import { parseLinks } from '../src/links/link-parser.js';
import { NOTE_COLUMNS, SUMMARY_COLUMNS } from '../src/notes/note.rows.js';
import { buildSearchQuery } from '../src/search/search-query.js';
import { TSQUERY_SQL, fulltextParams, fulltextSql } from '../src/search/search.repository.js';

/**
 * The ceiling: a bare Fastify + node-postgres server running the same SQL as the notes service
 * for each benchmarked route, without Nest, validation, identity, logging or metrics.
 * Run as its own process: `PORT=… DATABASE_URL=… node --import scripts/ts-register.mjs …`.
 */
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
// Connections dropped by the server (e.g. at the end of the run) must not crash the process.
pool.on('error', () => undefined);
const app = Fastify({ logger: false });

app.get<{ Params: { slug: string } }>('/api/v1/notes/:slug', async (req, reply) => {
  const { rows } = await pool.query(
    `SELECT ${NOTE_COLUMNS} FROM notes n WHERE n.slug = $1 AND n.deleted_at IS NULL`,
    [req.params.slug],
  );
  return rows[0] ?? reply.code(404).send({ error: { code: 'note_not_found' } });
});

app.get<{ Querystring: { tag?: string; limit?: string } }>('/api/v1/notes', async (req) => {
  const { rows } = await pool.query(
    `SELECT ${SUMMARY_COLUMNS} FROM notes n WHERE n.deleted_at IS NULL AND n.tags @> $2::text[]
     ORDER BY n.updated_at DESC, n.id DESC LIMIT $1`,
    [Number(req.query.limit ?? 20) + 1, [req.query.tag ?? '']],
  );
  return { items: rows.slice(0, 20), nextCursor: null };
});

// The same two statements as notes' search (the tsquery, then the ranked hits), without the
// tsquery cache and the snippets notes makes from the rows.
app.get<{ Querystring: { q: string } }>('/api/v1/search', async (req) => {
  const query = buildSearchQuery(req.query.q);
  const tsquery = await pool.query<{ tsquery: string }>(TSQUERY_SQL, [
    query.websearch,
    query.prefix,
  ]);
  const { rows } = await pool.query(
    fulltextSql({ with: '', condition: 'TRUE' }),
    fulltextParams(tsquery.rows[0]!.tsquery, query, { limit: 20 }),
  );
  return { items: rows };
});

async function save(
  sql: string,
  params: unknown[],
  body: string,
): Promise<Record<string, unknown> | undefined> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query(sql, params);
    const row = rows[0] as Record<string, unknown> | undefined;
    if (row) {
      await client.query(
        `INSERT INTO note_revisions (note_id, number, title, body, tags, created_at, author_id, author_name)
         VALUES ($1, $2, $3, $4, $5, now(), 'ceiling', 'Ceiling')`,
        [row.id, row.version, row.title, row.body, row.tags],
      );
      await client.query('DELETE FROM note_links WHERE source_id = $1', [row.id]);
      await client.query(
        `INSERT INTO note_links (source_id, target_slug) SELECT $1, s FROM unnest($2::text[]) s`,
        [row.id, parseLinks(body).slugs],
      );
    }
    await client.query('COMMIT');
    return row;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

app.post<{ Body: { title: string; body: string; tags: string[] } }>(
  '/api/v1/notes',
  async (req, reply) => {
    const { title, body, tags } = req.body;
    const row = await save(
      `INSERT INTO notes AS n (slug, title, body, tags, created_at, updated_at, created_by_id, created_by_name, updated_by_id, updated_by_name)
     VALUES ($1, $2, $3, $4, now(), now(), 'ceiling', 'Ceiling', 'ceiling', 'Ceiling') RETURNING ${NOTE_COLUMNS}`,
      [slugify(title), title, body, tags],
      body,
    );
    return reply.code(201).send(row);
  },
);

app.put<{ Params: { id: string }; Body: { body: string; version: number } }>(
  '/api/v1/notes/:id',
  async (req, reply) => {
    const row = await save(
      `UPDATE notes AS n SET body = $3, version = n.version + 1, updated_at = now()
     WHERE n.id = $1 AND n.version = $2 AND n.deleted_at IS NULL RETURNING ${NOTE_COLUMNS}`,
      [req.params.id, req.body.version, req.body.body],
      req.body.body,
    );
    return row ?? reply.code(409).send({ error: { code: 'version_conflict' } });
  },
);

await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  void app
    .close()
    .then(() => pool.end())
    .then(() => process.exit(0));
});
