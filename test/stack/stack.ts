import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  createTestDatabase,
  freePort,
  startPostgresServer,
  type PostgresServer,
  type TestDatabase,
} from '@lateral/testing';
import { LoadBalancer } from './load-balancer.js';
import {
  DIST_ROOT,
  ROOT,
  SERVICES,
  ServiceProcess,
  distEntry,
  isBuilt,
  type ServiceName,
} from './service-process.js';

export const INTERNAL_SECRET = 'stack-internal-secret-0123456789abcdef';
export const BOOTSTRAP_TOKEN = 'stack-bootstrap-token-0123456789abcdef';
export const SESSION_SECRET = 'stack-session-secret-0123456789abcdefgh';
export const ADMIN_EMAIL = 'admin@stack.test';
export const ADMIN_PASSWORD = 'stack admin password 0123';

export interface StackOptions {
  /** Replicas per service, each its own process behind the service's load balancer. */
  replicas?: number;
  /** Extra environment per service. */
  env?: Partial<Record<ServiceName, Record<string, string>>>;
  /** A PostgreSQL server to use instead of starting one. */
  adminUrl?: string;
  /** Let the caller start with services missing from the build (reported in `missing`). */
  allowMissing?: boolean;
  /** The balancers keep routing to replicas whose readiness fails (outage tests). */
  routeUnready?: boolean;
}

/**
 * The whole product on one machine as Kubernetes runs it: PostgreSQL with one database per
 * service, each service's migrations run as their own command, every replica its own process
 * from the built dist, and one load balancer per service (a Service) that the gateway and the
 * test clients go through. Only 127.0.0.1.
 */
export class Stack {
  readonly replicas: Record<ServiceName, ServiceProcess[]> = { notes: [], media: [], gateway: [] };
  /** Every replica's log, kept after the run only when `keepLogs` is set (a test failed). */
  readonly logDir: string;
  keepLogs = false;
  private counter = 0;

  private constructor(
    readonly pg: PostgresServer | undefined,
    readonly adminUrl: string,
    readonly databases: Record<ServiceName, TestDatabase | undefined>,
    readonly balancers: Record<ServiceName, LoadBalancer>,
    readonly missing: ServiceName[],
    private readonly options: StackOptions,
  ) {
    const parent = join(ROOT, '.cache/stack-logs');
    mkdirSync(parent, { recursive: true });
    this.logDir = mkdtempSync(join(parent, 'run-'));
  }

  static async start(options: StackOptions = {}): Promise<Stack> {
    const missing = SERVICES.filter((s) => !isBuilt(s));
    if (missing.length > 0 && !options.allowMissing)
      throw new Error(`not built: ${missing.join(', ')} (run npm run build)`);
    if (missing.includes('gateway')) throw new Error('the gateway is not built (npm run build)');
    const pg = options.adminUrl ? undefined : await startPostgresServer();
    const adminUrl = options.adminUrl ?? (pg as PostgresServer).adminUrl;
    const databases = { notes: undefined, media: undefined, gateway: undefined } as Record<
      ServiceName,
      TestDatabase | undefined
    >;
    const balancer = () => LoadBalancer.start(200, options.routeUnready ?? false);
    const balancers = {
      notes: await balancer(),
      media: await balancer(),
      gateway: await balancer(),
    };
    const stack = new Stack(pg, adminUrl, databases, balancers, missing, options);
    try {
      for (const service of stack.present) {
        const db = await createTestDatabase(adminUrl, `stack_${service}`);
        databases[service] = db;
        stack.migrate(service);
      }
      // notes and media first (the gateway's readiness does not need them, but traffic does).
      const replicas = Array.from({ length: options.replicas ?? 1 });
      const backends = stack.present.filter((s) => s !== 'gateway');
      await Promise.all(backends.flatMap((s) => replicas.map(() => stack.addReplica(s))));
      await Promise.all(replicas.map(() => stack.addReplica('gateway')));
    } catch (error) {
      await stack.stop();
      throw error;
    }
    return stack;
  }

  get present(): ServiceName[] {
    return SERVICES.filter((s) => !this.missing.includes(s));
  }

  get gatewayUrl(): string {
    return this.balancers.gateway.url;
  }

  /** The migrations, as the Job runs them before new pods. */
  migrate(service: ServiceName): void {
    const result = spawnSync(process.execPath, [distEntry(service, 'migrate.js')], {
      cwd: DIST_ROOT,
      env: { PATH: process.env.PATH ?? '', ...this.env(service) },
      encoding: 'utf8',
    });
    if (result.status !== 0)
      throw new Error(`${service} migrations failed:\n${result.stdout}${result.stderr}`);
  }

  /** A new replica: started, ready, then in its load balancer's rotation. */
  async addReplica(service: ServiceName): Promise<ServiceProcess> {
    const [port, metricsPort] = [await freePort(), await freePort()];
    this.counter += 1;
    const replica = new ServiceProcess(
      service,
      `${service}-${this.counter}`,
      port,
      metricsPort,
      { ...this.env(service), PORT: String(port), METRICS_PORT: String(metricsPort) },
      this.logDir,
    );
    this.replicas[service].push(replica);
    this.allReplicas.push(replica);
    await replica.ready();
    this.balancers[service].add(port);
    await this.waitInRotation(service, port);
    return replica;
  }

  /**
   * A rolling update step (maxSurge 1, maxUnavailable 0): the new replica is ready first, then
   * the old one is deleted: SIGTERM, and its endpoint leaves the Service a moment later (the
   * endpoints controller and kube-proxy lag behind the kubelet).
   */
  async replace(old: ServiceProcess, endpointLagMs = 300): Promise<ServiceProcess> {
    const fresh = await this.addReplica(old.service);
    const stopped = old.stop();
    await new Promise((r) => setTimeout(r, endpointLagMs));
    this.balancers[old.service].remove(old.port);
    const exit = await stopped;
    if (exit.code !== 0)
      throw new Error(`${old.name} exited with ${exit.code ?? exit.signal}:\n${old.tail()}`);
    this.replicas[old.service] = this.replicas[old.service].filter((r) => r !== old);
    return fresh;
  }

  /** Every log line of every replica of a service, stopped ones included. */
  logs(service: ServiceName): ServiceProcess['logs'] {
    return this.allReplicas.filter((r) => r.service === service).flatMap((r) => r.logs);
  }

  private readonly allReplicas: ServiceProcess[] = [];

  async stop(): Promise<void> {
    await Promise.all(this.replicas.gateway.map((r) => r.stop(5000)));
    await Promise.all([...this.replicas.notes, ...this.replicas.media].map((r) => r.stop(5000)));
    await Promise.all(Object.values(this.balancers).map((b) => b.close()));
    for (const db of Object.values(this.databases)) await db?.drop().catch(() => undefined);
    await this.pg?.stop();
    if (!this.keepLogs) rmSync(this.logDir, { recursive: true, force: true });
  }

  private async waitInRotation(service: ServiceName, port: number): Promise<void> {
    // The balancer probes readiness on its own clock; wait for one passing probe.
    const deadline = Date.now() + 5000;
    while (!this.balancers[service].isReady(port)) {
      if (Date.now() > deadline) throw new Error(`${service}:${port} never entered rotation`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  private env(service: ServiceName): Record<string, string> {
    const common = {
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      LATERAL_INTERNAL_SECRET: INTERNAL_SECRET,
      LATERAL_VERSION: 'stack-test',
      LATERAL_GIT_SHA: 'stack',
      DATABASE_URL: this.databases[service]?.url ?? '',
      // Long enough for the balancer's 200 ms readiness probe to see the 503, as in a cluster.
      SHUTDOWN_DRAIN_MS: '1000',
      SHUTDOWN_TIMEOUT_MS: '15000',
    };
    const gateway: Record<string, string> =
      service === 'gateway'
        ? {
            NOTES_URL: this.balancers.notes.url,
            MEDIA_URL: this.balancers.media.url,
            PUBLIC_URL: 'http://127.0.0.1:8080',
            SESSION_SECRET: SESSION_SECRET,
            COOKIE_SECURE: 'false',
            LATERAL_BOOTSTRAP_TOKEN: BOOTSTRAP_TOKEN,
            LATERAL_ADMIN_EMAIL: ADMIN_EMAIL,
            LATERAL_ADMIN_PASSWORD: ADMIN_PASSWORD,
            RATE_LIMIT_API_PER_MINUTE: '1000000',
            // The benchmark views pages as one person far faster than anyone reads.
            RATE_LIMIT_WEB_PER_MINUTE: '1000000',
            RATE_LIMIT_LOGIN_PER_MINUTE: '1000',
          }
        : {};
    return { ...common, ...gateway, ...(this.options.env?.[service] ?? {}) };
  }
}
