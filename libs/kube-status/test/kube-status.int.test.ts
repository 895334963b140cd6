// One file (~340 lines) on purpose: every test shares one real kube-apiserver and etcd started in
// beforeAll (seconds to start) and the wiki deployed into it; a second file would start another.
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { revisionOutcome } from '@lateral/kube-status';
import { EXIT, KubeStatusWatcher, runOpsCli } from '@lateral/kube-status/client';
import {
  applicationOf,
  bindRolesTo,
  eventually,
  NEW_SHA,
  OLD_SHA,
  startTestApiServer,
  type TestApiServer,
  WikiScenario,
} from '@lateral/kube-status/testing';

const RBAC = parseAllDocuments(readFileSync('docs/ops-helm-rbac-snippet.yaml', 'utf8')).map(
  (d) => d.toJS() as object,
);

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runOpsCli(args, { env: {}, out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('the operations view against a real kube-apiserver', () => {
  let kube: TestApiServer;
  let viewerConfig: string;
  let notes: WikiScenario;
  let watcher: KubeStatusWatcher;

  beforeAll(async () => {
    kube = await startTestApiServer();
    await bindRolesTo(kube, RBAC, 'ops-viewer');
    viewerConfig = await kube.kubeconfig('viewer');
    notes = new WikiScenario(kube, 'notes');
    await notes.deployOld();
    await new WikiScenario(kube, 'gateway').deployOld();
    // Another environment's Application in the same Argo CD: never part of this wiki's view.
    await kube.create(
      applicationOf('lateral-notes-prod', {
        destinationNamespace: 'prod',
        labels: { 'app.kubernetes.io/part-of': 'lateral', 'lateral/environment': 'prod' },
      }),
    );
    // The chart's Role, nothing more: what the gateway's ServiceAccount gets in a cluster.
    watcher = new KubeStatusWatcher({
      access: { mode: 'kubeconfig', path: viewerConfig },
      argoCdNamespace: 'argocd',
      retryMs: { min: 200, max: 1000 },
    });
    watcher.start();
    expect(await watcher.whenSynced(10_000)).toBe(true);
  }, 120_000);

  afterAll(async () => {
    await watcher?.stop();
    await kube?.stop();
  });

  it('shows each service at its version with the least-privilege Role, and Argo CD Synced', () => {
    const s = watcher.snapshot();
    expect(s.problems).toEqual([]);
    expect(s.namespace).toBe('wiki');
    expect(
      s.services.map((x) => [x.service, x.gitSha, `${x.ready}/${x.desired}`, x.rollout.state]),
    ).toEqual([
      ['gateway', OLD_SHA.slice(0, 12), '2/2', 'complete'],
      ['notes', OLD_SHA.slice(0, 12), '2/2', 'complete'],
    ]);
    expect(
      s.applications.map((a) => [a.name, a.sync, a.health, a.revision, a.lastSync?.phase]),
    ).toEqual([
      ['lateral-gateway', 'Synced', 'Healthy', OLD_SHA, 'Succeeded'],
      ['lateral-notes', 'Synced', 'Healthy', OLD_SHA, 'Succeeded'],
    ]);
  });

  it('follows a rollout through progressing and stuck to complete, from watch events', async () => {
    const waiting = cli([
      'wait',
      '--revision',
      NEW_SHA.slice(0, 7),
      '--timeout',
      '60s',
      '--kubeconfig',
      viewerConfig,
    ]);
    let waitSettled = false;
    void waiting.finally(() => {
      waitSettled = true;
    });

    await notes.startRollout();
    await eventually(() => {
      const s = watcher.snapshot().services.find((x) => x.service === 'notes');
      expect(s?.rollout).toMatchObject({
        state: 'progressing',
        message: expect.stringMatching(/observe the new spec/),
      });
      expect(s?.gitSha).toBe(NEW_SHA.slice(0, 12));
    });

    await notes.oneNewPod();
    await eventually(() => {
      const s = watcher.snapshot().services.find((x) => x.service === 'notes');
      expect(s?.rollout.message).toBe('1 of 2 replicas updated');
      expect(
        s?.versions.map((v) => `${v.gitSha} ${v.ready}/${v.replicas} ${v.current ? 'new' : 'old'}`),
      ).toEqual([`${NEW_SHA.slice(0, 12)} 0/1 new`, `${OLD_SHA.slice(0, 12)} 2/2 old`]);
    });

    await notes.stuck();
    await eventually(() => {
      const s = watcher.snapshot();
      expect(s.services.find((x) => x.service === 'notes')?.rollout).toMatchObject({
        state: 'stuck',
        message: expect.stringContaining('has timed out progressing'),
      });
      expect(s.services.find((x) => x.service === 'notes')?.restarts).toMatchObject({
        total: 3,
        recent: [
          { pod: 'lateral-notes-r2-0', restartCount: 3, lastReason: 'Error', lastExitCode: 1 },
        ],
      });
      expect(s.events[0]).toMatchObject({
        type: 'Warning',
        reason: 'BackOff',
        object: 'Pod/lateral-notes-r2-0',
      });
    });

    await notes.complete();
    await eventually(() => {
      const s = watcher.snapshot().services.find((x) => x.service === 'notes');
      expect(s?.rollout.state).toBe('complete');
      expect(s?.versions).toHaveLength(1);
    });
    // Only notes moved: the gateway Application is still at the old revision. The wait re-decides
    // on every watch event with revisionOutcome; once this watcher has seen notes' Application at
    // the new revision, that decision must still be "not yet", naming only the gateway.
    await eventually(() => {
      expect(revisionOutcome(watcher.snapshot(), NEW_SHA.slice(0, 7))).toEqual({
        ok: false,
        kind: 'timeout',
        reasons: [`lateral-gateway: at revision ${OLD_SHA.slice(0, 7)}`],
      });
    });
    expect(waitSettled).toBe(false);
    const gateway = new WikiScenario(kube, 'gateway');
    await kube.call(
      'PATCH',
      '/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/lateral-gateway',
      {
        status: {
          sync: { status: 'Synced', revision: NEW_SHA },
          operationState: {
            phase: 'Succeeded',
            finishedAt: new Date().toISOString(),
            syncResult: { revision: NEW_SHA },
          },
        },
      },
      'application/merge-patch+json',
    );
    expect(gateway.application).toBe('lateral-gateway');
    const result = await waiting;
    expect(result.code).toBe(EXIT.ok);
    expect(result.out).toBe(
      `at ${NEW_SHA.slice(0, 7)}: lateral-gateway, lateral-notes Synced and Healthy`,
    );
  });

  it('wait times out naming what is missing (exit 1)', async () => {
    await kube.call(
      'PATCH',
      '/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/lateral-notes',
      {
        status: {
          health: {
            status: 'Degraded',
            message: 'Deployment "lateral-notes" exceeded its progress deadline',
          },
        },
      },
      'application/merge-patch+json',
    );
    // A fresh client's first LIST may be served from the API server's watch cache, which lags
    // behind a write under load: wait until a watch has seen the change, as a person would.
    await eventually(() => {
      const app = watcher.snapshot().applications.find((a) => a.name === 'lateral-notes');
      expect(app?.health).toBe('Degraded');
    });
    const started = Date.now();
    const result = await cli([
      'wait',
      '--revision',
      NEW_SHA,
      '--timeout',
      '1500ms',
      '--kubeconfig',
      viewerConfig,
    ]);
    expect(Date.now() - started, JSON.stringify(result)).toBeGreaterThanOrEqual(1400);
    expect(result.code).toBe(EXIT.notReady);
    expect(result.err).toContain(`timed out after 1500ms waiting for ${NEW_SHA}`);
    expect(result.err).toContain(
      'lateral-notes: Degraded (Deployment "lateral-notes" exceeded its progress deadline)',
    );
    expect(result.err).not.toContain('lateral-gateway:');
  });

  it('selects Applications by label when told to (server-side, through the watch)', async () => {
    const prod = new KubeStatusWatcher({
      access: { mode: 'kubeconfig', path: viewerConfig },
      argoCdNamespace: 'argocd',
      applicationSelector: 'lateral/environment=prod',
    });
    prod.start();
    try {
      expect(await prod.whenSynced(10_000)).toBe(true);
      expect(prod.snapshot().applications.map((a) => a.name)).toEqual(['lateral-notes-prod']);
    } finally {
      await prod.stop();
    }
  });

  it('works in-cluster from a ServiceAccount token file, as in the gateway pod', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sa-'));
    writeFileSync(join(dir, 'token'), kube.tokens.viewer);
    writeFileSync(join(dir, 'namespace'), 'wiki');
    copyFileSync(kube.caFile, join(dir, 'ca.crt'));
    const url = new URL(kube.url);
    const inPod = new KubeStatusWatcher({
      access: { mode: 'in-cluster' },
      argoCdNamespace: 'argocd',
      podEnv: { KUBERNETES_SERVICE_HOST: url.hostname, KUBERNETES_SERVICE_PORT: url.port },
      serviceAccountDir: dir,
    });
    inPod.start();
    try {
      expect(await inPod.whenSynced(10_000)).toBe(true);
      const s = inPod.snapshot();
      expect(s.problems).toEqual([]);
      expect(s.namespace).toBe('wiki');
      expect(s.services.map((x) => x.service)).toEqual(['gateway', 'notes']);
    } finally {
      await inPod.stop();
    }
  });

  it('a user bound to no Role gets a clear forbidden message per resource', async () => {
    const nobody = new KubeStatusWatcher({
      access: { mode: 'kubeconfig', path: await kube.kubeconfig('nobody') },
      argoCdNamespace: 'argocd',
    });
    nobody.start();
    try {
      expect(await nobody.whenSynced(10_000)).toBe(true);
      const s = nobody.snapshot();
      expect(s.services).toEqual([]);
      expect(s.problems.map((p) => [p.source, p.state])).toEqual([
        ['deployments', 'forbidden'],
        ['replicasets', 'forbidden'],
        ['pods', 'forbidden'],
        ['events', 'forbidden'],
        ['applications', 'forbidden'],
      ]);
      expect(s.problems[0]?.message).toBe(
        'deployments.apps is forbidden: User "nobody" cannot list resource "deployments" in API group "apps" in the namespace "wiki"',
      );
    } finally {
      await nobody.stop();
    }
    const status = await cli(['status', '--kubeconfig', await kube.kubeconfig('nobody')]);
    expect(status.code).toBe(EXIT.unavailable);
    expect(status.out).toContain(
      'FORBIDDEN applications: applications.argoproj.io is forbidden: User "nobody" cannot list',
    );
    const wait = await cli([
      'wait',
      '--revision',
      NEW_SHA,
      '--timeout',
      '1s',
      '--kubeconfig',
      await kube.kubeconfig('nobody'),
    ]);
    expect(wait.code).toBe(EXIT.unavailable);
    expect(wait.err).toContain('cannot tell whether the wiki is at');
  });

  it('npm run ops -- status prints the table (a real process, the way people run it)', async () => {
    const child = spawn(
      'npm',
      ['run', '--silent', 'ops', '--', 'status', '--kubeconfig', viewerConfig],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    expect(code).toBe(0);
    expect(out).toMatch(/^SERVICE\s+TAG\s+GIT SHA\s+READY\s+UP-TO-DATE\s+ROLLOUT\s+RESTARTS$/m);
    expect(out).toMatch(
      new RegExp(
        `^notes\\s+${NEW_SHA.slice(0, 12)}\\s+${NEW_SHA.slice(0, 7)}\\s+2/2\\s+2\\s+complete: 2 of 2 replicas available\\s+3$`,
        'm',
      ),
    );
    expect(out).toMatch(/^lateral-notes\s+Synced\s+Degraded\s+3f6c1e2\s+Succeeded/m);
    expect(out).toMatch(
      /Warning\s+BackOff\s+Pod\/lateral-notes-r2-0\s+Back-off restarting failed container/,
    );
  }, 60_000);

  it('says the API server cannot be reached when nothing listens', async () => {
    const status = await cli([
      'status',
      '--kubeconfig',
      await kube.kubeconfig('viewer'),
      '--namespace',
      'wiki',
    ]);
    expect(status.code).toBe(EXIT.ok);
    const path = await kube.kubeconfig('admin');
    const text = readFileSync(path, 'utf8').replace(kube.url, 'https://127.0.0.1:1');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(path, text);
    const down = await cli(['status', '--kubeconfig', path]);
    expect(down.code).toBe(EXIT.unavailable);
    expect(down.out).toMatch(
      /UNAVAILABLE deployments: cannot reach the API server: .*ECONNREFUSED 127\.0\.0\.1:1/,
    );
  });
});
