import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { type KubeAccess, type OpsSnapshot, type SourceProblem } from '@lateral/kube-status';
import { type KubeStatusWatcher } from '@lateral/kube-status/client';
import { LOGGER, type Logger } from '@lateral/observability';
import { GatewayConfig } from '../gateway.config.js';

/** What `/api/v1/ops/status` answers and the page renders. */
export type OpsState =
  | { enabled: false; message: string }
  /**
   * Configured, but the credentials could not even be loaded (no kubeconfig file, bad context),
   * or (`starting`) the Kubernetes client is still loading, in the first second after start-up.
   */
  | { enabled: true; message: string; snapshot: null; starting?: true }
  | { enabled: true; snapshot: OpsSnapshot };

export const OPS_OFF_MESSAGE =
  'The operations view is off: set OPS_KUBERNETES=in-cluster (with the chart’s Role) or OPS_KUBECONFIG. See docs/ops.md.';

export const OPS_STARTING_MESSAGE =
  'The operations view is starting: loading the Kubernetes client.';

/**
 * Owns the Kubernetes watches for the gateway's lifetime: started once at boot, read by every
 * request from memory (many admins watching the page cost the API server nothing more).
 */
@Injectable()
export class OpsStatusService implements OnModuleInit, OnModuleDestroy {
  private watcher: KubeStatusWatcher | undefined;
  private loadError: string | undefined;
  private starting: Promise<void> | undefined;
  private lastProblems = '';

  constructor(
    private readonly config: GatewayConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    const { access } = this.config.ops;
    if (!access) return;
    // The Kubernetes client is most of the gateway's start-up (about 800 modules), so it is loaded
    // only when the view is on, and after start-up: readiness never waits for an admin page.
    this.starting = this.startWatching(access);
  }

  private async startWatching(access: KubeAccess): Promise<void> {
    const { namespace, argoCdNamespace, applicationSelector } = this.config.ops;
    try {
      const { KubeStatusWatcher } = await import('@lateral/kube-status/client');
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
    await this.starting;
    await this.watcher?.stop();
  }

  state(): OpsState {
    if (this.loadError) return { enabled: true, message: this.loadError, snapshot: null };
    if (!this.watcher) {
      if (this.starting)
        return { enabled: true, message: OPS_STARTING_MESSAGE, snapshot: null, starting: true };
      return { enabled: false, message: OPS_OFF_MESSAGE };
    }
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
