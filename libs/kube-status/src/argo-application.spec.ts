import { describe, expect, it } from 'vitest';
import { applicationStatus, notAtRevision, sameRevision } from './argo-application.js';
import { applicationOf } from './testing/kube-builders.js';

const SHA = '3f6c1e2d9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d';
const OLD = '0a1b2c3d4e5f60718293a4b5c6d7e8f901234567';

describe('applicationStatus', () => {
  it('reads sync, health, revision and the last sync result', () => {
    const app = applicationStatus(
      applicationOf('lateral-notes', {
        revision: SHA,
        lastSync: {
          phase: 'Succeeded',
          message: 'successfully synced (all tasks run)',
          finishedAt: '2026-03-01T10:00:05Z',
        },
      }),
    );
    expect(app).toMatchObject({
      name: 'lateral-notes',
      sync: 'Synced',
      health: 'Healthy',
      revision: SHA,
      lastSync: { phase: 'Succeeded', revision: SHA, finishedAt: '2026-03-01T10:00:05.000Z' },
    });
  });

  it('treats a missing or unexpected sync status as Unknown', () => {
    expect(applicationStatus({ metadata: { name: 'x' } })).toMatchObject({
      sync: 'Unknown',
      health: 'Unknown',
      lastSync: undefined,
    });
    expect(applicationStatus({ status: { sync: { status: 'Weird' } } }).sync).toBe('Unknown');
  });

  it('uses the first revision of a multi-source Application', () => {
    expect(
      applicationStatus({ status: { sync: { status: 'Synced', revisions: [SHA, OLD] } } }).revision,
    ).toBe(SHA);
  });
});

describe('notAtRevision', () => {
  it('accepts a Synced, Healthy Application at the revision, by short SHA too', () => {
    const app = applicationStatus(
      applicationOf('lateral-gateway', { revision: SHA, lastSync: { phase: 'Succeeded' } }),
    );
    expect(notAtRevision(app, SHA)).toBeUndefined();
    expect(notAtRevision(app, SHA.slice(0, 7))).toBeUndefined();
    expect(sameRevision(SHA, 'abcdef0')).toBe(false);
  });

  it('says what is missing: revision, sync, health, a running or failed sync', () => {
    const older = applicationStatus(
      applicationOf('lateral-media', { revision: OLD, sync: 'OutOfSync', health: 'Progressing' }),
    );
    expect(notAtRevision(older, SHA)).toBe(
      'lateral-media: at revision 0a1b2c3, OutOfSync, Progressing',
    );
    const running = applicationStatus(
      applicationOf('lateral-media', { revision: SHA, lastSync: { phase: 'Running' } }),
    );
    expect(notAtRevision(running, SHA)).toBe('lateral-media: sync running');
    const failed = applicationStatus(
      applicationOf('lateral-media', {
        revision: SHA,
        health: 'Degraded',
        lastSync: { phase: 'Failed', message: 'PostSync hook failed' },
      }),
    );
    expect(notAtRevision(failed, SHA)).toBe(
      'lateral-media: Degraded, last sync Failed: PostSync hook failed',
    );
  });
});
