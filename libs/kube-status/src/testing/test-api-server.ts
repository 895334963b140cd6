// One file (~350 lines) on purpose: it is one fixture's lifecycle (certificates, etcd,
// kube-apiserver flags, RBAC bootstrap, CRDs, the typed calls the tests make, and teardown), and
// the pieces share its temporary directory and processes; builders live in kube-builders.ts.
import { type ChildProcess, spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request as httpsRequest } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A real kube-apiserver on etcd for the integration tests (what controller-runtime's envtest
 * does): no controllers, no kubelet, so the tests write Deployment/ReplicaSet/Pod status
 * themselves. RBAC authorization with a static token file: `admin` (system:masters), `viewer`
 * (bound by the tests to the Role the chart ships) and `nobody` (bound to nothing).
 *
 * Lives in src (exported) so the gateway's e2e tests can use it too; production never calls it.
 */
export interface TestApiServer {
  url: string;
  /** The API server's self-signed certificate (with its CA), for clients to trust. */
  caFile: string;
  tokens: { admin: string; viewer: string; nobody: string };
  /** Writes a kubeconfig for one of the users and returns its path. */
  kubeconfig(user: keyof TestApiServer['tokens'], namespace?: string): Promise<string>;
  /** JSON REST call as admin; throws on a non-2xx answer with the API's message. */
  call<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    contentType?: string,
  ): Promise<T>;
  create<T extends object>(object: T): Promise<T>;
  /** Merge-patches an object, or its `/status` subresource. */
  patch<T extends object>(object: T, patch: object, subresource?: 'status'): Promise<T>;
  remove(object: object): Promise<void>;
  stop(): Promise<void>;
}

const LIB_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const REPO_ROOT = resolve(LIB_ROOT, '../..');
export const KUBE_APISERVER_VERSION = process.env.KUBE_APISERVER_VERSION ?? 'v1.37.2';
export const ARGOCD_CRD = join(LIB_ROOT, 'test/fixtures/argocd-application-crd.json');

/** Where scripts/kube/install-apiserver.sh caches the binary; `KUBE_APISERVER_BIN` overrides. */
export function apiServerBinary(): string {
  return (
    process.env.KUBE_APISERVER_BIN ??
    join(REPO_ROOT, '.cache/kube', KUBE_APISERVER_VERSION, 'kube-apiserver')
  );
}

function etcdBinary(): string | undefined {
  if (process.env.ETCD_BIN) return process.env.ETCD_BIN;
  const dirs = (process.env.PATH ?? '').split(':').concat(['/usr/bin', '/usr/local/bin']);
  return dirs.map((d) => join(d, 'etcd')).find((p) => existsSync(p));
}

/** Why the suite cannot run here, or undefined when both binaries exist. Tests fail with it. */
export function missingBinaries(): string | undefined {
  const missing: string[] = [];
  if (!existsSync(apiServerBinary())) {
    missing.push(
      `kube-apiserver (${apiServerBinary()}): run \`bash scripts/kube/install-apiserver.sh\``,
    );
  }
  if (!etcdBinary())
    missing.push('etcd: `apt-get install etcd-server` (scripts/ci/install-system-deps.sh)');
  return missing.length
    ? `cannot start the test Kubernetes API server; missing ${missing.join('; ')}`
    : undefined;
}

async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? ok(address.port) : fail(new Error('no port')),
      );
    });
  });
}

function startProcess(name: string, bin: string, args: string[], log: string[]): ChildProcess {
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const keep = (chunk: Buffer) => {
    log.push(
      ...chunk
        .toString()
        .split('\n')
        .filter(Boolean)
        .map((l) => `${name}: ${l}`),
    );
    if (log.length > 200) log.splice(0, log.length - 200);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return child;
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

export async function startTestApiServer(
  options: { crds?: string[] } = {},
): Promise<TestApiServer> {
  const missing = missingBinaries();
  if (missing) throw new Error(missing);
  const dir = await mkdtemp(join(tmpdir(), 'lateral-kube-'));
  const log: string[] = [];
  const [etcdPort, peerPort, apiPort] = [await freePort(), await freePort(), await freePort()];
  const tokens = {
    admin: 'admin-token-0123456789',
    viewer: 'viewer-token-0123456789',
    nobody: 'nobody-token-0123456789',
  };
  await writeFile(
    join(dir, 'tokens.csv'),
    [
      `${tokens.admin},admin,uid-admin,"system:masters"`,
      `${tokens.viewer},ops-viewer,uid-viewer`,
      `${tokens.nobody},nobody,uid-nobody`,
    ].join('\n') + '\n',
  );
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  await writeFile(join(dir, 'sa.key'), privateKey.export({ type: 'pkcs8', format: 'pem' }));

  const etcd = startProcess(
    'etcd',
    etcdBinary() as string,
    [
      '--name=test',
      `--data-dir=${join(dir, 'etcd')}`,
      `--listen-client-urls=http://127.0.0.1:${etcdPort}`,
      `--advertise-client-urls=http://127.0.0.1:${etcdPort}`,
      `--listen-peer-urls=http://127.0.0.1:${peerPort}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${peerPort}`,
      `--initial-cluster=test=http://127.0.0.1:${peerPort}`,
    ],
    log,
  );
  const apiserver = startProcess(
    'kube-apiserver',
    apiServerBinary(),
    [
      `--etcd-servers=http://127.0.0.1:${etcdPort}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${apiPort}`,
      `--cert-dir=${join(dir, 'certs')}`,
      `--token-auth-file=${join(dir, 'tokens.csv')}`,
      '--authorization-mode=RBAC',
      `--service-account-key-file=${join(dir, 'sa.key')}`,
      `--service-account-signing-key-file=${join(dir, 'sa.key')}`,
      '--service-account-issuer=https://kubernetes.default.svc',
      '--service-cluster-ip-range=10.96.0.0/16',
      // No controller-manager creates the default ServiceAccount that this plugin insists on.
      '--disable-admission-plugins=ServiceAccount',
      '--enable-priority-and-fairness=false',
      // No `kubernetes` Service endpoints for a loopback address (what envtest does too).
      '--endpoint-reconciler-type=none',
    ],
    log,
  );

  const url = `https://127.0.0.1:${apiPort}`;
  const certFile = join(dir, 'certs', 'apiserver.crt');
  let ca: Buffer | undefined;

  const call = async <T>(
    method: string,
    path: string,
    body?: unknown,
    contentType = 'application/json',
    token = tokens.admin,
  ): Promise<T> => {
    ca ??= await readFile(certFile);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise<T>((ok, fail) => {
      const req = httpsRequest(
        `${url}${path}`,
        {
          method,
          ca,
          headers: {
            authorization: `Bearer ${token}`,
            accept: 'application/json',
            ...(payload ? { 'content-type': contentType } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString();
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) {
              ok((text.startsWith('{') ? JSON.parse(text) : text) as T);
            } else {
              fail(new Error(`${method} ${path}: ${status} ${text}`));
            }
          });
        },
      );
      req.on('error', fail);
      req.end(payload);
    });
  };

  const stop = async () => {
    await stopProcess(apiserver);
    await stopProcess(etcd);
    await rm(dir, { recursive: true, force: true });
  };

  try {
    await waitFor(async () => {
      if (apiserver.exitCode !== null) throw new Error('kube-apiserver exited');
      if (etcd.exitCode !== null) throw new Error('etcd exited');
      if (!existsSync(certFile)) return false;
      await call('GET', '/readyz');
      return true;
    }, 60_000);
    for (const ns of ['wiki', 'argocd']) {
      await call('POST', '/api/v1/namespaces', {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: ns },
      });
    }
    for (const file of options.crds ?? [ARGOCD_CRD]) await installCrds(file, call);
  } catch (error) {
    await stop();
    throw new Error(
      `test API server did not start: ${(error as Error).message}\n${log.slice(-30).join('\n')}`,
    );
  }

  const server: TestApiServer = {
    url,
    caFile: certFile,
    tokens,
    call: (method, path, body, contentType) => call(method, path, body, contentType),
    async kubeconfig(user, namespace = 'wiki') {
      const path = join(dir, `kubeconfig-${user}.yaml`);
      await writeFile(
        path,
        JSON.stringify({
          apiVersion: 'v1',
          kind: 'Config',
          clusters: [{ name: 'test', cluster: { server: url, 'certificate-authority': certFile } }],
          users: [{ name: user, user: { token: tokens[user] } }],
          contexts: [{ name: user, context: { cluster: 'test', user, namespace } }],
          'current-context': user,
        }),
      );
      return path;
    },
    create: (object) => call('POST', collectionPath(object), object),
    patch: (object, patch, subresource) =>
      call(
        'PATCH',
        `${objectPath(object)}${subresource ? `/${subresource}` : ''}`,
        patch,
        'application/merge-patch+json',
      ),
    remove: async (object) => {
      await call('DELETE', objectPath(object));
    },
    stop,
  };
  return server;
}

type Caller = <T>(method: string, path: string, body?: unknown) => Promise<T>;

async function installCrds(file: string, call: Caller): Promise<void> {
  const parsed = JSON.parse(await readFile(file, 'utf8')) as { metadata: { name: string } };
  const docs = [parsed];
  for (const crd of docs) {
    await call(
      'POST',
      '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
      JSON.parse(JSON.stringify(crd)),
    );
    await waitFor(async () => {
      const current = await call<{ status?: { conditions?: { type: string; status: string }[] } }>(
        'GET',
        `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.metadata.name}`,
      );
      return (
        current.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True') ??
        false
      );
    }, 30_000);
  }
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch (error) {
      last = error;
      if (/exited/.test((error as Error).message)) throw error;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out after ${timeoutMs} ms${last ? `: ${(last as Error).message}` : ''}`);
}

interface ObjectLike {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string };
}

const PLURALS: Record<string, string> = {
  Deployment: 'deployments',
  ReplicaSet: 'replicasets',
  Pod: 'pods',
  Event: 'events',
  Application: 'applications',
  Role: 'roles',
  RoleBinding: 'rolebindings',
  Namespace: 'namespaces',
};

function collectionPath(object: object): string {
  const o = object as ObjectLike;
  const plural = PLURALS[o.kind ?? ''];
  if (!plural || !o.apiVersion) throw new Error(`no REST path known for ${o.apiVersion}/${o.kind}`);
  const base = o.apiVersion.includes('/') ? `/apis/${o.apiVersion}` : `/api/${o.apiVersion}`;
  return o.metadata?.namespace
    ? `${base}/namespaces/${o.metadata.namespace}/${plural}`
    : `${base}/${plural}`;
}

function objectPath(object: object): string {
  return `${collectionPath(object)}/${(object as ObjectLike).metadata?.name ?? ''}`;
}
