import { type V1Deployment, type V1DeploymentCondition } from '@kubernetes/client-node';
import { type Condition, type RolloutStatus } from './ops-status.model.js';

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';

export function toCondition(
  c:
    | V1DeploymentCondition
    | {
        type: string;
        status: string;
        reason?: string;
        message?: string;
        lastTransitionTime?: Date | string;
      },
): Condition {
  return {
    type: c.type,
    status: c.status,
    reason: c.reason,
    message: c.message,
    lastTransitionTime: isoTime(c.lastTransitionTime),
  };
}

export function isoTime(value: Date | string | undefined | null): string | undefined {
  if (value === undefined || value === null) return undefined;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/**
 * Reads a Deployment's rollout the way `kubectl rollout status` does (the deployment
 * controller's own status fields, not pods): the controller must have observed the current
 * generation, a `ProgressDeadlineExceeded` Progressing condition means stuck, then all
 * replicas must be updated, old ones gone, and the updated ones available.
 */
export function rolloutStatus(deployment: V1Deployment): RolloutStatus {
  const status = deployment.status ?? {};
  const conditions = (status.conditions ?? []).map(toCondition);
  const revision = deployment.metadata?.annotations?.[REVISION_ANNOTATION];
  const result = (state: RolloutStatus['state'], message: string): RolloutStatus => ({
    state,
    message,
    revision,
    conditions,
  });

  const desired = deployment.spec?.replicas ?? 1;
  const updated = status.updatedReplicas ?? 0;
  const total = status.replicas ?? 0;
  const available = status.availableReplicas ?? 0;
  const generation = deployment.metadata?.generation ?? 0;
  const observed = status.observedGeneration ?? 0;

  if (observed < generation) {
    return result('progressing', 'Waiting for the deployment controller to observe the new spec');
  }
  const progressing = conditions.find((c) => c.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    return result(
      'stuck',
      `Rollout exceeded its progress deadline${progressing.message ? `: ${progressing.message}` : ''}`,
    );
  }
  if (deployment.spec?.paused) {
    return result('paused', 'Rollout is paused');
  }
  if (updated < desired) {
    return result('progressing', `${updated} of ${desired} replicas updated`);
  }
  if (total > updated) {
    return result('progressing', `${total - updated} old replicas pending termination`);
  }
  if (available < updated) {
    return result('progressing', `${available} of ${updated} updated replicas available`);
  }
  return result('complete', `${available} of ${desired} replicas available`);
}
