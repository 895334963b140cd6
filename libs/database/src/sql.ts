import { type DataSource, type QueryRunner } from 'typeorm';

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
