/**
 * The GitOps proof (issue #11) on the local cluster, after argocd-up.sh: Argo CD syncs
 * deploy/envs/local from the local git server, and this drives it the way a team would — by
 * committing — while a real client uses the wiki through the gateway's Service:
 *   1. bootstrap: every Application Synced/Healthy, every pod Ready; sign in, create a page,
 *      upload a HEIC photo, find the page by search;
 *   2. roll out by merging: the image tag committed into deploy/envs/local (release.yml's change),
 *      under load: no failed request, no acknowledged write lost, each migration Job done before
 *      its service's new pods;
 *   3. roll back by `git revert`: the old tag back, again under load;
 *   4. drift: a Deployment scaled and re-imaged by hand is put back (self-heal); objects a commit
 *      removes are pruned;
 *   5. metrics: Prometheus scrapes the pods through Kubernetes service discovery on the
 *      real API server, loads the shipped rules; every dashboard query and rule evaluates;
 *   6. operations view: /ops, in the cluster with its Role, lists the real Deployments and
 *      Applications;
 *   7. NetworkPolicies: rendered and applied, and whether the CNI enforces them (the bridge CNI
 *      does not: measured, and said);
 *   8. Argo CD's health check for CloudNativePG Clusters (ours, argocd/argocd-values.yaml) on a
 *      fresh, a healthy and a failing Cluster.
 * Writes .cache/cluster/report.json and report.md; exits 1 when a check fails.
 * Environment (set by test-cluster.sh, or kind-up.sh on GitHub): KUBECTL, KUBECONFIG,
 * CLUSTER_STATE, CLUSTER_RETAG (ctr with CTR_ADDRESS, or kind), TAG,
 * PROMETHEUS_BIN (install-prometheus.sh), KUBE_STATE_METRICS_BIN (install-kube-state-metrics.sh),
 * ARGOCD_BIN, PROMETHEUS_PORT, KUBE_STATE_METRICS_PORT, ARGOCD_METRICS.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { request } from 'undici';
import { dashboardExpressions, readRules, ruleExpressions } from '../../monitoring/lib/sources.js';
import { WikiClient, multipart, type NoteRef } from '../../test/stack/client.js';
import { SteadyTraffic, seed, type Outcome } from '../../test/stack/workload.js';

const ROOT = resolve(import.meta.dirname, '../..');
const env = (name: string, fallback?: string): string => {
  const value = process.env[name] ?? fallback;
  if (value === undefined) throw new Error(`prove-gitops: ${name} is not set`);
  return value;
};
const KUBECTL = env('KUBECTL');
const STATE = env('CLUSTER_STATE');
const TAG = env('TAG');
/** How a new tag reaches the node: containerd's own client (this machine), or `kind load`. */
const RETAG = env('CLUSTER_RETAG', 'ctr');
const PROMETHEUS_PORT = Number(env('PROMETHEUS_PORT', '19090'));
const ARGOCD_METRICS = env('ARGOCD_METRICS', '127.0.0.1:18082');
const PROMETHEUS = env('PROMETHEUS_BIN');
const KUBE_STATE_METRICS = env('KUBE_STATE_METRICS_BIN');
const KUBE_STATE_METRICS_PORT = Number(env('KUBE_STATE_METRICS_PORT', '19091'));
const NS = 'lateral-local';
const BARE = join(STATE, 'git/lateral.git');
const WORK = join(STATE, 'git/work');
const SERVICES = ['gateway', 'notes', 'media'] as const;
const ADMIN = { email: 'admin@lateral.local', password: 'local-cluster-admin' };
const IMAGE = (service: string, tag: string) => `ghcr.io/example-org/lateral-${service}:${tag}`;

// ---------------------------------------------------------------- report

interface Check {
  name: string;
  ok: boolean;
  seconds: number;
  facts: Record<string, unknown>;
  problems: string[];
}
const checks: Check[] = [];

async function check(
  name: string,
  body: (facts: Record<string, unknown>, problems: string[]) => Promise<void>,
): Promise<void> {
  const started = performance.now();
  const facts: Record<string, unknown> = {};
  const problems: string[] = [];
  console.error(`== ${name}`);
  try {
    await body(facts, problems);
  } catch (error) {
    problems.push(error instanceof Error ? (error.stack ?? error.message) : String(error));
  }
  const seconds = Math.round((performance.now() - started) / 100) / 10;
  checks.push({ name, ok: problems.length === 0, seconds, facts, problems });
  console.error(`${problems.length === 0 ? 'ok  ' : 'FAIL'} ${name} (${seconds} s)`);
  for (const p of problems) console.error(`     ${p}`);
}

// ---------------------------------------------------------------- kubectl, git, waiting

function run(command: string, args: string[], options: { cwd?: string; input?: string } = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...options });
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')}: ${result.stderr || result.error || 'failed'}`);
  return result.stdout;
}
const kubectl = (...args: string[]) => run(KUBECTL, args);
const kubeJson = <T>(...args: string[]): T => JSON.parse(kubectl(...args, '-o', 'json')) as T;
const git = (...args: string[]) =>
  run('git', ['-c', 'user.name=lateral-local', '-c', 'user.email=local@lateral.invalid', ...args], {
    cwd: WORK,
  }).trim();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 300_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs / 1000} s waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`,
      );
    await sleep(1000);
  }
}

interface Application {
  metadata: { name: string };
  status?: {
    sync?: { status?: string; revision?: string };
    health?: { status?: string };
    operationState?: { phase?: string };
  };
}
const applications = () =>
  kubeJson<{ items: Application[] }>('-n', 'argocd', 'get', 'applications').items;

/** Argo CD looks at the repository now rather than at its next poll. */
function refresh(): void {
  kubectl(
    '-n',
    'argocd',
    'annotate',
    'applications',
    '--all',
    'argocd.argoproj.io/refresh=normal',
    '--overwrite',
  );
}

async function waitSynced(revision: string): Promise<string[]> {
  return waitFor(`every Application Synced/Healthy at ${revision.slice(0, 12)}`, () => {
    const apps = applications();
    const states = apps.map(
      (a) =>
        `${a.metadata.name}=${a.status?.sync?.status}/${a.status?.health?.status}@${a.status?.sync?.revision?.slice(0, 12)}`,
    );
    const done = apps.every(
      (a) =>
        a.status?.sync?.status === 'Synced' &&
        a.status.health?.status === 'Healthy' &&
        a.status.sync.revision === revision,
    );
    return apps.length >= 4 && done ? states : undefined;
  });
}

interface Pod {
  metadata: {
    name: string;
    creationTimestamp: string;
    labels?: Record<string, string>;
    deletionTimestamp?: string;
  };
  spec: { containers: { image: string }[] };
  status: { phase: string; conditions?: { type: string; status: string }[] };
}
interface Job {
  metadata: { name: string };
  status: { succeeded?: number; failed?: number; conditions?: { type: string; status: string }[] };
}
const pods = () => kubeJson<{ items: Pod[] }>('-n', NS, 'get', 'pods').items;
const ready = (p: Pod) =>
  p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
const serviceOf = (p: Pod) =>
  p.metadata.labels?.['app.kubernetes.io/name']?.replace(/^lateral-/, '');
const componentOf = (p: Pod) => p.metadata.labels?.['app.kubernetes.io/component'];

/** Every service's Deployment rolled out with only pods of `tag`, all Ready. */
async function waitRolledOut(tag: string): Promise<void> {
  for (const service of SERVICES) {
    kubectl('-n', NS, 'rollout', 'status', `deploy/lateral-${service}`, '--timeout=300s');
  }
  await waitFor(`only ${tag.slice(0, 12)} pods, all Ready`, () => {
    const servers = pods().filter((p) => componentOf(p) === 'server');
    const stale = servers.filter(
      (p) => p.spec.containers[0]?.image !== IMAGE(serviceOf(p) ?? '', tag) || !ready(p),
    );
    return servers.length >= SERVICES.length && stale.length === 0 ? true : undefined;
  });
}

// ---------------------------------------------------------------- the wiki through the gateway

const gatewayIp = kubectl(
  '-n',
  NS,
  'get',
  'svc',
  'lateral-gateway',
  '-o',
  'jsonpath={.spec.clusterIP}',
).trim();
const BASE = `http://${gatewayIp}:8080`;

/**
 * The gateway's Service routes from this machine to a ready gateway. A Service's ClusterIP works
 * only once kube-proxy has written its rules, which can trail the pods' readiness (and Argo CD's
 * Healthy) on a busy node; until then a packet to it takes the default route, and whatever
 * answers there (this sandbox's egress proxy answers 404) is not the wiki. So the proof waits
 * for the gateway's own /readyz body, and says what kube-proxy did if it never comes.
 */
async function waitServiceRouted(): Promise<number> {
  const started = performance.now();
  try {
    await waitFor(
      `the gateway Service ${BASE} to route to a ready gateway`,
      async () => {
        const res = await request(`${BASE}/readyz`, { headersTimeout: 5000, bodyTimeout: 5000 });
        const text = await res.body.text();
        if (res.statusCode === 200 && text.includes('"status":"ready"')) return true;
        throw new Error(
          `HTTP ${res.statusCode} ${String(res.headers.server ?? '')} ${text.slice(0, 80)}`,
        );
      },
      120_000,
    );
  } catch (error) {
    const rules = spawnSync('iptables', ['-t', 'nat', '-S'], { encoding: 'utf8' }).stdout ?? '';
    const forGateway = rules.split('\n').filter((line) => line.includes(gatewayIp));
    const proxyLog = spawnSync('tail', ['-n', '20', join(STATE, 'logs/kube-proxy.log')], {
      encoding: 'utf8',
    }).stdout;
    throw new Error(
      `${(error as Error).message}\n     kube-proxy's nat rules for ${gatewayIp}: ${forGateway.length === 0 ? 'none' : forGateway.join(' | ')}\n     kube-proxy log (last 20 lines):\n${proxyLog}`,
    );
  }
  return Math.round(performance.now() - started);
}

async function signIn(): Promise<{ cookie: string; csrf: string }> {
  const res = await request(`${BASE}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  await res.body.text();
  if (res.statusCode !== 200) throw new Error(`sign in: HTTP ${res.statusCode}`);
  const setCookie = [res.headers['set-cookie'] ?? []].flat();
  const cookie = setCookie.map((c) => c.split(';')[0]).join('; ');
  const session = await request(`${BASE}/api/v1/session`, { headers: { cookie } });
  const { csrfToken } = (await session.body.json()) as { csrfToken: string };
  if (!csrfToken) throw new Error('sign in: the session has no CSRF token');
  return { cookie, csrf: csrfToken };
}

async function page(path: string, cookie: string): Promise<{ status: number; html: string }> {
  const res = await request(`${BASE}${path}`, { headers: { cookie, accept: 'text/html' } });
  return { status: res.statusCode, html: await res.body.text() };
}

async function heicPhoto(): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'lateral-cluster-heic-'));
  try {
    const { default: sharp } = await import('sharp');
    const png = await sharp({
      create: { width: 1200, height: 800, channels: 3, background: { r: 40, g: 120, b: 200 } },
    })
      .png()
      .toBuffer();
    writeFileSync(join(dir, 'in.png'), png);
    run('heif-enc', ['-q', '60', '-o', join(dir, 'photo.heic'), join(dir, 'in.png')]);
    return await readFile(join(dir, 'photo.heic'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- load during a change

interface Load {
  traffic: SteadyTraffic;
  client: WikiClient;
}
async function startLoad(token: string, phase: string): Promise<Load> {
  const client = new WikiClient(BASE, token, 8);
  const fixtures = await seed(client, 4, `Load during ${phase} ${Date.now().toString(36)}`);
  const traffic = new SteadyTraffic(client, fixtures, 4, 20);
  traffic.phase = phase;
  return { traffic, client };
}
async function stopLoad(
  load: Load,
  facts: Record<string, unknown>,
  problems: string[],
): Promise<void> {
  const outcomes = await load.traffic.stop();
  const failed = load.traffic.failures();
  const lost = await load.traffic.lostWrites();
  await load.client.close();
  const byOp: Record<string, number> = {};
  for (const o of outcomes) byOp[o.op] = (byOp[o.op] ?? 0) + 1;
  facts.requests = outcomes.length;
  facts.requestsByKind = byOp;
  facts.failedRequests = failed.length;
  facts.acknowledgedWrites = load.traffic.acknowledged.size;
  facts.lostWrites = lost.length;
  facts.p99Ms = percentile(outcomes, 0.99);
  if (outcomes.length < 20) problems.push(`only ${outcomes.length} requests were made under load`);
  for (const f of failed.slice(0, 10))
    problems.push(`failed ${f.op}: ${f.status} ${f.error ?? ''}`.trim());
  if (failed.length > 10) problems.push(`... and ${failed.length - 10} more failed requests`);
  for (const l of lost) problems.push(`lost write: ${l}`);
}
function percentile(outcomes: Outcome[], q: number): number {
  const ms = outcomes.map((o) => o.ms).sort((a, b) => a - b);
  return Math.round(ms[Math.min(ms.length - 1, Math.floor(q * ms.length))] ?? 0);
}

/** Each migration Job ran the new image and completed before its service's first new pod. */
function migrationsFirst(tag: string, problems: string[], facts: Record<string, unknown>): void {
  interface Job {
    metadata: { name: string };
    spec: { template: { spec: { containers: { image: string }[] } } };
    status: { completionTime?: string; succeeded?: number };
  }
  const jobs = kubeJson<{ items: Job[] }>('-n', NS, 'get', 'jobs').items;
  const order: Record<string, string> = {};
  for (const job of jobs) {
    const service = job.metadata.name.replace(/^lateral-/, '').replace(/-migrate$/, '');
    const image = job.spec.template.spec.containers[0]?.image;
    if (image !== IMAGE(service, tag)) {
      problems.push(`${job.metadata.name} ran ${image}, not the new tag`);
      continue;
    }
    const done = job.status.completionTime ? Date.parse(job.status.completionTime) : NaN;
    const firstNew = Math.min(
      ...pods()
        .filter((p) => serviceOf(p) === service && componentOf(p) === 'server')
        .map((p) => Date.parse(p.metadata.creationTimestamp)),
    );
    if (!(done <= firstNew))
      problems.push(
        `${job.metadata.name} completed at ${job.status.completionTime}, after its new pods started`,
      );
    order[service] =
      `migration done ${Math.round((firstNew - done) / 1000)} s before the first new pod`;
  }
  if (jobs.length === 0) problems.push('no migration Job found');
  facts.migrations = order;
}

function retag(from: string, to: string): void {
  if (RETAG === 'kind') {
    run('docker', ['tag', from, to]);
    run(join(STATE, 'bin/kind'), ['load', 'docker-image', '--name', 'lateral', to]);
  } else {
    const ctr = ['--address', env('CTR_ADDRESS'), '--namespace', 'k8s.io'];
    run('ctr', [...ctr, 'images', 'tag', '--force', from, to]);
  }
}

/** Commits deploy/envs/local/image.yaml with `tag` (scripts/deploy/set-image-tag.sh, as release.yml). */
function commitImageTag(tag: string): string {
  run('bash', [join(WORK, 'scripts/deploy/set-image-tag.sh'), 'local', tag]);
  git('commit', '--quiet', '-am', `local: roll out ${tag.slice(0, 12)}`);
  git('push', '--quiet', 'origin', 'main');
  refresh();
  return git('rev-parse', 'HEAD');
}

// ---------------------------------------------------------------- Prometheus

/**
 * kube-state-metrics (install-kube-state-metrics.sh) on the host, for the wiki's namespace: the
 * kube_* series the rollout dashboard and the workload alerts read, as kube-prometheus-stack's
 * kube-state-metrics provides them in a cluster.
 */
function startKubeStateMetrics(): ChildProcess {
  return spawn(
    KUBE_STATE_METRICS,
    [
      `--kubeconfig=${env('KUBECONFIG')}`,
      `--namespaces=${NS}`,
      '--resources=deployments,pods,replicasets',
      '--host=127.0.0.1',
      `--port=${KUBE_STATE_METRICS_PORT}`,
      '--telemetry-host=127.0.0.1',
      `--telemetry-port=${KUBE_STATE_METRICS_PORT + 1}`,
    ],
    { stdio: ['ignore', 'ignore', 'ignore'] },
  );
}

/** Prometheus (install-prometheus.sh) on the host: the pods found as the Prometheus Operator's ServiceMonitor
 * would find them (Endpoints of the Services' `metrics` port, honoring the services' own
 * `service` label), kube-state-metrics, Argo CD's controller metrics, and the shipped rule files
 * as they are. */
function startPrometheus(): ChildProcess {
  const dir = join(STATE, 'prometheus');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'rules'), { recursive: true });
  const rulesDir = join(ROOT, 'helm/lateral-monitoring/rules');
  for (const file of readdirSync(rulesDir))
    copyFileSync(join(rulesDir, file), join(dir, 'rules', file));
  const relabel = (from: string, to: string) =>
    `      - source_labels: [${from}]\n        target_label: ${to}\n`;
  writeFileSync(
    join(dir, 'prometheus.yml'),
    `global:
  scrape_interval: 5s
  evaluation_interval: 5s
rule_files:
  - ${join(dir, 'rules')}/*.yaml
scrape_configs:
  - job_name: lateral
    honor_labels: true
    kubernetes_sd_configs:
      - role: endpoints
        kubeconfig_file: ${env('KUBECONFIG')}
        namespaces:
          names: [${NS}]
    relabel_configs:
      - source_labels: [__meta_kubernetes_endpoint_port_name]
        regex: metrics
        action: keep
${relabel('__meta_kubernetes_namespace', 'namespace')}${relabel('__meta_kubernetes_service_name', 'service')}${relabel('__meta_kubernetes_service_name', 'job')}${relabel('__meta_kubernetes_pod_name', 'pod')}${relabel('__meta_kubernetes_pod_container_name', 'container')}${relabel('__meta_kubernetes_endpoint_port_name', 'endpoint')}
  - job_name: kube-state-metrics
    honor_labels: true
    static_configs:
      - targets: ['127.0.0.1:${KUBE_STATE_METRICS_PORT}']
  - job_name: argocd-metrics
    static_configs:
      - targets: ['${ARGOCD_METRICS}']
`,
  );
  return spawn(
    PROMETHEUS,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${PROMETHEUS_PORT}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
}

async function promQuery(query: string): Promise<{ ok: boolean; error?: string; series: number }> {
  const res = await request(
    `http://127.0.0.1:${PROMETHEUS_PORT}/api/v1/query?query=${encodeURIComponent(query)}`,
  );
  const body = (await res.body.json()) as {
    status: string;
    error?: string;
    data?: { result: unknown[] };
  };
  return {
    ok: body.status === 'success',
    error: body.error,
    series: body.data?.result.length ?? 0,
  };
}

/** A Grafana query as Prometheus would receive it for this environment. */
function substitute(expr: string): string {
  const labelValues = /^label_values\((.*),\s*\w+\)$/s.exec(expr.trim());
  const query = labelValues?.[1] ?? expr;
  return query
    .replaceAll('$__rate_interval', '1m')
    .replaceAll('$__interval', '15s')
    .replaceAll('$namespace', NS)
    .replace(/\$(?:service|pod|app|deployment)\b/g, '.*');
}

// ---------------------------------------------------------------- the proof

rmSync(WORK, { recursive: true, force: true });
run('git', ['clone', '--quiet', BARE, WORK]);
const released = git('rev-parse', 'HEAD');
const kubeStateMetrics = startKubeStateMetrics();
const prometheus = startPrometheus();
let token = '';
let session = { cookie: '', csrf: '' };

await check(
  'bootstrap: Applications Synced/Healthy, pods Ready, the wiki works through the gateway',
  async (facts, problems) => {
    facts.applications = await waitSynced(released);
    // Servers must be Ready; a migration Job is judged by the Job, not by each attempt: a first
    // attempt that failed while PostgreSQL or DNS was still starting and a retry that succeeded
    // is Kubernetes working as designed (backoffLimit), and is reported as a fact.
    const all = pods();
    facts.pods = all.map((p) => `${p.metadata.name} ${p.status.phase}`);
    const judged = all.filter(
      (p) => componentOf(p) !== 'migration' && p.status.phase !== 'Succeeded',
    );
    for (const p of judged.filter((p) => !ready(p)))
      problems.push(`pod ${p.metadata.name} is not Ready`);
    const jobs = kubeJson<{ items: Job[] }>('-n', NS, 'get', 'jobs').items;
    facts.jobs = jobs.map(
      (j) =>
        `${j.metadata.name} succeeded=${j.status.succeeded ?? 0} failed=${j.status.failed ?? 0}`,
    );
    for (const j of jobs)
      if (!j.status.conditions?.some((c) => c.type === 'Complete' && c.status === 'True'))
        problems.push(`job ${j.metadata.name} is not Complete`);
    facts.gateway = BASE;
    facts.serviceRoutedAfterMs = await waitServiceRouted();

    session = await signIn();
    const home = await page('/', session.cookie);
    if (home.status !== 200 || !home.html.includes('Lateral'))
      problems.push(`home page: HTTP ${home.status}`);
    const created = await request(`${BASE}/api/v1/me/tokens`, {
      method: 'POST',
      headers: {
        cookie: session.cookie,
        'x-csrf-token': session.csrf,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ name: 'cluster proof', role: 'editor', expiresInDays: 1 }),
    });
    const made = (await created.body.json()) as { token?: string };
    if (created.statusCode !== 201 || !made.token)
      throw new Error(`API token: HTTP ${created.statusCode}`);
    token = made.token;

    const client = new WikiClient(BASE, token, 2);
    try {
      const upload = await client.call(
        'POST',
        '/api/v1/media',
        multipart(await heicPhoto(), 'image/heic', 'IMG_0001.HEIC'),
      );
      if (upload.status !== 201)
        throw new Error(
          `HEIC upload: HTTP ${upload.status} ${upload.body.toString().slice(0, 200)}`,
        );
      const photo = upload.json<{ id: string }>();
      const variant = await client.call('GET', `/api/v1/media/${photo.id}`);
      facts.heic = `${photo.id} served as ${String(variant.headers['content-type'])} (${variant.body.length} bytes)`;
      if (variant.status !== 200 || !String(variant.headers['content-type']).startsWith('image/'))
        problems.push(`the HEIC photo is not served as an image: HTTP ${variant.status}`);

      const word = `kubelet${Date.now().toString(36)}`;
      const note = await client.createNote(
        `Cluster proof ${word}`,
        `Written through the gateway Service on the local cluster: ${word}.\n\n![photo](/media/${photo.id})`,
        ['cluster'],
      );
      const view = await page(`/notes/${note.slug}`, session.cookie);
      if (view.status !== 200 || !view.html.includes(photo.id))
        problems.push(`page view: HTTP ${view.status} without the photo`);
      const found = await client.call('GET', `/api/v1/search?q=${word}`);
      const hits = found.status === 200 ? found.json<{ items: NoteRef[] }>().items : [];
      facts.search = `"${word}": ${hits.length} hit(s)`;
      if (!hits.some((h) => h.id === note.id))
        problems.push(`search for ${word} did not find the page (HTTP ${found.status})`);
    } finally {
      await client.close();
    }
  },
);

const rolledOutTag = released; // the local repository's commit: a full git SHA, as release.yml writes
await check(
  'roll out by merging: the image tag committed, every service rolled under load',
  async (facts, problems) => {
    // The same images under the new tag (a second build would double the image time): what is
    // proven is the mechanism — a commit rolls every Deployment, migrations first, nobody notices.
    for (const service of SERVICES) retag(IMAGE(service, TAG), IMAGE(service, rolledOutTag));
    const load = await startLoad(token, 'rollout');
    const started = Date.now();
    try {
      const revision = commitImageTag(rolledOutTag);
      facts.commit = revision;
      await waitSynced(revision);
      await waitRolledOut(rolledOutTag);
      facts.rolloutSeconds = Math.round((Date.now() - started) / 1000);
      await sleep(3000);
    } finally {
      await stopLoad(load, facts, problems);
    }
    migrationsFirst(rolledOutTag, problems, facts);
  },
);

await check(
  'roll back by git revert: the previous tag back, under load',
  async (facts, problems) => {
    const load = await startLoad(token, 'rollback');
    const started = Date.now();
    try {
      git('revert', '--no-edit', 'HEAD');
      git('push', '--quiet', 'origin', 'main');
      refresh();
      const revision = git('rev-parse', 'HEAD');
      facts.commit = revision;
      await waitSynced(revision);
      await waitRolledOut(TAG);
      facts.rollbackSeconds = Math.round((Date.now() - started) / 1000);
      await sleep(3000);
    } finally {
      await stopLoad(load, facts, problems);
    }
  },
);

await check(
  'drift: hand edits reverted (self-heal), objects removed from git pruned',
  async (facts, problems) => {
    const replicas = () =>
      Number(kubectl('-n', NS, 'get', 'deploy/lateral-notes', '-o', 'jsonpath={.spec.replicas}'));
    const mediaImage = () =>
      kubectl(
        '-n',
        NS,
        'get',
        'deploy/lateral-media',
        '-o',
        'jsonpath={.spec.template.spec.containers[0].image}',
      );
    let t = Date.now();
    kubectl('-n', NS, 'scale', 'deploy/lateral-notes', '--replicas=3');
    await waitFor('notes scaled back to 1', () => (replicas() === 1 ? true : undefined), 120_000);
    facts.scaleRevertedSeconds = Math.round((Date.now() - t) / 1000);
    t = Date.now();
    kubectl(
      '-n',
      NS,
      'patch',
      'deploy/lateral-media',
      '--type=json',
      '-p',
      JSON.stringify([
        {
          op: 'replace',
          path: '/spec/template/spec/containers/0/image',
          value: IMAGE('media', rolledOutTag),
        },
      ]),
    );
    await waitFor(
      'media image put back',
      () => (mediaImage() === IMAGE('media', TAG) ? true : undefined),
      120_000,
    );
    facts.imageRevertedSeconds = Math.round((Date.now() - t) / 1000);
    await waitRolledOut(TAG);

    // Prune: a commit switches the NetworkPolicies on, its revert must remove them again. The
    // same commit switches the ServiceMonitor on, on a cluster without the Prometheus Operator:
    // the sync must still succeed, the Deployment saying what was left out.
    const policies = () =>
      kubeJson<{ items: { metadata: { name: string } }[] }>(
        '-n',
        NS,
        'get',
        'networkpolicies',
      ).items.map((p) => p.metadata.name);
    const clusterValues = join(WORK, 'deploy/envs/local/cluster.yaml');
    writeFileSync(
      clusterValues,
      readFileSync(clusterValues, 'utf8')
        .replace(/networkPolicy:\n {2}enabled: false/, 'networkPolicy:\n  enabled: true')
        .replace(/serviceMonitor:\n {2}enabled: false/, 'serviceMonitor:\n  enabled: true'),
    );
    git('commit', '--quiet', '-am', 'local: NetworkPolicies and ServiceMonitors on');
    git('push', '--quiet', 'origin', 'main');
    refresh();
    await waitSynced(git('rev-parse', 'HEAD'));
    const applied = policies();
    facts.networkPoliciesApplied = applied;
    if (applied.length === 0) problems.push('the NetworkPolicies commit created no NetworkPolicy');
    networkPolicyEnforcement(facts);
    const notRendered = kubectl(
      '-n',
      NS,
      'get',
      'deploy/lateral-notes',
      '-o',
      'jsonpath={.metadata.annotations.lateral/not-rendered}',
    );
    facts.serviceMonitorWithoutOperator = notRendered || '(no annotation)';
    if (!notRendered.startsWith('ServiceMonitor:'))
      problems.push(
        'serviceMonitor on without the CRD: the Deployment does not say it was left out',
      );
    git('revert', '--no-edit', 'HEAD');
    git('push', '--quiet', 'origin', 'main');
    refresh();
    await waitSynced(git('rev-parse', 'HEAD'));
    const left = await waitFor(
      'the NetworkPolicies pruned',
      () => (policies().length === 0 ? [] : undefined),
      120_000,
    ).catch(() => policies());
    if (left.length > 0) problems.push(`not pruned after the revert: ${left.join(', ')}`);
    facts.networkPoliciesAfterRevert = left;
  },
);

/**
 * With media's policy applied (only the gateway may call it), a call from the notes pod tells
 * whether the CNI enforces NetworkPolicies: the bridge plugin does not, so it gets through.
 */
function networkPolicyEnforcement(facts: Record<string, unknown>): void {
  const probe = spawnSync(
    KUBECTL,
    [
      '-n',
      NS,
      'exec',
      'deploy/lateral-notes',
      '--',
      'node',
      '-e',
      "fetch('http://lateral-media:8082/healthz',{signal:AbortSignal.timeout(5000)}).then(r=>console.log('reached '+r.status),e=>console.log('refused '+(e.cause?.code??e.name)))",
    ],
    { encoding: 'utf8' },
  );
  const answer = probe.stdout.trim() || probe.stderr.trim();
  facts.networkPolicyProbe = `notes → media with media's policy applied: ${answer}`;
  facts.networkPoliciesEnforced = answer.startsWith('refused');
}

await check(
  'operations view: /ops in the cluster shows the real Deployments and Applications',
  async (facts, problems) => {
    session = await signIn();
    const ops = await page('/ops', session.cookie);
    if (ops.status !== 200) throw new Error(`/ops: HTTP ${ops.status}`);
    const names = [
      ...SERVICES.map((s) => `lateral-${s}`),
      ...applications().map((a) => a.metadata.name),
    ];
    const missing = names.filter((n) => !ops.html.includes(n));
    facts.shown = names.filter((n) => !missing.includes(n));
    for (const n of missing) problems.push(`/ops does not show ${n}`);
    if (/unavailable|forbidden/i.test(ops.html) && missing.length > 0)
      problems.push('/ops says the Kubernetes API is unavailable');
  },
);

await check(
  'metrics: Prometheus scrapes the pods; every dashboard query and rule evaluates; SLO series recorded',
  async (facts, problems) => {
    interface Target {
      labels: Record<string, string>;
      health: string;
      lastError: string;
    }
    const targets = await waitFor(
      'every service scraped',
      async () => {
        const res = await request(
          `http://127.0.0.1:${PROMETHEUS_PORT}/api/v1/targets?state=active`,
        );
        const body = (await res.body.json()) as { data: { activeTargets: Target[] } };
        const lateral = body.data.activeTargets.filter((t) => t.labels.job?.startsWith('lateral-'));
        return lateral.length >= SERVICES.length && lateral.every((t) => t.health === 'up')
          ? body.data.activeTargets
          : undefined;
      },
      120_000,
    );
    facts.targets = targets.map(
      (t) => `${t.labels.job} ${t.labels.pod ?? t.labels.instance}: ${t.health}`,
    );

    interface RuleState {
      name: string;
      health: string;
      lastError?: string;
      type: string;
    }
    const rules = await waitFor(
      'every rule evaluated',
      async () => {
        const res = await request(`http://127.0.0.1:${PROMETHEUS_PORT}/api/v1/rules`);
        const body = (await res.body.json()) as { data: { groups: { rules: RuleState[] }[] } };
        const all = body.data.groups.flatMap((g) => g.rules);
        return all.length > 0 && all.every((r) => r.health !== 'unknown') ? all : undefined;
      },
      60_000,
    );
    const shipped = readRules();
    facts.rules = `${rules.length} loaded (${shipped.length} shipped), ${rules.filter((r) => r.health === 'ok').length} healthy`;
    if (rules.length !== shipped.length)
      problems.push(`Prometheus loaded ${rules.length} rules, the chart ships ${shipped.length}`);
    for (const r of rules.filter((r) => r.health !== 'ok'))
      problems.push(`rule ${r.name}: ${r.health} ${r.lastError ?? ''}`);

    const expressions = [...dashboardExpressions(), ...ruleExpressions()];
    let withData = 0;
    const empty: string[] = [];
    for (const e of expressions) {
      const result = await promQuery(substitute(e.expr));
      if (!result.ok) problems.push(`${e.where}: ${result.error}`);
      else if (result.series > 0) withData += 1;
      else empty.push(e.where);
    }
    facts.queries = `${expressions.length} evaluated without error, ${withData} with data`;
    facts.queriesWithoutData = empty;

    const recorded = [...new Set(shipped.flatMap((r) => (r.record ? [r.record] : [])))];
    const missing: string[] = [];
    for (const name of recorded) if ((await promQuery(name)).series === 0) missing.push(name);
    facts.recordingRules = `${recorded.length - missing.length} of ${recorded.length} produce series`;
    for (const name of missing) problems.push(`recording rule ${name} produces no series`);
  },
);

await check(
  'Argo CD health: a CloudNativePG Cluster fresh, healthy and failing (argocd/argocd-values.yaml)',
  async (facts, problems) => {
    // The check Argo CD ships fails with a Lua error on a Cluster without status (every new
    // database) and calls a failover without conditions Progressing; ours is evaluated by Argo CD
    // itself (`argocd admin settings resource-overrides health`), offline.
    const dir = await mkdtemp(join(tmpdir(), 'lateral-cnpg-health-'));
    try {
      const { parse, stringify } = await import('yaml');
      const values = parse(readFileSync(join(ROOT, 'argocd/argocd-values.yaml'), 'utf8')) as {
        configs: { cm: Record<string, string> };
      };
      const cm = join(dir, 'argocd-cm.yaml');
      writeFileSync(
        cm,
        stringify({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'argocd-cm', namespace: 'argocd' },
          data: values.configs.cm,
        }),
      );
      const cases: { name: string; status?: object; want: string }[] = [
        { name: 'fresh', want: 'Progressing' },
        {
          name: 'healthy',
          status: {
            phase: 'Cluster in healthy state',
            phaseReason: 'ready',
            conditions: [{ type: 'Ready', status: 'True' }],
          },
          want: 'Healthy',
        },
        {
          name: 'failing',
          status: { phase: 'Failing over', phaseReason: 'primary lost' },
          want: 'Degraded',
        },
      ];
      for (const c of cases) {
        const file = join(dir, `${c.name}.yaml`);
        writeFileSync(
          file,
          stringify({
            apiVersion: 'postgresql.cnpg.io/v1',
            kind: 'Cluster',
            metadata: { name: 'lateral-notes-db', namespace: NS },
            spec: { instances: 1 },
            ...(c.status ? { status: c.status } : {}),
          }),
        );
        const out = spawnSync(
          env('ARGOCD_BIN'),
          ['admin', 'settings', 'resource-overrides', 'health', file, '--argocd-cm-path', cm],
          { encoding: 'utf8' },
        );
        const status = /^STATUS: (\w+)/m.exec(out.stdout)?.[1];
        facts[c.name] = status ?? `error: ${out.stderr.trim().split('\n').pop()}`;
        if (status !== c.want)
          problems.push(`${c.name} Cluster: ${String(facts[c.name])}, expected ${c.want}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

prometheus.kill('SIGTERM');
kubeStateMetrics.kill('SIGTERM');

// ---------------------------------------------------------------- report

const report = {
  at: new Date().toISOString(),
  tag: TAG,
  gateway: BASE,
  passed: checks.filter((c) => c.ok).length,
  failed: checks.filter((c) => !c.ok).length,
  checks,
};
writeFileSync(join(STATE, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
const lines = [
  `# Cluster proof — ${report.at}`,
  '',
  `Images ${TAG.slice(0, 12)}, gateway ${BASE}: ${report.passed} passed, ${report.failed} failed.`,
  '',
  ...checks.flatMap((c) => [
    `## ${c.ok ? 'ok' : 'FAIL'} — ${c.name} (${c.seconds} s)`,
    ...Object.entries(c.facts).map(
      ([k, v]) =>
        `- ${k}: ${typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : JSON.stringify(v)}`,
    ),
    ...c.problems.map((p) => `- **problem**: ${p}`),
    '',
  ]),
];
writeFileSync(join(STATE, 'report.md'), `${lines.join('\n')}\n`);
console.log(lines.join('\n'));
console.log(`cluster proof: ${report.passed} passed, ${report.failed} failed`);
process.exit(report.failed === 0 ? 0 : 1);
