// A second opinion from a real kube-apiserver (on etcd, no controllers: the one the operations
// view's tests use, built by scripts/kube/install-apiserver.sh): every rendered object is
// created with dryRun=All and fieldValidation=Strict in its namespace, which carries the Pod
// Security labels the environment's Namespace object sets. Admission runs for real: a pod spec
// that breaks the "restricted" profile, a field the API does not know, or a kind the API server
// no longer serves fails here even when the vendored schemas accept it.
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import {
  missingBinaries,
  startTestApiServer,
  type TestApiServer,
} from '@lateral/kube-status/testing';
import { type K8sObject } from './argocd.js';

/** API groups the API server serves itself; other kinds get a CRD that accepts any spec. */
const BUILT_IN_GROUPS = new Set([
  '',
  'apps',
  'batch',
  'policy',
  'autoscaling',
  'networking.k8s.io',
  'rbac.authorization.k8s.io',
]);

/**
 * Argo CD's own finalizer name predates the API server's naming advice; the qualified variant
 * (".../background") changes the deletion order, so the documented default stays.
 */
const ARGOCD_FINALIZER_NOTICE =
  /finalizers: \\?"resources-finalizer\.argocd\.argoproj\.io\\?": prefer a domain-qualified/;

interface Resource {
  path: string;
  namespaced: boolean;
}

interface Reply {
  status: number;
  body: string;
  warnings: string[];
}

export interface DryRunTarget {
  label: string;
  /** Where Argo CD puts objects without metadata.namespace. */
  namespace: string;
  objects: K8sObject[];
}

export interface DryRunResult {
  skipped?: string;
  problems: Map<string, string[]>;
  created: number;
}

function groupVersion(apiVersion: string): { group: string; version: string } {
  const [a, b] = apiVersion.split('/') as [string, string | undefined];
  return b === undefined ? { group: '', version: a } : { group: a, version: b };
}

class Client {
  private readonly ca: Buffer;
  private readonly token: string;

  constructor(
    private readonly url: string,
    kubeconfigPath: string,
  ) {
    const config = JSON.parse(readFileSync(kubeconfigPath, 'utf8')) as {
      clusters: { cluster: { 'certificate-authority': string } }[];
      users: { user: { token: string } }[];
    };
    this.ca = readFileSync(config.clusters[0]?.cluster['certificate-authority'] ?? '');
    this.token = config.users[0]?.user.token ?? '';
  }

  send(method: string, path: string, body?: unknown): Promise<Reply> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((ok, fail) => {
      const req = request(
        `${this.url}${path}`,
        {
          method,
          ca: this.ca,
          headers: {
            authorization: `Bearer ${this.token}`,
            accept: 'application/json',
            ...(payload ? { 'content-type': 'application/json' } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            // Node joins repeated Warning headers with ", ".
            const warnings = (res.headers.warning ?? '')
              .split(/,\s*(?=299 )/)
              .filter(Boolean)
              .map((w) => w.replace(/^299 - "/, '').replace(/"$/, ''))
              .filter((w) => !ARGOCD_FINALIZER_NOTICE.test(w));
            ok({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), warnings });
          });
        },
      );
      req.on('error', fail);
      req.end(payload);
    });
  }
}

async function waitEstablished(client: Client, name: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const reply = await client.send(
      'GET',
      `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`,
    );
    const crd = JSON.parse(reply.body) as {
      status?: { conditions?: { type: string; status: string }[] };
    };
    if (crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True'))
      return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`CRD ${name} not established`);
}

/** A permissive CRD per custom kind (the vendored schemas already checked their specs). */
async function installCrds(client: Client, objects: K8sObject[]): Promise<void> {
  const kinds = new Map<string, { group: string; version: string; kind: string }>();
  for (const o of objects) {
    const { group, version } = groupVersion(o.apiVersion);
    if (!BUILT_IN_GROUPS.has(group))
      kinds.set(`${o.kind}.${group}`, { group, version, kind: o.kind });
  }
  for (const { group, version, kind } of kinds.values()) {
    const plural = `${kind.toLowerCase()}s`;
    const name = `${plural}.${group}`;
    const reply = await client.send(
      'POST',
      '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
      {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name },
        spec: {
          group,
          scope: 'Namespaced',
          names: { kind, plural, singular: kind.toLowerCase(), listKind: `${kind}List` },
          versions: [
            {
              name: version,
              served: true,
              storage: true,
              schema: {
                openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
              },
            },
          ],
        },
      },
    );
    if (reply.status >= 300 && reply.status !== 409) throw new Error(`CRD ${name}: ${reply.body}`);
    await waitEstablished(client, name);
  }
}

/** kind → REST path and scope, from the API server's discovery. */
async function discover(client: Client, objects: K8sObject[]): Promise<Map<string, Resource>> {
  const resources = new Map<string, Resource>();
  for (const apiVersion of new Set(objects.map((o) => o.apiVersion))) {
    const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const reply = await client.send('GET', base);
    if (reply.status !== 200) continue; // reported per object below
    const list = JSON.parse(reply.body) as {
      resources: { name: string; kind: string; namespaced: boolean }[];
    };
    for (const r of list.resources.filter((x) => !x.name.includes('/'))) {
      resources.set(`${apiVersion}/${r.kind}`, {
        path: `${base}/${r.name}`,
        namespaced: r.namespaced,
      });
    }
  }
  return resources;
}

function pathFor(resource: Resource, namespace: string): string {
  if (!resource.namespaced) return resource.path;
  const [prefix, plural] = [
    resource.path.slice(0, resource.path.lastIndexOf('/')),
    resource.path.slice(resource.path.lastIndexOf('/') + 1),
  ];
  return `${prefix}/namespaces/${namespace}/${plural}`;
}

export async function serverDryRun(targets: DryRunTarget[]): Promise<DryRunResult> {
  const missing = missingBinaries();
  const problems = new Map<string, string[]>();
  if (missing) return { skipped: missing, problems, created: 0 };
  let server: TestApiServer | undefined;
  let created = 0;
  try {
    server = await startTestApiServer({ crds: [] });
    const client = new Client(server.url, await server.kubeconfig('admin'));
    const all = targets.flatMap((t) => t.objects);
    await installCrds(client, all);
    const resources = await discover(client, all);

    // Namespaces exist for real (dry-run objects need them), with their Pod Security labels.
    for (const ns of all.filter((o) => o.kind === 'Namespace')) {
      const reply = await client.send('POST', '/api/v1/namespaces', ns);
      if (reply.status >= 300 && reply.status !== 409)
        problems.set(`Namespace/${ns.metadata.name}`, [reply.body]);
    }
    for (const target of targets) {
      const list: string[] = [];
      for (const o of target.objects.filter((x) => x.kind !== 'Namespace')) {
        const name = `${o.kind}/${o.metadata.name}`;
        const resource = resources.get(`${o.apiVersion}/${o.kind}`);
        if (!resource) {
          list.push(`${name}: ${o.apiVersion} ${o.kind} is not served by the API server`);
          continue;
        }
        const namespace = o.metadata.namespace ?? target.namespace;
        const reply = await client.send(
          'POST',
          `${pathFor(resource, namespace)}?dryRun=All&fieldValidation=Strict`,
          o,
        );
        created++;
        if (reply.status >= 300) {
          const status = JSON.parse(reply.body) as { message?: string };
          list.push(`${name}: ${reply.status} ${status.message ?? reply.body}`);
        }
        list.push(...reply.warnings.map((w) => `${name}: warning: ${w}`));
      }
      problems.set(target.label, list);
    }
    return { problems, created };
  } finally {
    await server?.stop();
  }
}
