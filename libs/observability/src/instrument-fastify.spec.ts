import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { instrumentFastify } from './instrument-fastify.js';
import { createLogger } from './logger.js';
import { UNMATCHED_ROUTE, createMetrics } from './metrics.js';
import { requestContext } from './request-context.js';

type Line = Record<string, unknown>;

/** A Fastify app with the shared instrumentation, its log lines kept in memory. */
function instrumented(): {
  app: FastifyInstance;
  lines: Line[];
  metrics: ReturnType<typeof createMetrics>;
} {
  const lines: Line[] = [];
  const logger = createLogger(
    { service: 'test', level: 'info' },
    { write: (line: string) => void lines.push(JSON.parse(line) as Line) },
  );
  const metrics = createMetrics({ service: 'test', version: 'v', gitSha: 'g' });
  const app = Fastify();
  instrumentFastify(app, metrics, logger);
  app.get('/pages/:id', (request) => {
    // What an auth step does once it knows the caller.
    request.lateralContext.userId = 'user-7';
    logger.info({ page: (request.params as { id: string }).id }, 'page read');
    return { ok: true };
  });
  app.get('/boom', () => {
    throw new Error('kaput');
  });
  app.post('/invite/:token/accept', () => ({ ok: true }));
  app.get('/healthz', () => ({ status: 'ok' }));
  app.get('/readyz', () => ({ status: 'ready' }));
  app.post('/login', (request) => {
    logger.info({ body: request.body, headers: request.headers }, 'login');
    logger.info({ upstream: { headers: { cookie: 'lateral_session=s3ss10n' } } }, 'upstream');
    logger.info({ user: { password: 'hunter2', token: 't0k3n' } }, 'nested');
    return {};
  });
  return { app, lines, metrics };
}

const completed = (lines: Line[]) => lines.filter((l) => l.msg === 'request completed');

describe('instrumentFastify', () => {
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    await app?.close();
  });

  it('writes one line per request with request id, route template, status, duration and user', async () => {
    const t = instrumented();
    app = t.app;
    const res = await app.inject({
      url: '/pages/42?q=secret',
      headers: { 'x-request-id': 'abc-123' },
    });

    expect(res.headers['x-request-id']).toBe('abc-123');
    const [line] = completed(t.lines);
    expect(completed(t.lines)).toHaveLength(1);
    expect(line).toMatchObject({
      service: 'test',
      level: 'info',
      requestId: 'abc-123',
      userId: 'user-7',
      method: 'GET',
      route: '/pages/:id',
      path: '/pages/42',
      statusCode: 200,
    });
    expect(line?.durationMs).toEqual(expect.any(Number));
    // Lines written inside the request carry its id too.
    expect(t.lines.find((l) => l.msg === 'page read')).toMatchObject({ requestId: 'abc-123' });
  });

  it('keeps a one-time link token out of the logged path', async () => {
    const t = instrumented();
    app = t.app;
    await app.inject({ method: 'POST', url: '/invite/inv_s3cr3t-Token_value/accept?x=1' });
    const [line] = completed(t.lines);
    expect(line).toMatchObject({
      route: '/invite/:token/accept',
      path: '/invite/[redacted]/accept',
    });
    expect(JSON.stringify(t.lines)).not.toContain('s3cr3t');
  });

  it('replaces a request id that could forge log lines with a fresh one', async () => {
    const t = instrumented();
    app = t.app;
    const res = await app.inject({
      url: '/pages/1',
      headers: { 'x-request-id': 'x"} {"level":"fatal' },
    });
    const id = res.headers['x-request-id'];
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(completed(t.lines)[0]?.requestId).toBe(id);
  });

  it('counts probes and unmatched routes in metrics but does not log probes', async () => {
    const t = instrumented();
    app = t.app;
    await app.inject({ url: '/healthz' });
    await app.inject({ url: '/readyz' });
    await app.inject({ url: '/wp-admin/setup.php' });

    expect(completed(t.lines).map((l) => l.route)).toEqual([UNMATCHED_ROUTE]);
    const routes = (await t.metrics.httpRequestDuration.get()).values
      .filter((v) => v.metricName === 'http_server_request_duration_seconds_count')
      .map((v) => `${v.labels.route} ${v.labels.status_code}`);
    expect(routes.sort()).toEqual(['/healthz 200', '/readyz 200', `${UNMATCHED_ROUTE} 404`].sort());
  });

  it('logs server errors at level error', async () => {
    const t = instrumented();
    app = t.app;
    await app.inject({ url: '/boom' });
    expect(completed(t.lines)[0]).toMatchObject({ level: 'error', statusCode: 500 });
  });

  it('never writes passwords, tokens or authorization headers', async () => {
    const t = instrumented();
    app = t.app;
    await app.inject({
      method: 'POST',
      url: '/login',
      payload: { email: 'a@b.c', password: 'hunter2' },
      headers: { authorization: 'Bearer b34r3r', cookie: 'lateral_session=c00k13' },
    });
    const text = JSON.stringify(t.lines);
    expect(text).not.toContain('hunter2');
    for (const secret of ['t0k3n', 'b34r3r', 'c00k13', 's3ss10n'])
      expect(text).not.toContain(secret);
    expect(text).toContain('a@b.c');
    expect(requestContext.getStore()).toBeUndefined();
  });
});
