import { Module } from '@nestjs/common';
import { OpsStatusService } from './ops-status.service.js';
import { OpsController } from './ops.controller.js';

/**
 * Issue 7: what is deployed, from the Kubernetes API and Argo CD (docs/ops.md). The JSON status
 * lives here; the web UI's ops page (web/pages/ops.*) reads the same watch state.
 */
@Module({
  controllers: [OpsController],
  providers: [OpsStatusService],
  exports: [OpsStatusService],
})
export class OpsModule {}
