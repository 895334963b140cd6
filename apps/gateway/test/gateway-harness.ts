import { loadConfig } from '@lateral/config';
import { type ServiceApp } from '@lateral/http';
import { createLogger, createMetrics, type ServiceMetrics } from '@lateral/observability';
import { createTestDatabase, type TestDatabase } from '@lateral/testing';
import request from 'supertest';
import { runMigrations } from '../src/database/data-source.js';
import { createGatewayApp } from '../src/gateway.app.js';
import { GatewayConfig, gatewayEnvSchema } from '../src/gateway.config.js';

export const INTERNAL_SECRET = 'test-internal-secret-0123456789abcdef';
export const BOOTSTRAP_TOKEN = 'test-bootstrap-token-0123456789abcdef';
export const ADMIN_EMAIL = 'admin@example.test';
export const ADMIN_PASSWORD = 'correct horse battery staple';

export interface GatewayHarness {
  app: ServiceApp;
  config: GatewayConfig;
  metrics: ServiceMetrics;
  db: TestDatabase;
  http: () => ReturnType<typeof request>;
  close(): Promise<void>;
}

/** A gateway on its own fresh database, migrated, in-process (supertest drives it). */
export async function startGateway(
  adminUrl: string,
  env: Record<string, string>,
  /** `log`: every log line (level debug) lands here, to check what is and is not logged. */
  options: { log?: string[] } = {},
): Promise<GatewayHarness> {
  const db = await createTestDatabase(adminUrl, 'gateway');
  await runMigrations(db.url);
  const config = new GatewayConfig(
    loadConfig(gatewayEnvSchema, {
      METRICS_PORT: '9080',
      LOG_LEVEL: 'silent',
      LATERAL_INTERNAL_SECRET: INTERNAL_SECRET,
      DATABASE_URL: db.url,
      PUBLIC_URL: 'http://127.0.0.1:8080',
      SESSION_SECRET: 'test-session-secret-0123456789abcdefgh',
      LATERAL_BOOTSTRAP_TOKEN: BOOTSTRAP_TOKEN,
      COOKIE_SECURE: 'false',
      LATERAL_ADMIN_EMAIL: ADMIN_EMAIL,
      LATERAL_ADMIN_PASSWORD: ADMIN_PASSWORD,
      UPSTREAM_CONNECT_TIMEOUT_MS: '1000',
      UPSTREAM_HEADERS_TIMEOUT_MS: '3000',
      ...env,
    }),
  );
  const metrics = createMetrics({ service: 'gateway', version: 'test', gitSha: 'test' });
  const app = await createGatewayApp(config, {
    logger: options.log
      ? createLogger(
          { service: 'gateway', level: 'debug' },
          { write: (line) => options.log!.push(line) },
        )
      : createLogger({ service: 'gateway', level: 'silent' }),
    metrics,
  });
  await app.getHttpAdapter().getInstance().ready();
  return {
    app,
    config,
    metrics,
    db,
    http: () => request(app.getHttpServer()),
    close: async () => {
      await app.close();
      await db.drop();
    },
  };
}

/** Signs in through POST /login (JSON) and returns the cookie header and CSRF token. */
export async function signIn(
  harness: GatewayHarness,
  email = ADMIN_EMAIL,
  password = ADMIN_PASSWORD,
): Promise<{ cookie: string; csrf: string }> {
  const res = await harness.http().post('/login').send({ email, password });
  if (res.status !== 200)
    throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
  const setCookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  const cookie = setCookie.map((c) => c.split(';')[0]).join('; ');
  const me = await harness.http().get('/api/v1/session').set('cookie', cookie);
  return { cookie, csrf: String(me.body.csrfToken) };
}
