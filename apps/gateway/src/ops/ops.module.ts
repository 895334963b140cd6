import { Module } from '@nestjs/common';
import { OpsStatusService } from './ops-status.service.js';
import { OpsController } from './ops.controller.js';

/** Issue 7: what is deployed, from the Kubernetes API and Argo CD (docs/ops.md). */
@Module({
  controllers: [OpsController],
  providers: [OpsStatusService],
})
export class OpsModule {}
