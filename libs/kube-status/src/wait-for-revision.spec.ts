import { describe, expect, it } from 'vitest';
import { applicationStatus } from './argo-application.js';
import { type OpsSnapshot } from './ops-status.model.js';
import { applicationOf } from './testing/kube-builders.js';
import { revisionOutcome, waitForRevision } from './wait-for-revision.js';

const SHA = '3f6c1e2d9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d';

function snapshot(overrides: Partial<OpsSnapshot> = {}): OpsSnapshot {
  return {
    namespace: 'wiki',
    argoCdNamespace: 'argocd',
    server: 'https://k8s.test',
    services: [],
    applications: [],
    events: [],
    synced: true,
    problems: [],
    observedAt: '2026-03-01T12:00:00.000Z',
    ...overrides,
  };
}

const app = (name: string, options: Parameters<typeof applicationOf>[1]) =>
  applicationStatus(applicationOf(name, options));

describe('revisionOutcome', () => {
  it('is ok when every wiki Application is Synced and Healthy at the revision', () => {
    const s = snapshot({
      applications: [
        app('lateral-gateway', { revision: SHA }),
        app('lateral-notes', { revision: SHA }),
      ],
    });
    expect(revisionOutcome(s, SHA.slice(0, 8))).toEqual({
      ok: true,
      applications: ['lateral-gateway', 'lateral-notes'],
    });
  });

  it('names each Application that is not there yet', () => {
    const s = snapshot({
      applications: [
        app('lateral-gateway', { revision: SHA }),
        app('lateral-notes', { revision: 'deadbeef', sync: 'OutOfSync' }),
      ],
    });
    expect(revisionOutcome(s, SHA)).toEqual({
      ok: false,
      kind: 'timeout',
      reasons: ['lateral-notes: at revision deadbee, OutOfSync'],
    });
  });

  it('never succeeds with no Applications, and reports RBAC on Applications as unavailable', () => {
    expect(revisionOutcome(snapshot(), SHA)).toMatchObject({ ok: false, kind: 'timeout' });
    const forbidden = snapshot({
      problems: [
        {
          source: 'applications',
          state: 'forbidden',
          message: 'applications.argoproj.io is forbidden',
        },
      ],
    });
    expect(revisionOutcome(forbidden, SHA)).toEqual({
      ok: false,
      kind: 'unavailable',
      reasons: ['applications: applications.argoproj.io is forbidden'],
    });
  });
});

describe('waitForRevision', () => {
  it('resolves on the change that brings the last Application to the revision', async () => {
    let current = snapshot({ applications: [app('lateral-notes', { revision: 'deadbeef' })] });
    const listeners = new Set<() => void>();
    const source = {
      snapshot: () => current,
      onChange: (l: () => void) => {
        listeners.add(l);
        return () => listeners.delete(l);
      },
    };
    const waiting = waitForRevision(source, SHA, 5_000);
    current = snapshot({ applications: [app('lateral-notes', { revision: SHA })] });
    for (const l of listeners) l();
    await expect(waiting).resolves.toEqual({ ok: true, applications: ['lateral-notes'] });
    expect(listeners.size).toBe(0);
  });

  it('times out with the last reasons', async () => {
    const current = snapshot({
      applications: [app('lateral-notes', { revision: SHA, health: 'Degraded' })],
    });
    const outcome = await waitForRevision(
      { snapshot: () => current, onChange: () => () => true },
      SHA,
      20,
    );
    expect(outcome).toEqual({ ok: false, kind: 'timeout', reasons: ['lateral-notes: Degraded'] });
  });
});
