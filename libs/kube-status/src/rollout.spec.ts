import { type V1Deployment } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { rolloutStatus } from './rollout.js';
import { deploymentOf } from './testing/kube-builders.js';

function withStatus(
  status: NonNullable<V1Deployment['status']>,
  options: { replicas?: number; generation?: number; paused?: boolean } = {},
): V1Deployment {
  const d = deploymentOf('notes', {
    image: 'ghcr.io/lateral/notes:abc1234',
    replicas: options.replicas ?? 3,
  });
  d.metadata = {
    ...d.metadata,
    generation: options.generation ?? 2,
    annotations: { 'deployment.kubernetes.io/revision': '4' },
  };
  if (options.paused) d.spec = { ...d.spec!, paused: true };
  d.status = { observedGeneration: 2, ...status };
  return d;
}

const progressing = (reason: string, message = '') => ({
  type: 'Progressing',
  status: reason === 'ProgressDeadlineExceeded' ? 'False' : 'True',
  reason,
  message,
});

describe('rolloutStatus', () => {
  it('is complete when every replica is updated and available and no old ones remain', () => {
    const status = rolloutStatus(
      withStatus({
        replicas: 3,
        updatedReplicas: 3,
        readyReplicas: 3,
        availableReplicas: 3,
        conditions: [progressing('NewReplicaSetAvailable'), { type: 'Available', status: 'True' }],
      }),
    );
    expect(status).toMatchObject({
      state: 'complete',
      message: '3 of 3 replicas available',
      revision: '4',
    });
    expect(status.conditions.map((c) => `${c.type}=${c.status}`)).toEqual([
      'Progressing=True',
      'Available=True',
    ]);
  });

  it('is progressing while the controller has not observed the new generation', () => {
    const status = rolloutStatus(
      withStatus({ replicas: 3, updatedReplicas: 3, availableReplicas: 3 }, { generation: 3 }),
    );
    expect(status.state).toBe('progressing');
    expect(status.message).toMatch(/observe the new spec/);
  });

  it('counts updated replicas, then old ones terminating, then availability', () => {
    expect(
      rolloutStatus(withStatus({ replicas: 4, updatedReplicas: 1, availableReplicas: 3 })).message,
    ).toBe('1 of 3 replicas updated');
    expect(
      rolloutStatus(withStatus({ replicas: 4, updatedReplicas: 3, availableReplicas: 3 })).message,
    ).toBe('1 old replicas pending termination');
    expect(
      rolloutStatus(withStatus({ replicas: 3, updatedReplicas: 3, availableReplicas: 2 })).message,
    ).toBe('2 of 3 updated replicas available');
  });

  it('is stuck when the progress deadline passed, even with some pods available', () => {
    const status = rolloutStatus(
      withStatus({
        replicas: 4,
        updatedReplicas: 1,
        availableReplicas: 3,
        conditions: [
          progressing(
            'ProgressDeadlineExceeded',
            'ReplicaSet "lateral-notes-7c9" has timed out progressing.',
          ),
        ],
      }),
    );
    expect(status.state).toBe('stuck');
    expect(status.message).toContain('has timed out progressing');
  });

  it('is paused when someone paused the rollout', () => {
    expect(
      rolloutStatus(withStatus({ replicas: 3, updatedReplicas: 1 }, { paused: true })).state,
    ).toBe('paused');
  });
});
