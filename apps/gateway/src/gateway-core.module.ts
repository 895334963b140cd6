import { Global, Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { Clock, LOGGER, type Logger } from '@lateral/observability';
import { AuthGuard } from './auth/auth.guard.js';
import { AuthService } from './auth/auth.service.js';
import { CsrfGuard } from './auth/csrf.js';
import { OidcClient } from './auth/oidc.client.js';
import { OidcService } from './auth/oidc.service.js';
import { RequestAuthService } from './auth/request-auth.service.js';
import { SessionCookie } from './auth/session-cookie.js';
import { SessionsRepository } from './auth/sessions.repository.js';
import { SessionsJanitor } from './auth/sessions.janitor.js';
import { MediaCollector } from './media-collection/media-collector.service.js';
import { SessionsService } from './auth/sessions.service.js';
import { GatewayConfig } from './gateway.config.js';
import { GatewayMetrics } from './gateway.metrics.js';
import { MailService } from './mail/mail.service.js';
import { ImportService } from './import/import.service.js';
import { InvitesRepository } from './invites/invites.repository.js';
import { InvitesService } from './invites/invites.service.js';
import { PasswordResetsRepository } from './invites/password-resets.repository.js';
import { PasswordResetsService } from './invites/password-resets.service.js';
import { RateLimitService } from './rate-limit/rate-limit.service.js';
import { WebRateLimitGuard } from './rate-limit/web-rate-limit.guard.js';
import { ApiTokensRepository } from './tokens/api-tokens.repository.js';
import { ApiTokensService } from './tokens/api-tokens.service.js';
import { UpstreamModule } from './upstream/upstream.module.js';
import { PasswordHasher } from './users/password-hasher.js';
import { UserAdminService } from './users/user-admin.service.js';
import { UsersRepository } from './users/users.repository.js';
import { UsersService } from './users/users.service.js';

const SERVICES = [
  AuthService,
  OidcClient,
  OidcService,
  RequestAuthService,
  SessionCookie,
  SessionsRepository,
  SessionsService,
  RateLimitService,
  ApiTokensRepository,
  ApiTokensService,
  PasswordHasher,
  UsersRepository,
  UsersService,
  UserAdminService,
  InvitesRepository,
  InvitesService,
  PasswordResetsRepository,
  PasswordResetsService,
  MailService,
  ImportService,
];

/**
 * Everything the gateway's features share, global so the web UI can inject it: the config,
 * metrics, the logger and the clock, auth (users, sessions, tokens), upstream clients and the global guards (auth, then CSRF,
 * then the web UI's rate limit).
 */
@Global()
@Module({})
export class GatewayCoreModule {
  static forRoot(config: GatewayConfig, metrics: GatewayMetrics, logger: Logger): DynamicModule {
    return {
      module: GatewayCoreModule,
      imports: [UpstreamModule],
      providers: [
        { provide: GatewayConfig, useValue: config },
        { provide: GatewayMetrics, useValue: metrics },
        { provide: LOGGER, useValue: logger },
        Clock,
        ...SERVICES,
        SessionsJanitor,
        MediaCollector,
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_GUARD, useClass: CsrfGuard },
        { provide: APP_GUARD, useClass: WebRateLimitGuard },
      ],
      exports: [
        GatewayConfig,
        GatewayMetrics,
        LOGGER,
        Clock,
        UpstreamModule,
        ...SERVICES,
        MediaCollector,
      ],
    };
  }
}
