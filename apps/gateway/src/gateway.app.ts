import fastifyCookie from '@fastify/cookie';
import fastifyMultipart from '@fastify/multipart';
import { createServiceApp, type ServiceApp } from '@lateral/http';
import { type Logger, type ServiceMetrics } from '@lateral/observability';
import { AppModule } from './app.module.js';
import { gatewayErrors } from './errors/gateway-errors.js';
import { GatewayConfig } from './gateway.config.js';
import { GatewayMetrics } from './gateway.metrics.js';
import { UsersService } from './users/users.service.js';
import { installWebErrorPages } from './web/web.module.js';

/**
 * Content-Security-Policy for every answer: scripts only from this origin (htmx is served
 * locally), no plugins, no framing. Inline styles are allowed for the ThumbHash placeholders
 * and htmx's indicator styles; images may be data:/blob: URLs (previews before upload).
 */
export const CONTENT_SECURITY_POLICY = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:', 'blob:'],
    connectSrc: ["'self'"],
    fontSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'self'"],
    frameAncestors: ["'none'"],
    formAction: ["'self'"],
  },
};

/** The gateway as a Nest app (initialised, not listening): used by main.ts and the tests. */
export async function createGatewayApp(
  config: GatewayConfig,
  options: { logger: Logger; metrics: ServiceMetrics },
): Promise<ServiceApp> {
  const gatewayMetrics = new GatewayMetrics(options.metrics.registry);
  const app = await createServiceApp(AppModule.forRoot(config, gatewayMetrics, options.logger), {
    logger: options.logger,
    metrics: options.metrics,
    errors: gatewayErrors,
    // Page bodies are markdown; uploads stream past this limit (multipart is not buffered).
    bodyLimit: 4 * 1024 * 1024,
    // A browser's upload waits on media for up to its processing budget; keep the socket open.
    socketTimeoutMs: config.upstream.mediaTimeoutMs + 5_000,
    configureFastify: async (nest) => {
      // Browsers get HTML error pages; API clients keep the shared JSON errors.
      installWebErrorPages(nest);
      await nest.register(fastifyCookie, { secret: config.sessionSecret });
      await nest.register(fastifyMultipart, {
        limits: { fileSize: config.limits.importBytes, files: 1, fields: 20, fieldSize: 64 * 1024 },
      });
      // Rejects cross-site unsafe requests by Sec-Fetch-Site/Origin before any handler runs;
      // the per-session token (CsrfGuard) is the second layer.
      nest.enableCsrfProtection({ trustedOrigins: [config.publicUrl.origin] });
      nest.useSecurityHeaders({
        contentSecurityPolicy: CONTENT_SECURITY_POLICY,
        strictTransportSecurity: config.cookieSecure,
        crossOriginEmbedderPolicy: false,
        xFrameOptions: { action: 'deny' },
      });
    },
  });
  const firstAdmin = await app
    .get(UsersService)
    .ensureFirstAdmin(config.admin.email, config.admin.password);
  if (firstAdmin) {
    options.logger.warn(
      {
        email: firstAdmin.email,
        initialPassword: firstAdmin.password ?? '(from LATERAL_ADMIN_PASSWORD)',
      },
      'created the first admin account; sign in and change the password',
    );
  }
  return app;
}
