import { describe, expect, it } from 'vitest';
import { buildSnapshot, type SnapshotInput } from './snapshot.js';
import { applicationOf, deploymentOf } from './testing/kube-builders.js';

const env = (name: string) => ({
  'app.kubernetes.io/part-of': 'lateral',
  'lateral/environment': name,
});

function input(overrides: Partial<SnapshotInput>): SnapshotInput {
  return {
    namespace: 'lateral-dev',
    argoCdNamespace: 'argocd',
    server: 'https://k8s.test',
    partOf: 'lateral',
    applicationSelector: undefined,
    deployments: [],
    replicaSets: [],
    pods: [],
    events: [],
    applications: [],
    synced: true,
    problems: [],
    now: new Date('2026-03-01T12:00:00Z'),
    recentRestartMs: 3_600_000,
    eventLimit: 30,
    ...overrides,
  };
}

describe('buildSnapshot', () => {
  // One Argo CD serves every environment, and all their Applications say part-of=lateral.
  const applications = [
    applicationOf('lateral-notes-dev', { destinationNamespace: 'lateral-dev', labels: env('dev') }),
    applicationOf('lateral-notes-prod', {
      destinationNamespace: 'lateral-prod',
      labels: env('prod'),
    }),
    applicationOf('other-team', { destinationNamespace: 'billing' }),
  ];

  it("keeps only the Applications deploying into the wiki's namespace", () => {
    expect(buildSnapshot(input({ applications })).applications.map((a) => a.name)).toEqual([
      'lateral-notes-dev',
    ]);
  });

  it('keeps what the API server selected when a label selector is set (the root app too)', () => {
    const root = applicationOf('lateral-dev', {
      destinationNamespace: 'argocd',
      labels: env('dev'),
    });
    const selected = buildSnapshot(
      input({
        applicationSelector: 'lateral/environment=dev',
        applications: [root, applications[0]!],
      }),
    );
    expect(selected.applications.map((a) => a.name)).toEqual(['lateral-dev', 'lateral-notes-dev']);
  });

  it('lists only Deployments labelled part of the wiki, by service name', () => {
    const unrelated = deploymentOf('redis', { image: 'redis:7' });
    unrelated.metadata!.labels = { 'app.kubernetes.io/name': 'redis' };
    const services = buildSnapshot(
      input({
        deployments: [
          deploymentOf('notes', { image: 'n:abc1234' }),
          unrelated,
          deploymentOf('gateway', { image: 'g:abc1234' }),
        ],
      }),
    ).services;
    expect(services.map((s) => s.service)).toEqual(['gateway', 'notes']);
  });
});
