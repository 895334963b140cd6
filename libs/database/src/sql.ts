import { createHash } from 'node:crypto';
import { type Pool } from 'pg';
import { type DataSource, type QueryRunner } from 'typeorm';

/** Statement text → its prepared statement's name (the same text always gets the same name). */
const statementNames = new Map<string, string>();

function statementName(text: string): string {
  let name = statementNames.get(text);
  if (name === undefined) {
    name = `lateral_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
    statementNames.set(text, name);
  }
  return name;
}

/**
 * Rows of a hot read, run as a named prepared statement straight on the data source's pg pool.
 * PostgreSQL parses and plans it once per connection instead of on every call (the database
 * shares the CPU with the services), and the call skips TypeORM's query runner (logging hooks,
 * event broadcast, a runner per call). For the few statements every page view runs; anything
 * else keeps `dataSource.query`. The name is derived from the text, so callers cannot clash.
 * Errors are node-postgres' own (SQLSTATE in `code`), which every error check here reads.
 */
export async function preparedRows<T>(
  dataSource: DataSource,
  text: string,
  params: unknown[],
): Promise<T[]> {
  // TypeORM's PostgresDriver keeps its pg.Pool as `master` (no public accessor).
  const pool = (dataSource.driver as unknown as { master?: Pool }).master;
  if (!pool) return dataSource.query<T[]>(text, params);
  const result = await pool.query({ name: statementName(text), text, values: params });
  return result.rows as T[];
}

/** A read statement with its parameters ($1… numbered from 1): a part of {@link rowsTogether}. */
export interface Statement {
  text: string;
  params: unknown[];
}

/** A column of JSON timestamps by this schema's naming (`created_at`, `updated_at`, …). */
const TIME_COLUMN = /_at$/;

/**
 * The rows of several independent read statements in one round trip, as a prepared statement
 * (see {@link preparedRows}): each part runs as a subquery of one SELECT and comes back as a JSON
 * array, in the part's own order (json_agg over a sorted subquery with nothing else at its
 * level keeps it). Each part's parameters are renumbered after the previous parts'. For a page
 * view, whose four reads were four statements on four connections: each is a socket write that
 * wakes PostgreSQL, then a parse and a plan there, which cost more than the rows themselves.
 * Values come back as JSON has them, except timestamps (columns named `*_at`), which are Dates
 * again as pg would give them (to the millisecond); parts must not return types JSON cannot hold
 * exactly (bigint beyond 2^53, bytea).
 */
export async function rowsTogether<K extends string>(
  dataSource: DataSource,
  parts: Record<K, Statement>,
): Promise<Record<K, Record<string, unknown>[]>> {
  const params: unknown[] = [];
  const columns = (Object.entries(parts) as [K, Statement][]).map(([name, part]) => {
    const offset = params.length;
    params.push(...part.params);
    const text = part.text.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`);
    return `(SELECT coalesce(json_agg(r), '[]'::json) FROM (${text}) r) AS "${name}"`;
  });
  if (columns.length === 0) return {} as Record<K, Record<string, unknown>[]>;
  const [row] = await preparedRows<Record<K, Record<string, unknown>[]>>(
    dataSource,
    `SELECT ${columns.join(',\n')}`,
    params,
  );
  for (const list of Object.values<Record<string, unknown>[]>(row!)) {
    for (const item of list) {
      for (const [key, value] of Object.entries(item)) {
        if (typeof value === 'string' && TIME_COLUMN.test(key)) item[key] = new Date(value);
      }
    }
  }
  return row!;
}

/**
 * Rows of any statement (UPDATE … RETURNING included). TypeORM's plain `query()` answers
 * `[rows, count]` for UPDATE/DELETE and rows otherwise; the structured form is uniform.
 */
export async function rows<T>(
  runner: QueryRunner,
  text: string,
  params: unknown[] = [],
): Promise<T[]> {
  const result = await runner.query(text, params, true);
  return result.records as T[];
}

/** Runs `work` in one transaction on one connection; rolls back on any error. */
export async function inTransaction<T>(
  dataSource: DataSource,
  work: (runner: QueryRunner) => Promise<T>,
): Promise<T> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction();
    const value = await work(runner);
    await runner.commitTransaction();
    return value;
  } catch (error) {
    if (runner.isTransactionActive) await runner.rollbackTransaction();
    throw error;
  } finally {
    await runner.release();
  }
}

/** Runs `work` on one pooled connection without a transaction. */
export async function onConnection<T>(
  dataSource: DataSource,
  work: (runner: QueryRunner) => Promise<T>,
): Promise<T> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    return await work(runner);
  } finally {
    await runner.release();
  }
}

/** The constraint a unique violation (23505) broke, if that is what `error` is. */
export function uniqueViolation(error: unknown): string | undefined {
  const e = error as {
    code?: string;
    constraint?: string;
    driverError?: { code?: string; constraint?: string };
  };
  const code = e.driverError?.code ?? e.code;
  return code === '23505' ? (e.driverError?.constraint ?? e.constraint ?? '') : undefined;
}
