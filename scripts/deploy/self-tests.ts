// Self-tests of verify:deploy: each check must be able to fail, or a green run proves nothing.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { type K8sObject } from './argocd.js';
import { type RenderedEnvironments, renderEnvironments } from './environments.js';
import { type Helm } from './helm.js';
import { ROOT } from './paths.js';
import { policyProblems } from './policy.js';

function firstDeployment(rendered: RenderedEnvironments, env: string): K8sObject | undefined {
  const apps = rendered.environments.get(env) ?? [];
  return apps.flatMap((a) => a.objects).find((o) => o.kind === 'Deployment');
}

/** A Deployment without a readiness probe and resources, on :latest, must fail the policies. */
export function policiesRejectBrokenDeployment(rendered: RenderedEnvironments): string[] {
  const deployment = firstDeployment(rendered, 'prod');
  if (!deployment) return ['no Deployment rendered for prod'];
  const broken = structuredClone(deployment);
  const container = (
    broken.spec as { template: { spec: { containers: Record<string, unknown>[] } } }
  ).template.spec.containers[0] as Record<string, unknown>;
  delete container.readinessProbe;
  delete container.resources;
  container.image = 'ghcr.io/example-org/lateral-notes:latest';
  const found = policyProblems([broken]).join('\n');
  return ['readiness probe', 'requests', 'not pinned']
    .filter((needle) => !found.includes(needle))
    .map((needle) => `policy did not report "${needle}"`);
}

/** A misspelt field in a Deployment spec must fail the strict schemas. */
export function kubeconformRejectsUnknownField(
  rendered: RenderedEnvironments,
  kubeconformProblems: (manifests: string) => string[],
): string[] {
  const deployment = firstDeployment(rendered, 'dev');
  if (!deployment) return ['no Deployment rendered for dev'];
  const broken = structuredClone(deployment) as K8sObject & { spec: Record<string, unknown> };
  broken.spec.replicaz = 3;
  return kubeconformProblems(stringify(broken)).length
    ? []
    : ['kubeconform accepted spec.replicaz'];
}

/**
 * Copies the deploy tree to a temp dir, breaks one environment's values file (a wrong type, a
 * misspelt key, a `latest` tag) and expects the Argo CD render to fail each time, with the schema's
 * message naming the value.
 */
export function brokenValuesFail(helm: Helm): string[] {
  const problems: string[] = [];
  const breakages: { name: string; edit: (v: Record<string, unknown>) => void; says: string }[] = [
    { name: 'replicaCount: "two"', edit: (v) => (v.replicaCount = 'two'), says: 'replicaCount' },
    { name: 'misspelt key replicaCout', edit: (v) => (v.replicaCout = 2), says: 'replicaCout' },
    {
      name: 'image tag latest',
      edit: (v) => (v.image = { tag: 'latest' }),
      says: 'image',
    },
  ];
  for (const breakage of breakages) {
    const copy = mkdtempSync(join(tmpdir(), 'lateral-verify-'));
    try {
      for (const dir of ['helm', 'argocd', 'deploy/envs']) {
        cpSync(join(ROOT, dir), join(copy, dir), {
          recursive: true,
          filter: (src) => !src.includes('/charts/'),
        });
      }
      const file = join(copy, 'deploy/envs/staging/notes.yaml');
      const values = parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      breakage.edit(values);
      writeFileSync(file, stringify(values));
      try {
        renderEnvironments(helm, copy);
        problems.push(`${breakage.name}: rendered without error`);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (!message.includes(breakage.says))
          problems.push(`${breakage.name}: failed without naming ${breakage.says}: ${message}`);
      }
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  }
  return problems;
}

/**
 * On a cluster without the operators' CRDs (Argo CD renders with the cluster's API versions):
 * a ServiceMonitor switched on is left out and the Deployment says why; a CloudNativePG
 * database switched on fails the render, naming the operator.
 */
export function missingCrdsHandled(helm: Helm): string[] {
  const problems: string[] = [];
  const chartDir = join(ROOT, 'helm/lateral-notes');
  const render = (sets: string[]) =>
    helm.template({
      chartDir,
      releaseName: 'lateral-notes',
      namespace: 'lateral-verify',
      valueFiles: [],
      sets: ['image.tag=0123456789abcdef0123456789abcdef01234567', ...sets],
      apiVersions: [],
    });
  const monitored = render(['serviceMonitor.enabled=true']);
  if (!monitored.ok)
    problems.push(`serviceMonitor without its CRD: render failed: ${monitored.out}`);
  else {
    const kinds = parseAllDocuments(monitored.out).map((d) => (d.toJS() as K8sObject | null)?.kind);
    if (kinds.includes('ServiceMonitor'))
      problems.push('serviceMonitor without its CRD: a ServiceMonitor was rendered');
    if (!monitored.out.includes('lateral/not-rendered: "ServiceMonitor:'))
      problems.push('serviceMonitor without its CRD: the Deployment does not say it was left out');
  }
  const withOperator = helm.template({
    chartDir,
    releaseName: 'lateral-notes',
    namespace: 'lateral-verify',
    valueFiles: [],
    sets: ['image.tag=0123456789abcdef0123456789abcdef01234567', 'serviceMonitor.enabled=true'],
  });
  if (!withOperator.ok || !withOperator.out.includes('kind: ServiceMonitor'))
    problems.push('serviceMonitor with its CRD: no ServiceMonitor rendered');
  const database = render(['database.cnpg.enabled=true']);
  if (database.ok) problems.push('database.cnpg without its CRD: rendered without error');
  else if (!database.out.includes('install the CloudNativePG operator'))
    problems.push(
      `database.cnpg without its CRD: failed without naming the operator: ${database.out}`,
    );
  return problems;
}

/**
 * media's object storage values (docs/media.md, Object storage): the default renders bytea and
 * nothing of S3; s3 without a bucket, or a bucket behind a NetworkPolicy without the store's
 * peers, fails naming the value; a full setting renders the variables, the keys from their
 * Secret, the ServiceAccount's web identity annotation and the egress rule to the store.
 */
export function mediaObjectStorage(helm: Helm): string[] {
  const problems: string[] = [];
  const render = (sets: string[]) =>
    helm.template({
      chartDir: join(ROOT, 'helm/lateral-media'),
      releaseName: 'lateral-media',
      namespace: 'lateral-verify',
      valueFiles: [],
      sets: ['image.tag=0123456789abcdef0123456789abcdef01234567', ...sets],
    });
  const byDefault = render([]);
  if (!byDefault.ok) problems.push(`default: render failed: ${byDefault.out}`);
  else if (!byDefault.out.includes('MEDIA_STORAGE: "bytea"') || byDefault.out.includes('MEDIA_S3_'))
    problems.push('default: not MEDIA_STORAGE bytea without MEDIA_S3_* variables');
  const refusals = [
    { sets: ['storage.driver=s3'], says: 'storage.s3.bucket' },
    {
      sets: [
        'storage.s3.bucket=wiki-media',
        'networkPolicy.enabled=true',
        'networkPolicy.postgres.cidrs={10.0.0.5/32}',
      ],
      says: 'networkPolicy.objectStore.to',
    },
  ];
  for (const { sets, says } of refusals) {
    const result = render(sets);
    if (result.ok) problems.push(`${sets.join(' ')}: rendered without error`);
    else if (!result.out.includes(says))
      problems.push(`${sets.join(' ')}: failed without naming ${says}: ${result.out}`);
  }
  const full = render([
    'storage.driver=s3',
    'storage.s3.bucket=wiki-media',
    'storage.s3.endpoint=http://minio.storage.svc:9000',
    'storage.s3.forcePathStyle=true',
    'storage.s3.credentialsSecret=media-s3',
    'serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn=arn:aws:iam::1:role/media',
    'networkPolicy.enabled=true',
    'networkPolicy.postgres.cidrs={10.0.0.5/32}',
    'networkPolicy.objectStore.to[0].ipBlock.cidr=10.0.9.0/24',
    'networkPolicy.objectStore.ports={9000}',
  ]);
  if (!full.ok) return [...problems, `s3: render failed: ${full.out}`];
  const objects = parseAllDocuments(full.out).map((d) => d.toJS() as K8sObject | null);
  const policy = objects.find((o) => o?.metadata?.name === 'lateral-media-object-store');
  const egress = JSON.stringify(policy?.spec ?? {});
  if (!egress.includes('10.0.9.0/24') || !egress.includes('9000'))
    problems.push('s3: no egress rule to the object store');
  for (const needle of [
    'MEDIA_STORAGE: "s3"',
    'MEDIA_S3_BUCKET: "wiki-media"',
    'MEDIA_S3_FORCE_PATH_STYLE: "true"',
    'name: MEDIA_S3_SECRET_ACCESS_KEY',
    'eks.amazonaws.com/role-arn: arn:aws:iam::1:role/media',
  ])
    if (!full.out.includes(needle)) problems.push(`s3: the render lacks ${needle}`);
  return problems;
}
