import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import {
  bindRolesTo,
  eventually,
  NEW_SHA,
  OLD_SHA,
  startTestApiServer,
  type TestApiServer,
  WikiScenario,
} from '@lateral/kube-status/testing';
import { BOOTSTRAP_TOKEN, signIn, startGateway, type GatewayHarness } from '../gateway-harness.js';

const bootstrap = `Bearer ${BOOTSTRAP_TOKEN}`;
const UPSTREAM = { NOTES_URL: 'http://127.0.0.1:9', MEDIA_URL: 'http://127.0.0.1:9' };
const RBAC = parseAllDocuments(readFileSync('docs/ops-helm-rbac-snippet.yaml', 'utf8')).map(
  (d) => d.toJS() as object,
);

/** The text of one table row of the page, whitespace collapsed, tags dropped. */
function rowText(page: string, attribute: string, value: string): string {
  const match = new RegExp(`<tr ${attribute}="${value}">([\\s\\S]*?)</tr>`).exec(page);
  if (!match) throw new Error(`no row ${attribute}=${value} in:\n${page}`);
  return (match[1] ?? '')
    .replace(/<[^<>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

describe('the operations page and /api/v1/ops/status', () => {
  let kube: TestApiServer;
  let gw: GatewayHarness;
  let notes: WikiScenario;

  beforeAll(async () => {
    kube = await startTestApiServer();
    await bindRolesTo(kube, RBAC, 'ops-viewer');
    notes = new WikiScenario(kube, 'notes');
    await notes.deployOld();
    gw = await startGateway(inject('postgresAdminUrl'), {
      ...UPSTREAM,
      OPS_KUBECONFIG: await kube.kubeconfig('viewer'),
      OPS_ARGOCD_NAMESPACE: 'argocd',
    });
  }, 120_000);

  afterAll(async () => {
    await gw?.close();
    await kube?.stop();
  });

  it('answers the JSON to admins from the watched state', async () => {
    const res = await eventually(async () => {
      const r = await gw.http().get('/api/v1/ops/status').set('authorization', bootstrap);
      expect(r.body.snapshot?.synced).toBe(true);
      return r;
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      enabled: true,
      snapshot: {
        namespace: 'wiki',
        argoCdNamespace: 'argocd',
        problems: [],
        services: [
          {
            service: 'notes',
            tag: OLD_SHA.slice(0, 12),
            gitSha: OLD_SHA.slice(0, 12),
            desired: 2,
            ready: 2,
            rollout: { state: 'complete' },
          },
        ],
        applications: [
          { name: 'lateral-notes', sync: 'Synced', health: 'Healthy', revision: OLD_SHA },
        ],
      },
    });
  });

  it('renders the page for admins and refuses everyone else', async () => {
    const admin = await signIn(gw);
    const page = await gw.http().get('/ops').set('cookie', admin.cookie).set('accept', 'text/html');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<title>Operations · Lateral</title>');
    expect(page.text).toMatch(/<a href="\/ops"[^>]*aria-current="page"[^>]*>\s*Operations/);
    expect(rowText(page.text, 'data-service', 'notes')).toBe(
      `notes ${OLD_SHA.slice(0, 12)} 2/2 complete 2 of 2 replicas available Conditions (revision 1) Available=True MinimumReplicasAvailable Progressing=True NewReplicaSetAvailable 0`,
    );
    expect(rowText(page.text, 'data-application', 'lateral-notes')).toMatch(
      /^lateral-notes Synced Healthy 0a1b2c3 Succeeded (just now|1 minute ago) successfully synced \(all tasks run\)$/,
    );

    const created = await gw.http().post('/api/v1/users').set('authorization', bootstrap).send({
      email: 'ed@example.test',
      name: 'Ed',
      role: 'editor',
      password: 'editor password 123',
    });
    expect(created.status).toBe(201);
    const editor = await signIn(gw, 'ed@example.test', 'editor password 123');
    const refused = await gw
      .http()
      .get('/ops')
      .set('cookie', editor.cookie)
      .set('accept', 'text/html');
    expect(refused.status).toBe(403);
    // The import page needs no upstream; its menu shows editors no Operations link.
    const other = await gw
      .http()
      .get('/import')
      .set('cookie', editor.cookie)
      .set('accept', 'text/html');
    expect(other.status).toBe(200);
    expect(other.text).toContain('href="/import"');
    expect(other.text).not.toContain('href="/ops"');
    const json = await gw.http().get('/api/v1/ops/status').set('cookie', editor.cookie);
    expect(json.status).toBe(403);
    expect(json.body.error.code).toBe('forbidden');
  });

  it('the live panel follows a rollout to stuck, then to done', async () => {
    const admin = await signIn(gw);
    const live = () =>
      gw.http().get('/ops/live').set('cookie', admin.cookie).set('hx-request', 'true');

    await notes.startRollout();
    await notes.oneNewPod();
    await notes.stuck();
    const stuck = await eventually(async () => {
      const r = await live();
      expect(rowText(r.text, 'data-service', 'notes')).toContain('stuck');
      return r;
    });
    expect(stuck.text).toMatch(/^<section\s+id="ops-live"/);
    expect(stuck.text).toContain('hx-trigger="every 3s"');
    expect(stuck.text).not.toContain('<html');
    const row = rowText(stuck.text, 'data-service', 'notes');
    expect(row).toContain('ReplicaSet "lateral-notes-r2" has timed out progressing.');
    expect(row).toMatch(/ 3 lateral-notes-r2-0: 3× Error \(exit 1\) (just now|1 minute ago)$/);
    expect(row).toContain(`${NEW_SHA.slice(0, 12)} 0/1 ready (new)`);
    expect(row).toContain(`${OLD_SHA.slice(0, 12)} 2/2 ready (old)`);
    expect(rowText(stuck.text, 'data-event-type', 'Warning')).toMatch(
      /BackOff Pod\/lateral-notes-r2-0 Back-off restarting failed container$/,
    );
    expect(rowText(stuck.text, 'data-application', 'lateral-notes')).toMatch(
      /^lateral-notes Synced Progressing 3f6c1e2 Running/,
    );

    await notes.complete();
    await eventually(async () => {
      const r = await live();
      expect(rowText(r.text, 'data-service', 'notes')).toContain(
        'complete 2 of 2 replicas available',
      );
      expect(rowText(r.text, 'data-application', 'lateral-notes')).toMatch(
        /^lateral-notes Synced Healthy 3f6c1e2 Succeeded/,
      );
    });
  });
});

describe('the operations page without access', () => {
  let kube: TestApiServer;
  let denied: GatewayHarness;
  let off: GatewayHarness;
  let down: GatewayHarness;

  beforeAll(async () => {
    kube = await startTestApiServer();
    // A kubeconfig whose API server is gone (nothing listens on port 1).
    const unreachable = join(mkdtempSync(join(tmpdir(), 'kc-')), 'config');
    writeFileSync(
      unreachable,
      readFileSync(await kube.kubeconfig('viewer'), 'utf8').replace(
        kube.url,
        'https://127.0.0.1:1',
      ),
    );
    down = await startGateway(inject('postgresAdminUrl'), {
      ...UPSTREAM,
      OPS_KUBECONFIG: unreachable,
    });
    denied = await startGateway(inject('postgresAdminUrl'), {
      ...UPSTREAM,
      OPS_KUBECONFIG: await kube.kubeconfig('nobody'),
    });
    off = await startGateway(inject('postgresAdminUrl'), UPSTREAM);
  }, 120_000);

  afterAll(async () => {
    await denied?.close();
    await off?.close();
    await down?.close();
    await kube?.stop();
  });

  it('says which resource RBAC forbids, for a ServiceAccount bound to no Role', async () => {
    const res = await eventually(async () => {
      const r = await denied.http().get('/api/v1/ops/status').set('authorization', bootstrap);
      expect(r.body.snapshot.problems).toHaveLength(5);
      return r;
    });
    expect(res.body.snapshot.problems[0]).toEqual({
      source: 'deployments',
      state: 'forbidden',
      message:
        'deployments.apps is forbidden: User "nobody" cannot list resource "deployments" in API group "apps" in the namespace "wiki"',
    });
    const admin = await signIn(denied);
    const page = await denied
      .http()
      .get('/ops')
      .set('cookie', admin.cookie)
      .set('accept', 'text/html');
    expect(page.status).toBe(200);
    expect(page.text).toContain(
      '<strong>Forbidden</strong> (applications): applications.argoproj.io is forbidden',
    );
    expect(page.text).toMatch(
      /Role needs\s+<code>get<\/code>, <code>list<\/code> and <code>watch<\/code>/,
    );
  });

  it('says the API server cannot be reached, and keeps serving the wiki', async () => {
    const res = await eventually(async () => {
      const r = await down.http().get('/api/v1/ops/status').set('authorization', bootstrap);
      expect(r.body.snapshot.problems).toHaveLength(5);
      return r;
    });
    expect(res.body.snapshot.problems[0]).toMatchObject({
      source: 'deployments',
      state: 'unavailable',
      message: expect.stringMatching(/^cannot reach the API server: .*ECONNREFUSED 127\.0\.0\.1:1/),
    });
    const admin = await signIn(down);
    const page = await down
      .http()
      .get('/ops')
      .set('cookie', admin.cookie)
      .set('accept', 'text/html');
    expect(page.status).toBe(200);
    expect(page.text).toContain(
      '<strong>Kubernetes API unavailable</strong> (pods): cannot reach the API server',
    );
    expect((await down.http().get('/readyz')).status).toBe(200);
  });

  it('is off, and says how to turn it on, when nothing is configured', async () => {
    const res = await off.http().get('/api/v1/ops/status').set('authorization', bootstrap);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      enabled: false,
      message: expect.stringContaining('operations view is off'),
    });
    const admin = await signIn(off);
    const page = await off
      .http()
      .get('/ops')
      .set('cookie', admin.cookie)
      .set('accept', 'text/html');
    expect(page.text).toContain('set OPS_KUBERNETES=in-cluster');
    expect(page.text).not.toContain('hx-trigger');
  });
});
