import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { KubeStatusWatcher, type OpsSnapshot, type SourceProblem } from '@lateral/kube-status';
import { LOGGER, type Logger } from '@lateral/observability';
import { GatewayConfig } from '../gateway.config.js';

/** What `/api/v1/ops/status` answers and the page renders. */
export type OpsState =
  | { enabled: false; message: string }
  /** Configured, but the credentials could not even be loaded (no kubeconfig file, bad context). */
  | { enabled: true; message: string; snapshot: null }
  | { enabled: true; snapshot: OpsSnapshot };

export const OPS_OFF_MESSAGE =
  'The operations view is off: set OPS_KUBERNETES=in-cluster (with the chart’s Role) or OPS_KUBECONFIG. See docs/ops.md.';

/**
 * Owns the Kubernetes watches for the gateway's lifetime: started once at boot, read by every
 * request from memory (many admins watching the page cost the API server nothing more).
 */
@Injectable()
export class OpsStatusService implements OnModuleInit, OnModuleDestroy {
  private watcher: KubeStatusWatcher | undefined;
  private loadError: string | undefined;
  private lastProblems = '';

  constructor(
    private readonly config: GatewayConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    const { access, namespace, argoCdNamespace, applicationSelector } = this.config.ops;
    if (!access) return;
    try {
      this.watcher = new KubeStatusWatcher({
        access,
        namespace,
        argoCdNamespace,
        applicationSelector,
      });
    } catch (error) {
      // The wiki keeps serving: only this page depends on the Kubernetes API.
      this.loadError = `cannot load Kubernetes credentials (${access.mode}): ${(error as Error).message}`;
      this.logger.warn({ err: error }, this.loadError);
      return;
    }
    this.watcher.onChange(() => this.logProblemChanges());
    this.watcher.start();
    this.logger.info(
      { server: this.watcher.server, namespace: this.watcher.namespace, argoCdNamespace },
      'operations view watching the Kubernetes API',
    );
  }

  async onModuleDestroy(): Promise<void> {
    await this.watcher?.stop();
  }

  state(): OpsState {
    if (this.loadError) return { enabled: true, message: this.loadError, snapshot: null };
    if (!this.watcher) return { enabled: false, message: OPS_OFF_MESSAGE };
    return { enabled: true, snapshot: this.watcher.snapshot() };
  }

  /** Logs RBAC or API trouble when it starts and when it ends, not on every retry. */
  private logProblemChanges(): void {
    const problems: SourceProblem[] = this.watcher?.snapshot().problems ?? [];
    const key = problems.map((p) => `${p.source}:${p.state}`).join(',');
    if (key === this.lastProblems) return;
    this.lastProblems = key;
    if (problems.length) this.logger.warn({ problems }, 'operations view: Kubernetes API problems');
    else this.logger.info('operations view: every Kubernetes resource is readable again');
  }
}
