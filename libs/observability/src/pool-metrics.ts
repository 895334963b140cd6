import { Gauge, type Registry } from 'prom-client';

/** The counters node-postgres keeps on a `pg.Pool` (TypeORM's postgres driver uses one). */
export interface PoolStats {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
  options: { max?: number };
}

/**
 * USE metrics for a database pool, read at scrape time:
 * `lateral_db_pool_connections{state="in_use"|"idle"}`, `lateral_db_pool_waiting_requests`
 * (saturation: queries queued for a connection) and `lateral_db_pool_max_connections`.
 */
export function registerPoolMetrics(
  registry: Registry,
  getPool: () => PoolStats | undefined,
): void {
  new Gauge({
    name: 'lateral_db_pool_connections',
    help: 'Database pool connections by state.',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const pool = getPool();
      this.set({ state: 'in_use' }, pool ? pool.totalCount - pool.idleCount : 0);
      this.set({ state: 'idle' }, pool?.idleCount ?? 0);
    },
  });
  new Gauge({
    name: 'lateral_db_pool_waiting_requests',
    help: 'Queries waiting for a free pool connection.',
    registers: [registry],
    collect() {
      this.set(getPool()?.waitingCount ?? 0);
    },
  });
  new Gauge({
    name: 'lateral_db_pool_max_connections',
    help: 'Configured maximum size of the database pool.',
    registers: [registry],
    collect() {
      this.set(getPool()?.options.max ?? 10);
    },
  });
}
