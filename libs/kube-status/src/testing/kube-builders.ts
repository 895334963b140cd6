import {
  type CoreV1Event,
  type V1Deployment,
  type V1Pod,
  type V1ReplicaSet,
} from '@kubernetes/client-node';
import { type ArgoApplication } from '../argo-application.js';

/**
 * Small builders of the objects the view reads, as the API server stores them. Used by the
 * unit tests and, through `@lateral/kube-status`, by the integration tests that create them in
 * a real API server (which is why they are plain JSON, not client classes).
 */

export const labelsOf = (service: string) => ({
  'app.kubernetes.io/name': `lateral-${service}`,
  'app.kubernetes.io/part-of': 'lateral',
});

export function deploymentOf(
  service: string,
  options: { image: string; replicas?: number; namespace?: string; uid?: string; gitSha?: string },
): V1Deployment {
  const labels = labelsOf(service);
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: `lateral-${service}`,
      namespace: options.namespace ?? 'wiki',
      labels,
      ...(options.uid ? { uid: options.uid } : {}),
    },
    spec: {
      replicas: options.replicas ?? 2,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          containers: [
            {
              name: service,
              image: options.image,
              ...(options.gitSha
                ? { env: [{ name: 'LATERAL_GIT_SHA', value: options.gitSha }] }
                : {}),
            },
          ],
        },
      },
    },
  };
}

/** A ReplicaSet the deployment controller would create for `deployment` at `revision`. */
export function replicaSetOf(
  deployment: V1Deployment,
  options: { revision: string; uid?: string; replicas: number; ready: number },
): V1ReplicaSet {
  const meta = deployment.metadata ?? {};
  const labels = { ...meta.labels, 'pod-template-hash': `r${options.revision}` };
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${meta.name}-r${options.revision}`,
      namespace: meta.namespace,
      labels,
      annotations: { 'deployment.kubernetes.io/revision': options.revision },
      ...(options.uid ? { uid: options.uid } : {}),
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: meta.name ?? '',
          uid: meta.uid ?? '',
          controller: true,
        },
      ],
    },
    spec: {
      replicas: options.replicas,
      selector: { matchLabels: labels },
      template: { ...deployment.spec?.template, metadata: { labels } },
    },
    status: {
      replicas: options.replicas,
      readyReplicas: options.ready,
      availableReplicas: options.ready,
    },
  };
}

export function podOf(
  replicaSet: V1ReplicaSet,
  index: number,
  options: { restarts?: number; lastReason?: string; lastFinishedAt?: string } = {},
): V1Pod {
  const meta = replicaSet.metadata ?? {};
  const container = replicaSet.spec?.template?.spec?.containers[0];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${meta.name}-${index}`,
      namespace: meta.namespace,
      labels: replicaSet.spec?.template?.metadata?.labels,
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: meta.name ?? '',
          uid: meta.uid ?? '',
          controller: true,
        },
      ],
    },
    spec: { containers: [{ name: container?.name ?? 'app', image: container?.image ?? 'x' }] },
    status: {
      phase: 'Running',
      containerStatuses: [
        {
          name: container?.name ?? 'app',
          image: container?.image ?? 'x',
          imageID: '',
          ready: true,
          restartCount: options.restarts ?? 0,
          ...(options.restarts
            ? {
                lastState: {
                  terminated: {
                    exitCode: options.lastReason === 'OOMKilled' ? 137 : 1,
                    reason: options.lastReason ?? 'Error',
                    finishedAt: (options.lastFinishedAt ??
                      new Date().toISOString()) as unknown as Date,
                  },
                },
              }
            : {}),
        },
      ],
    },
  };
}

export function eventOf(
  object: { kind: string; name: string; namespace?: string },
  options: {
    reason: string;
    message: string;
    type?: 'Normal' | 'Warning';
    at: string;
    name?: string;
  },
): CoreV1Event {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: {
      name: options.name ?? `${object.name}.${options.reason.toLowerCase()}`,
      namespace: object.namespace ?? 'wiki',
    },
    involvedObject: { kind: object.kind, name: object.name, namespace: object.namespace ?? 'wiki' },
    reason: options.reason,
    message: options.message,
    type: options.type ?? 'Normal',
    count: 1,
    firstTimestamp: options.at as unknown as Date,
    lastTimestamp: options.at as unknown as Date,
    source: { component: 'deployment-controller' },
  };
}

export function applicationOf(
  name: string,
  options: {
    namespace?: string;
    destinationNamespace?: string;
    labels?: Record<string, string>;
    sync?: 'Synced' | 'OutOfSync' | 'Unknown';
    health?: string;
    revision?: string;
    lastSync?: { phase: string; message?: string; startedAt?: string; finishedAt?: string };
  } = {},
): ArgoApplication & { spec: Record<string, unknown> } {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name,
      namespace: options.namespace ?? 'argocd',
      ...(options.labels ? { labels: options.labels } : {}),
    },
    spec: {
      project: 'lateral',
      source: {
        repoURL: 'https://git.example.test/lateral.git',
        path: `helm/${name}`,
        targetRevision: 'main',
      },
      destination: {
        server: 'https://kubernetes.default.svc',
        namespace: options.destinationNamespace ?? 'wiki',
      },
    },
    status: {
      sync: {
        status: options.sync ?? 'Synced',
        ...(options.revision ? { revision: options.revision } : {}),
      },
      health: { status: options.health ?? 'Healthy' },
      ...(options.lastSync
        ? {
            operationState: {
              phase: options.lastSync.phase,
              message: options.lastSync.message ?? '',
              startedAt: options.lastSync.startedAt ?? '2026-01-01T00:00:00Z',
              ...(options.lastSync.finishedAt ? { finishedAt: options.lastSync.finishedAt } : {}),
              operation: { sync: { revision: options.revision ?? '' } },
              syncResult: { revision: options.revision ?? '' },
            },
          }
        : {}),
    },
  };
}
