import { createHash } from 'node:crypto';
import pg, { type Pool } from 'pg';
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
 * The data source's node-postgres pool, for what TypeORM's query runner cannot do (named
 * prepared statements, COPY, pool metrics); undefined before it is initialized. TypeORM's
 * PostgresDriver keeps it as `master` and has no public accessor.
 */
export function pgPool(dataSource: DataSource): Pool | undefined {
  return (dataSource.driver as unknown as { master?: Pool }).master;
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
  const pool = pgPool(dataSource);
  if (!pool) return dataSource.query<T[]>(text, params);
  return preparedRowsOn<T>(pool, text, params);
}

/** {@link preparedRows} on a given pool (such as one from {@link createGenericPlanPool}). */
export async function preparedRowsOn<T>(pool: Pool, text: string, params: unknown[]): Promise<T[]> {
  const result = await pool.query({ name: statementName(text), text, values: params });
  return result.rows as T[];
}

/**
 * A second pool to the data source's database (same settings, at most `max` connections) whose
 * sessions plan every prepared statement once, generically (`plan_cache_mode =
 * force_generic_plan`), instead of for each call's values. PostgreSQL only offers that per
 * session, and the data source's sessions must keep planning with the values (most statements
 * need them). For a statement whose best plan the caller knows not to depend on the values it
 * sends (reads by key; notes' rare-word searches); run it with {@link preparedRowsOn} or
 * {@link rowsTogether}, and write limits into its text ({@link sqlLimit}). The caller owns the
 * pool and ends it; idle connections do not keep the process alive. Undefined before the data
 * source is initialized.
 */
export function createGenericPlanPool(dataSource: DataSource, max: number): Pool | undefined {
  const main = pgPool(dataSource);
  if (!main) return undefined;
  const options = main.options as pg.PoolConfig;
  const pool = new pg.Pool({
    ...options,
    max,
    allowExitOnIdle: true,
    options: [options.options, '-c plan_cache_mode=force_generic_plan'].filter(Boolean).join(' '),
  });
  // An idle connection that breaks (PostgreSQL restarted) is dropped by the pool; without a
  // listener the error would end the process. Queries on a broken connection fail to their caller.
  pool.on('error', () => undefined);
  return pool;
}

/**
 * A row count written into a statement's text instead of sent as a parameter, for a limit the
 * code chooses (or has validated): a plan made once for every call (a prepared statement's
 * generic plan) cannot see a parameter's value and assumes a LIMIT keeps a large share of the
 * rows, so it read a 100k-page table whole to answer 101 rows. Throws on anything but a
 * non-negative safe integer, so nothing else is ever written into SQL through it.
 */
export function sqlLimit(rows: number): string {
  if (!Number.isSafeInteger(rows) || rows < 0) throw new Error(`not a row count: ${rows}`);
  return String(rows);
}

/** A read statement with its parameters ($1… numbered from 1): a part of {@link rowsTogether}. */
export interface Statement {
  text: string;
  params: unknown[];
}

/** A column of JSON timestamps by this schema's naming (`created_at`, `updated_at`, …). */
const TIME_COLUMN = /_at$/;

/**
 * A parameter of a {@link rowsTogether} part that is a column of an earlier part's row (a part
 * of at most one row), read in the same statement: `(SELECT column FROM part)`, NULL when that
 * part found nothing.
 */
export class ColumnOf {
  constructor(
    readonly part: string,
    readonly column: string,
  ) {}
}

/**
 * The rows of several read statements in one round trip, as a prepared statement (see
 * {@link preparedRows}). Each part is a CTE of one statement and comes back as a JSON array, in
 * the part's own order (json_agg over a sorted CTE with nothing else at its level keeps it); a
 * part may take a value from an earlier part's row ({@link ColumnOf}), so a read can depend on
 * what an earlier one found. Parameters are renumbered into one list. For a page view, whose
 * reads were a statement each: each is a socket write that wakes PostgreSQL, then a parse and a
 * plan there, which cost more than the rows themselves. Values come back as JSON has them,
 * except timestamps (columns named `*_at`), which are Dates again as pg would give them (to the
 * millisecond); parts must not return types JSON cannot hold exactly (bigint beyond 2^53, bytea).
 * `T` names each part's row type, as `dataSource.query<T>` does. Part names are identifiers of
 * the caller's code, never input.
 */
export async function rowsTogether<T extends Partial<Record<string, object[]>>>(
  dataSource: DataSource,
  parts: Partial<Record<keyof T & string, Statement>>,
  /** Where to run it instead of the data source's pool (see {@link createGenericPlanPool}). */
  pool?: Pool,
): Promise<T> {
  if (Object.keys(parts).length === 0) return {} as T;
  const { text, params } = statementTogether(parts);
  type Row = Record<string, Record<string, unknown>[]>;
  const [row] = pool
    ? await preparedRowsOn<Row>(pool, text, params)
    : await preparedRows<Row>(dataSource, text, params);
  for (const list of Object.values<Record<string, unknown>[]>(row!)) {
    for (const item of list) {
      for (const [key, value] of Object.entries(item)) {
        if (typeof value === 'string' && TIME_COLUMN.test(key)) item[key] = new Date(value);
      }
    }
  }
  return row as T;
}

/** The one statement {@link rowsTogether} runs for `parts` (non-empty), e.g. to EXPLAIN it. */
export function statementTogether(parts: Partial<Record<string, Statement>>): Statement {
  const params: unknown[] = [];
  const entries = Object.entries(parts) as [string, Statement][];
  const ctes = entries.map(([name, part]) => {
    const placed = part.params.map((value) => {
      if (value instanceof ColumnOf) return `(SELECT "${value.column}" FROM "${value.part}")`;
      params.push(value);
      return `$${params.length}`;
    });
    const text = part.text.replace(/\$(\d+)/g, (_, n: string) => placed[Number(n) - 1]!);
    return `"${name}" AS MATERIALIZED (${text})`;
  });
  const columns = entries.map(
    ([name]) => `(SELECT coalesce(json_agg(r), '[]'::json) FROM "${name}" r) AS "${name}"`,
  );
  return { text: `WITH ${ctes.join(',\n')}\nSELECT ${columns.join(',\n')}`, params };
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
