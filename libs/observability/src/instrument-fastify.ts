import { randomUUID } from 'node:crypto';
import { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { type Logger } from './logger.js';
import { UNMATCHED_ROUTE, type ServiceMetrics } from './metrics.js';
import { requestContext, type RequestContext } from './request-context.js';

export const REQUEST_ID_HEADER = 'x-request-id';

/** Probe and scrape paths: counted in metrics but not logged (they would drown the real lines). */
const QUIET_ROUTES = new Set(['/healthz', '/readyz']);

/**
 * Route parameters that carry a secret in the URL (the gateway's one-time invite and reset links,
 * `/invite/:token`): their value never reaches the logged path.
 */
const SECRET_PARAMS = ['token'];

/** The request's path for the log: no query string, secret parameters replaced. */
export function loggedPath(url: string, params: unknown): string {
  let path = url.split('?')[0] ?? '';
  for (const name of SECRET_PARAMS) {
    const value = (params as Record<string, unknown> | undefined)?.[name];
    if (typeof value !== 'string' || value === '') continue;
    for (const form of new Set([encodeURIComponent(value), value])) {
      path = path.split(form).join('[redacted]');
    }
  }
  return path;
}

/** Accept a caller's request id only if it is short and plain, so it cannot forge log lines. */
export function sanitizeRequestId(value: unknown): string | undefined {
  return typeof value === 'string' && /^[\w.:-]{1,128}$/.test(value) ? value : undefined;
}

declare module 'fastify' {
  interface FastifyRequest {
    lateralStartedAt: bigint;
    lateralContext: RequestContext;
    /** Answered with a stream held open for minutes: see {@link untimed}. */
    lateralUntimed: boolean;
  }
}

/**
 * Marks a request answered with a stream held open for minutes (notes' page-change feed to the
 * gateways): its duration is not a latency, so it stays out of the request-duration histogram
 * (and the SLOs read from it); the line logged when it closes says how long it was open.
 */
export function untimed(request: FastifyRequest): void {
  request.lateralUntimed = true;
}

/**
 * Records `http_server_request_duration_seconds` and writes one log line per request at the
 * Fastify layer, so answers that never reach a controller (401, 404, 413, malformed JSON) count.
 */
export function instrumentFastify(
  fastify: FastifyInstance,
  metrics: ServiceMetrics,
  logger: Logger,
): void {
  fastify.decorateRequest('lateralStartedAt', 0n);
  fastify.decorateRequest('lateralContext', null as unknown as RequestContext);
  fastify.decorateRequest('lateralUntimed', false);

  fastify.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done) => {
    request.lateralStartedAt = process.hrtime.bigint();
    const requestId = sanitizeRequestId(request.headers[REQUEST_ID_HEADER]) ?? randomUUID();
    request.lateralContext = { requestId };
    void reply.header(REQUEST_ID_HEADER, requestId);
    // Run the rest of the request inside the context so logs and upstream calls see the id.
    requestContext.run(request.lateralContext, done);
  });

  // Body parsing resumes on socket events outside the context entered above, so enter it again
  // right before the handler runs.
  fastify.addHook('preHandler', (request: FastifyRequest, _reply: FastifyReply, done) => {
    requestContext.run(request.lateralContext, done);
  });

  fastify.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done) => {
    const seconds = Number(process.hrtime.bigint() - request.lateralStartedAt) / 1e9;
    const route = request.routeOptions.url ?? UNMATCHED_ROUTE;
    const statusCode = reply.statusCode;
    if (!request.lateralUntimed) {
      metrics.httpRequestDuration.observe(
        { method: request.method, route, status_code: String(statusCode) },
        seconds,
      );
    }
    if (!QUIET_ROUTES.has(route)) {
      const level = statusCode >= 500 ? 'error' : 'info';
      logger[level](
        {
          requestId: request.lateralContext?.requestId,
          userId: request.lateralContext?.userId,
          method: request.method,
          route,
          path: loggedPath(request.url, request.params),
          statusCode,
          durationMs: Math.round(seconds * 1e6) / 1e3,
        },
        'request completed',
      );
    }
    done();
  });
}
