import { Controller, Get, UseGuards } from '@nestjs/common';
import { Roles } from '../auth/auth.decorators.js';
import { ApiRateLimitGuard } from '../rate-limit/api-rate-limit.guard.js';
import { type OpsState, OpsStatusService } from './ops-status.service.js';

/** The operations status as JSON: admins only, served from the in-memory watch state. */
@Controller('api/v1/ops')
@Roles('admin')
export class OpsController {
  constructor(private readonly ops: OpsStatusService) {}

  @Get('status')
  @UseGuards(ApiRateLimitGuard)
  status(): OpsState {
    return this.ops.state();
  }
}
