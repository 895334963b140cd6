import { Controller, Get, UseGuards } from '@nestjs/common';
import { Clock } from '@lateral/observability';
import { Roles } from '../auth/auth.decorators.js';
import { ApiRateLimitGuard } from '../rate-limit/api-rate-limit.guard.js';
import { type View } from '../web/render/view.js';
import { type OpsState, OpsStatusService } from './ops-status.service.js';
import { opsLiveView, opsPageView } from './ops.view.js';

/** The operations view: admins only, served from the in-memory watch state. */
@Controller()
@Roles('admin')
export class OpsController {
  constructor(
    private readonly ops: OpsStatusService,
    private readonly clock: Clock,
  ) {}

  @Get('api/v1/ops/status')
  @UseGuards(ApiRateLimitGuard)
  status(): OpsState {
    return this.ops.state();
  }

  @Get('ops')
  page(): View {
    return opsPageView(this.ops.state(), this.clock.now());
  }

  /** The live panel, polled by the page (cheap: no Kubernetes call per request). */
  @Get('ops/live')
  live(): View {
    return opsLiveView(this.ops.state(), this.clock.now());
  }
}
