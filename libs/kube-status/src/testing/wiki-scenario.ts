import { type V1Deployment, type V1ReplicaSet } from '@kubernetes/client-node';
import { applicationOf, deploymentOf, eventOf, podOf, replicaSetOf } from './kube-builders.js';
import { type TestApiServer } from './test-api-server.js';

export const OLD_SHA = '0a1b2c3d4e5f60718293a4b5c6d7e8f901234567';
export const NEW_SHA = '3f6c1e2d9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d';
export const image = (service: string, sha: string) =>
  `ghcr.io/lateral/${service}:${sha.slice(0, 12)}`;

/**
 * Plays the controllers that a test API server lacks: creates a service at OLD_SHA, fully
 * rolled out, then moves it through a rollout to NEW_SHA step by step by writing status the
 * way the deployment controller and Argo CD would.
 */
export class WikiScenario {
  deployment!: V1Deployment;
  private oldRs!: V1ReplicaSet;
  private newRs: V1ReplicaSet | undefined;

  constructor(
    private readonly kube: TestApiServer,
    readonly service: string,
    readonly replicas = 2,
  ) {}

  get application() {
    return `lateral-${this.service}`;
  }

  async deployOld(): Promise<void> {
    const d = deploymentOf(this.service, {
      image: image(this.service, OLD_SHA),
      replicas: this.replicas,
    });
    d.metadata!.annotations = { 'deployment.kubernetes.io/revision': '1' };
    this.deployment = await this.kube.create(d);
    this.oldRs = await this.createWithStatus(
      replicaSetOf(this.deployment, {
        revision: '1',
        replicas: this.replicas,
        ready: this.replicas,
      }),
    );
    for (let i = 0; i < this.replicas; i++) {
      const pod = await this.kube.create(podOf(this.oldRs, i));
      await this.kube.patch(pod, { status: podOf(this.oldRs, i).status }, 'status');
    }
    await this.deploymentStatus({
      replicas: this.replicas,
      updatedReplicas: this.replicas,
      readyReplicas: this.replicas,
      availableReplicas: this.replicas,
      conditions: [
        condition('Available', 'True', 'MinimumReplicasAvailable'),
        condition('Progressing', 'True', 'NewReplicaSetAvailable'),
      ],
    });
    await this.kube.create(
      applicationOf(this.application, {
        revision: OLD_SHA,
        lastSync: {
          phase: 'Succeeded',
          message: 'successfully synced (all tasks run)',
          finishedAt: new Date().toISOString(),
        },
      }),
    );
  }

  /** Argo CD applies the new image: the spec changes, the generation goes up. */
  async startRollout(): Promise<void> {
    await this.kube.call(
      'PATCH',
      `/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/${this.application}`,
      {
        status: {
          sync: { status: 'Synced', revision: NEW_SHA },
          health: { status: 'Progressing' },
          operationState: {
            phase: 'Running',
            message: 'waiting for healthy state of apps/Deployment/lateral-' + this.service,
            startedAt: new Date().toISOString(),
            operation: { sync: { revision: NEW_SHA } },
            syncResult: { revision: NEW_SHA },
          },
        },
      },
      'application/merge-patch+json',
    );
    this.deployment = await this.kube.patch(this.deployment, {
      metadata: { annotations: { 'deployment.kubernetes.io/revision': '2' } },
      spec: {
        template: {
          spec: { containers: [{ name: this.service, image: image(this.service, NEW_SHA) }] },
        },
      },
    });
  }

  /** The controller created the new ReplicaSet with one pod, not ready yet. */
  async oneNewPod(): Promise<void> {
    this.newRs = await this.createWithStatus(
      replicaSetOf(this.deployment, { revision: '2', replicas: 1, ready: 0 }),
    );
    await this.createWithStatus(podOf(this.newRs, 0));
    await this.deploymentStatus({
      observedGeneration: this.deployment.metadata?.generation,
      replicas: this.replicas + 1,
      updatedReplicas: 1,
      readyReplicas: this.replicas,
      availableReplicas: this.replicas,
      conditions: [
        condition('Available', 'True', 'MinimumReplicasAvailable'),
        condition('Progressing', 'True', 'ReplicaSetUpdated'),
      ],
    });
  }

  /** The new pod crash-loops and never becomes ready: the progress deadline passes. */
  async stuck(): Promise<void> {
    const rs = `${this.deployment.metadata?.name}-r2`;
    // It crashes on start: the kubelet restarted it three times (exit 1).
    const crashing = podOf(this.newRs!, 0, {
      restarts: 3,
      lastReason: 'Error',
      lastFinishedAt: new Date().toISOString(),
    });
    await this.kube.patch(crashing, { status: crashing.status }, 'status');
    await this.deploymentStatus({
      conditions: [
        condition('Available', 'True', 'MinimumReplicasAvailable'),
        condition(
          'Progressing',
          'False',
          'ProgressDeadlineExceeded',
          `ReplicaSet "${rs}" has timed out progressing.`,
        ),
      ],
    });
    await this.kube.create(
      eventOf(
        { kind: 'Pod', name: `${rs}-0` },
        {
          reason: 'BackOff',
          message: 'Back-off restarting failed container',
          type: 'Warning',
          at: new Date().toISOString(),
        },
      ),
    );
  }

  /** Every replica on the new version; Argo CD reports the sync done and healthy. */
  async complete(): Promise<void> {
    await this.kube.patch(this.newRs!, { spec: { replicas: this.replicas } });
    await this.kube.patch(
      this.newRs!,
      {
        status: {
          replicas: this.replicas,
          readyReplicas: this.replicas,
          availableReplicas: this.replicas,
        },
      },
      'status',
    );
    await this.kube.patch(this.oldRs, { spec: { replicas: 0 } });
    await this.kube.patch(
      this.oldRs,
      { status: { replicas: 0, readyReplicas: 0, availableReplicas: 0 } },
      'status',
    );
    await this.deploymentStatus({
      observedGeneration: this.deployment.metadata?.generation,
      replicas: this.replicas,
      updatedReplicas: this.replicas,
      readyReplicas: this.replicas,
      availableReplicas: this.replicas,
      conditions: [
        condition('Available', 'True', 'MinimumReplicasAvailable'),
        condition('Progressing', 'True', 'NewReplicaSetAvailable'),
      ],
    });
    await this.kube.call(
      'PATCH',
      `/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/${this.application}`,
      {
        status: {
          health: { status: 'Healthy' },
          operationState: {
            phase: 'Succeeded',
            message: 'successfully synced (all tasks run)',
            finishedAt: new Date().toISOString(),
          },
        },
      },
      'application/merge-patch+json',
    );
  }

  /** The API server drops `status` on create (a subresource): write it separately. */
  private async createWithStatus<T extends { status?: object }>(object: T): Promise<T> {
    const created = await this.kube.create(object);
    return this.kube.patch(created, { status: object.status }, 'status');
  }

  private async deploymentStatus(status: Record<string, unknown>): Promise<void> {
    this.deployment = await this.kube.patch(
      this.deployment,
      { status: { observedGeneration: this.deployment.metadata?.generation, ...status } },
      'status',
    );
  }
}

function condition(type: string, status: string, reason: string, message = '') {
  const now = new Date().toISOString();
  return { type, status, reason, message, lastUpdateTime: now, lastTransitionTime: now };
}
