import { Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import { createGenericPlanPool } from '@lateral/database';
import { type Pool } from 'pg';
import { DataSource } from 'typeorm';

/**
 * Connections (per notes process) besides the data source's pool. PostgreSQL's work here is
 * CPU-bound, so a few keep its cores busy; more statements wait for one.
 */
export const GENERIC_PLAN_CONNECTIONS = 4;

/**
 * Notes' pool of sessions that plan each prepared statement once, generically (see
 * createGenericPlanPool), for the statements whose best plan does not depend on their values:
 * a page view, the page with its context (every part a lookup by key; PageContextRepository),
 * and rare-word searches (SearchRepository). PostgreSQL's own choice (`plan_cache_mode = auto`)
 * kept planning the page view for every call: on the 100k-page benchmark wiki 4.6 ms of
 * planning per 4.7 ms of execution. Made on first use; ended at shutdown.
 */
@Injectable()
export class GenericPlans implements BeforeApplicationShutdown {
  private pool: Pool | undefined;

  constructor(private readonly dataSource: DataSource) {}

  /** The pool; undefined before the data source is initialized (callers then use its own). */
  get(): Pool | undefined {
    this.pool ??= createGenericPlanPool(this.dataSource, GENERIC_PLAN_CONNECTIONS);
    return this.pool;
  }

  async beforeApplicationShutdown(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    await pool?.end();
  }
}
