import { type BeforeApplicationShutdown } from '@nestjs/common';
import { createGenericPlanPool } from '@lateral/database';
import { type Pool } from 'pg';
import { type DataSource } from 'typeorm';

/**
 * Connections given to generic plans at most. PostgreSQL's work here is CPU-bound: a few keep
 * its cores busy; more statements wait for one.
 */
export const MAX_GENERIC_PLAN_CONNECTIONS = 4;

/**
 * How a process's DATABASE_POOL_MAX connections are shared: up to MAX_GENERIC_PLAN_CONNECTIONS,
 * never more than half, plan generically; the rest are the data source's pool. The total stays
 * what the operator sized PostgreSQL's `max_connections` for (pods × DATABASE_POOL_MAX).
 */
export function sharePool(total: number): { dataSource: number; generic: number } {
  const generic = Math.min(MAX_GENERIC_PLAN_CONNECTIONS, Math.floor(total / 2));
  return { dataSource: total - generic, generic };
}

/**
 * Notes' pool of sessions that plan each prepared statement once, generically (see
 * createGenericPlanPool), for the statements whose best plan does not depend on their values:
 * a page view, the page with its context (every part a lookup by key; PageContextRepository),
 * and rare-word searches (SearchRepository). PostgreSQL's own choice (`plan_cache_mode = auto`)
 * kept planning the page view for every call: on the 100k-page benchmark wiki 4.6 ms of
 * planning per 4.7 ms of execution. Made on first use; ended at shutdown. With no connections
 * to spare (DATABASE_POOL_MAX 1) there is none, and callers use the data source's pool.
 */
export class GenericPlans implements BeforeApplicationShutdown {
  private pool: Pool | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly connections: number,
  ) {}

  /** The pool; undefined before the data source is initialized or without connections. */
  get(): Pool | undefined {
    if (this.connections < 1) return undefined;
    this.pool ??= createGenericPlanPool(this.dataSource, this.connections);
    return this.pool;
  }

  async beforeApplicationShutdown(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    await pool?.end();
  }
}
