import { Controller, Get } from '@nestjs/common';
import { Clock } from '@lateral/observability';
import { type View } from '../render/view.js';
import { opsLiveView, opsPageView } from './ops.view.js';
import { OpsStatusService, Roles } from '../platform.js';

/** The operations page (docs/ops.md): admins only, served from the in-memory watch state. */
@Controller('ops')
@Roles('admin')
export class OpsPageController {
  constructor(
    private readonly ops: OpsStatusService,
    private readonly clock: Clock,
  ) {}

  @Get()
  page(): View {
    return opsPageView(this.ops.state(), this.clock.now());
  }

  /** The live panel, polled by the page (cheap: no Kubernetes call per request). */
  @Get('live')
  live(): View {
    return opsLiveView(this.ops.state(), this.clock.now());
  }
}
