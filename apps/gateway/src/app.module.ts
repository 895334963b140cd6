import { Module, type DynamicModule } from '@nestjs/common';
import { HealthModule } from '@lateral/health';
import { MediaProxyController } from './upstream/media-proxy.controller.js';
import { NotesProxyController } from './upstream/notes-proxy.controller.js';
import { TokensController } from './tokens/api-tokens.controller.js';
import { MyTokensController } from './tokens/my-tokens.controller.js';
import { PasswordResetRequestsController } from './invites/password-reset-requests.controller.js';
import { InvitesController } from './invites/invites.controller.js';
import { UsersController } from './users/users.controller.js';
import { ImportController } from './import/import.controller.js';
import { MediaCollectionController } from './media-collection/media-collection.controller.js';
import { AuthController } from './auth/auth.controller.js';
import { DatabaseModule } from '@lateral/database';
import { createDataSource } from './database/data-source.js';
import { GatewayCoreModule } from './gateway-core.module.js';
import { GatewayConfig } from './gateway.config.js';
import { GatewayMetrics } from './gateway.metrics.js';
import { OpsModule } from './ops/ops.module.js';
import { WebModule } from './web/web.module.js';
import { type Logger } from '@lateral/observability';

@Module({})
export class AppModule {
  static forRoot(config: GatewayConfig, metrics: GatewayMetrics, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        HealthModule,
        DatabaseModule.forRoot({
          createDataSource: () => createDataSource(config.databaseUrl, config.databasePoolMax),
        }),
        GatewayCoreModule.forRoot(config, metrics, logger),
        WebModule,
        OpsModule,
      ],
      controllers: [
        AuthController,
        UsersController,
        TokensController,
        MyTokensController,
        InvitesController,
        PasswordResetRequestsController,
        NotesProxyController,
        MediaProxyController,
        ImportController,
        MediaCollectionController,
      ],
    };
  }
}
