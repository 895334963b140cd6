import {
  type CoreV1Event,
  type V1Deployment,
  type V1OwnerReference,
  type V1Pod,
  type V1ReplicaSet,
} from '@kubernetes/client-node';
import { gitShaOf, mainContainer, parseImage } from './image.js';
import {
  type EventSummary,
  type PodRestart,
  type RunningVersion,
  type ServiceStatus,
} from './ops-status.model.js';
import { isoTime, REVISION_ANNOTATION, rolloutStatus } from './rollout.js';

const controllerOf = (refs: V1OwnerReference[] | undefined, kind: string) =>
  refs?.find((r) => r.kind === kind && r.controller)?.uid;

/** gateway, notes, media: the chart name without the `lateral-` prefix, as the metrics say. */
export function serviceName(deployment: V1Deployment): string {
  const name =
    deployment.metadata?.labels?.['app.kubernetes.io/name'] ?? deployment.metadata?.name ?? '';
  return name.replace(/^lateral-/, '');
}

/**
 * One service's status from its Deployment and the ReplicaSets and Pods it owns (matched by
 * owner UID, as the controllers do, not by labels that two Deployments could share).
 * Restarts older than `recentMs` before `now` are counted but not listed.
 */
export function serviceStatus(
  deployment: V1Deployment,
  replicaSets: readonly V1ReplicaSet[],
  pods: readonly V1Pod[],
  now: Date,
  recentMs: number,
): ServiceStatus {
  const service = serviceName(deployment);
  const owned = replicaSets.filter(
    (rs) => controllerOf(rs.metadata?.ownerReferences, 'Deployment') === deployment.metadata?.uid,
  );
  const rsUids = new Set(owned.map((rs) => rs.metadata?.uid));
  const ownPods = pods.filter((p) =>
    rsUids.has(controllerOf(p.metadata?.ownerReferences, 'ReplicaSet')),
  );
  const container = mainContainer(deployment.spec?.template?.spec?.containers, service);
  const revision = deployment.metadata?.annotations?.[REVISION_ANNOTATION];

  const versions: RunningVersion[] = owned
    .filter((rs) => (rs.status?.replicas ?? 0) > 0)
    .map((rs) => {
      const c = mainContainer(rs.spec?.template?.spec?.containers, service);
      return {
        image: c?.image ?? '',
        tag: c?.image ? parseImage(c.image).tag : undefined,
        gitSha: c ? gitShaOf(c) : undefined,
        replicas: rs.status?.replicas ?? 0,
        ready: rs.status?.readyReplicas ?? 0,
        current:
          revision !== undefined && rs.metadata?.annotations?.[REVISION_ANNOTATION] === revision,
      };
    })
    .sort((a, b) => Number(b.current) - Number(a.current) || b.replicas - a.replicas);

  const restarts = podRestarts(ownPods);
  const since = now.getTime() - recentMs;
  return {
    service,
    deployment: deployment.metadata?.name ?? '',
    image: container?.image,
    tag: container?.image ? parseImage(container.image).tag : undefined,
    gitSha: container ? gitShaOf(container) : undefined,
    desired: deployment.spec?.replicas ?? 1,
    ready: deployment.status?.readyReplicas ?? 0,
    updated: deployment.status?.updatedReplicas ?? 0,
    available: deployment.status?.availableReplicas ?? 0,
    rollout: rolloutStatus(deployment),
    versions,
    restarts: {
      total: restarts.reduce((sum, r) => sum + r.restartCount, 0),
      // A restart with no finish time left (the kubelet forgot it) still counts as recent.
      recent: restarts
        .filter((r) => !r.lastFinishedAt || Date.parse(r.lastFinishedAt) >= since)
        .sort((a, b) => (b.lastFinishedAt ?? '').localeCompare(a.lastFinishedAt ?? '')),
    },
  };
}

function podRestarts(pods: readonly V1Pod[]): PodRestart[] {
  return pods.flatMap((pod) =>
    (pod.status?.containerStatuses ?? [])
      .filter((cs) => cs.restartCount > 0)
      .map((cs) => ({
        pod: pod.metadata?.name ?? '',
        container: cs.name,
        restartCount: cs.restartCount,
        lastReason: cs.lastState?.terminated?.reason,
        lastExitCode: cs.lastState?.terminated?.exitCode,
        lastFinishedAt: isoTime(cs.lastState?.terminated?.finishedAt),
      })),
  );
}

/** When an event last happened: events.k8s.io series, then the core fields, newest first. */
function eventTime(e: CoreV1Event): string | undefined {
  return isoTime(
    e.series?.lastObservedTime ??
      e.lastTimestamp ??
      e.eventTime ??
      e.firstTimestamp ??
      e.metadata?.creationTimestamp,
  );
}

export function recentEvents(events: readonly CoreV1Event[], limit: number): EventSummary[] {
  return events
    .map((e) => ({
      type: e.type ?? 'Normal',
      reason: e.reason ?? '',
      object: `${e.involvedObject.kind ?? ''}/${e.involvedObject.name ?? ''}`,
      message: e.message ?? '',
      count: e.series?.count ?? e.count ?? 1,
      lastSeen: eventTime(e),
    }))
    .sort((a, b) => (b.lastSeen ?? '').localeCompare(a.lastSeen ?? ''))
    .slice(0, limit);
}
