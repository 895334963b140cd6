import { describe, expect, it } from 'vitest';
import { recentEvents, serviceStatus } from './services.js';
import { deploymentOf, eventOf, podOf, replicaSetOf } from './testing/kube-builders.js';

const NOW = new Date('2026-03-01T12:00:00Z');
const HOUR = 3_600_000;

function midRollout() {
  const deployment = deploymentOf('gateway', {
    image: 'ghcr.io/lateral/gateway:bbbbbbb',
    uid: 'd-1',
    replicas: 3,
  });
  deployment.metadata!.annotations = { 'deployment.kubernetes.io/revision': '2' };
  deployment.metadata!.generation = 2;
  deployment.status = {
    observedGeneration: 2,
    replicas: 4,
    updatedReplicas: 1,
    readyReplicas: 3,
    availableReplicas: 3,
  };
  const old = replicaSetOf(
    deploymentOf('gateway', { image: 'ghcr.io/lateral/gateway:aaaaaaa', uid: 'd-1' }),
    { revision: '1', uid: 'rs-1', replicas: 3, ready: 3 },
  );
  const next = replicaSetOf(deployment, { revision: '2', uid: 'rs-2', replicas: 1, ready: 0 });
  return { deployment, old, next };
}

describe('serviceStatus', () => {
  it('shows the version rolled out first and the old one still serving, with their pods', () => {
    const { deployment, old, next } = midRollout();
    const status = serviceStatus(deployment, [old, next], [], NOW, HOUR);
    expect(status).toMatchObject({
      service: 'gateway',
      tag: 'bbbbbbb',
      gitSha: 'bbbbbbb',
      desired: 3,
      ready: 3,
      updated: 1,
      rollout: { state: 'progressing', message: '1 of 3 replicas updated' },
    });
    expect(status.versions.map((v) => [v.tag, v.current, `${v.ready}/${v.replicas}`])).toEqual([
      ['bbbbbbb', true, '0/1'],
      ['aaaaaaa', false, '3/3'],
    ]);
  });

  it('lists restarts of its own pods in the last hour and counts older ones', () => {
    const { deployment, old } = midRollout();
    const other = replicaSetOf(deploymentOf('notes', { image: 'n:1', uid: 'd-2' }), {
      revision: '1',
      uid: 'rs-9',
      replicas: 1,
      ready: 1,
    });
    const pods = [
      podOf(old, 0, {
        restarts: 2,
        lastReason: 'OOMKilled',
        lastFinishedAt: '2026-03-01T11:50:00Z',
      }),
      podOf(old, 1, { restarts: 1, lastFinishedAt: '2026-03-01T09:00:00Z' }),
      podOf(old, 2),
      podOf(other, 0, { restarts: 5 }),
    ];
    const status = serviceStatus(deployment, [old], pods, NOW, HOUR);
    expect(status.restarts.total).toBe(3);
    expect(status.restarts.recent).toEqual([
      {
        pod: 'lateral-gateway-r1-0',
        container: 'gateway',
        restartCount: 2,
        lastReason: 'OOMKilled',
        lastExitCode: 137,
        lastFinishedAt: '2026-03-01T11:50:00.000Z',
      },
    ]);
  });

  it('prefers LATERAL_GIT_SHA over a version tag', () => {
    const d = deploymentOf('media', {
      image: 'ghcr.io/lateral/media:1.4.0',
      gitSha: 'c0ffee1234567',
    });
    expect(serviceStatus(d, [], [], NOW, HOUR)).toMatchObject({
      tag: '1.4.0',
      gitSha: 'c0ffee1234567',
    });
  });
});

describe('recentEvents', () => {
  it('sorts newest first and keeps the limit', () => {
    const events = [
      eventOf(
        { kind: 'Pod', name: 'a' },
        { reason: 'Pulled', message: 'old', at: '2026-03-01T10:00:00Z' },
      ),
      eventOf(
        { kind: 'Pod', name: 'b' },
        { reason: 'BackOff', message: 'new', type: 'Warning', at: '2026-03-01T11:00:00Z' },
      ),
      eventOf(
        { kind: 'Deployment', name: 'c' },
        { reason: 'ScalingReplicaSet', message: 'mid', at: '2026-03-01T10:30:00Z' },
      ),
    ];
    expect(recentEvents(events, 2).map((e) => `${e.type} ${e.object} ${e.message}`)).toEqual([
      'Warning Pod/b new',
      'Normal Deployment/c mid',
    ]);
  });
});
