// `npm run verify:deploy`: everything about shipping Lateral that can be checked without a
// cluster. Pinned tools (built once, cached), `helm lint --strict` of every chart, every
// environment rendered exactly as Argo CD would, every object validated against the vendored
// Kubernetes and CRD schemas, Lateral's policies, a dry run through a real kube-apiserver's
// admission, hadolint and actionlint; then self-tests that prove those checks can fail.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { type K8sObject, applicationSpec, parseObjects } from './argocd.js';
import { chartDocsProblems } from './chart-docs.js';
import { bootstrapValues, renderEnvironments } from './environments.js';
import { Helm, isChart } from './helm.js';
import { kubeconform } from './kubeconform.js';
import { ARGOCD_DIR, HELM_DIR, ROOT, WORKFLOWS_DIR } from './paths.js';
import { policyProblems } from './policy.js';
import { renderDiff } from './render-diff.js';
import {
  brokenValuesFail,
  kubeconformRejectsUnknownField,
  mediaObjectStorage,
  missingCrdsHandled,
  policiesRejectBrokenDeployment,
} from './self-tests.js';
import { serverDryRun } from './server-dry-run.js';
import { ensureHadolint, ensureTool } from './tools.js';
import { staleSchemas } from './values-schema.js';

const started = Date.now();
let passed = 0;
const failures: string[] = [];

function check(name: string, problems: string[]): void {
  if (problems.length === 0) {
    passed++;
    console.log(`ok   ${name}`);
  } else {
    failures.push(name);
    console.log(`FAIL ${name}\n${problems.map((p) => `     ${p}`).join('\n')}`);
  }
}

function attempt(fn: () => string[]): string[] {
  try {
    return fn();
  } catch (error) {
    return [error instanceof Error ? error.message : String(error)];
  }
}

const helm = new Helm(ensureTool('helm'));
const kubeconformBin = ensureTool('kubeconform');
const actionlintBin = ensureTool('actionlint');
console.log(`== tools ready (${Math.round((Date.now() - started) / 1000)} s)`);

const stale = await staleSchemas();
check(
  'values.schema.json files match scripts/deploy/values-schema.ts',
  stale.map(
    (f) =>
      `${f} is stale: node --import ./scripts/ts-register.mjs scripts/deploy/values-schema.ts --write`,
  ),
);

check(
  "chart READMEs' values tables match values.schema.json and values.yaml (npm run charts:docs)",
  attempt(chartDocsProblems),
);

const repoURL = bootstrapValues(ROOT).repoURL;

// helm lint --strict: every chart, with its defaults.
const charts = [
  ...readdirSync(HELM_DIR).map((d) => join(HELM_DIR, d)),
  ...readdirSync(ARGOCD_DIR).map((d) => join(ARGOCD_DIR, d)),
].filter(isChart);
for (const chart of charts) {
  const name = chart.slice(ROOT.length + 1);
  check(
    `helm lint --strict ${name}`,
    attempt(() => {
      const built = helm.dependencyBuild(chart);
      if (!built.ok) return [built.out];
      // argocd/apps takes repoURL from its root Application, as Argo CD renders it below.
      const lint =
        name === 'argocd/apps'
          ? helm.lint(chart, [join(ROOT, 'deploy/envs/dev/apps.yaml')], [`repoURL=${repoURL}`])
          : helm.lint(chart);
      return lint.ok ? [] : [lint.out.trim()];
    }),
  );
}

// Chart paths no environment takes (an HTTPRoute instead of the Ingress, HPA with in-cluster
// PostgreSQL, ops off, a PDB by minAvailable, a managed database's CIDR) must render valid
// objects too.
const variants: { chart: string; sets: string[] }[] = [
  {
    chart: 'lateral-gateway',
    sets: [
      'ingress.enabled=false',
      'httpRoute.enabled=true',
      'autoscaling.enabled=true',
      'database.cnpg.enabled=true',
      'ops.enabled=false',
      'image.digest=sha256:' + 'a'.repeat(64),
    ],
  },
  { chart: 'lateral-media', sets: ['replicaCount=1', 'networkPolicy.enabled=false'] },
  {
    chart: 'lateral-notes',
    sets: [
      'networkPolicy.enabled=true',
      'networkPolicy.postgres.cidrs={10.20.0.5/32}',
      'podDisruptionBudget.enabled=true',
      'podDisruptionBudget.minAvailable=1',
      'serviceMonitor.enabled=true',
    ],
  },
];
for (const variant of variants) {
  const label = `${variant.chart} with ${variant.sets.join(', ')}`;
  check(
    `variant ${label}`,
    attempt(() => {
      const result = helm.template({
        chartDir: join(HELM_DIR, variant.chart),
        releaseName: variant.chart,
        namespace: 'lateral-test',
        valueFiles: [],
        sets: variant.sets,
      });
      if (!result.ok) return [result.out.trim()];
      const objects = parseObjects(result.out);
      const kinds = new Set(objects.map((o) => o.kind));
      return [
        ...kubeconformProblems(result.out),
        ...policyProblems(objects),
        ...(variant.sets.includes('httpRoute.enabled=true') && !kinds.has('HTTPRoute')
          ? ['no HTTPRoute rendered']
          : []),
      ];
    }),
  );
}

// The optional objects are off by default, and a NetworkPolicy never opens PostgreSQL or the
// API server to "anywhere" on its own: without their addresses the render fails.
check(
  'chart defaults render no optional object',
  attempt(() =>
    ['lateral-gateway', 'lateral-notes', 'lateral-media'].flatMap((chart) => {
      const result = helm.template({
        chartDir: join(HELM_DIR, chart),
        releaseName: chart,
        namespace: 'lateral-test',
        valueFiles: [],
        sets: [],
      });
      if (!result.ok) return [`${chart}: ${result.out.trim()}`];
      const optional = ['ServiceMonitor', 'NetworkPolicy', 'Ingress', 'HTTPRoute'];
      optional.push('HorizontalPodAutoscaler', 'PodDisruptionBudget');
      return parseObjects(result.out)
        .filter((o) => optional.includes(o.kind))
        .map((o) => `${chart} renders ${o.kind} ${o.metadata.name} by default`);
    }),
  ),
);
check(
  'a NetworkPolicy without the database or API server address fails the render',
  attempt(() =>
    [
      { chart: 'lateral-notes', sets: ['networkPolicy.enabled=true'], says: 'postgres.cidrs' },
      {
        chart: 'lateral-gateway',
        sets: ['networkPolicy.enabled=true', 'database.cnpg.enabled=true', 'ops.enabled=true'],
        says: 'apiServer.cidrs',
      },
    ].flatMap(({ chart, sets, says }) => {
      const result = helm.template({
        chartDir: join(HELM_DIR, chart),
        releaseName: chart,
        namespace: 'lateral-test',
        valueFiles: [],
        sets,
      });
      return !result.ok && result.out.includes(says)
        ? []
        : [`${chart} with ${sets.join(', ')}: ${result.ok ? 'rendered' : result.out.trim()}`];
    }),
  ),
);

// Every environment, as Argo CD renders it.
const rendered = renderEnvironments(helm, ROOT);
check('argocd/bootstrap: schemas', kubeconformProblems(rendered.bootstrap.manifests));
check('argocd/bootstrap: policies', policyProblems(rendered.bootstrap.objects));
const envNames = [...rendered.environments.keys()];
check(
  'an environment per root Application (dev, staging, prod)',
  ['dev', 'staging', 'prod']
    .filter((e) => !envNames.includes(e))
    .map((e) => `no root Application for ${e}`),
);

for (const [env, apps] of rendered.environments) {
  for (const app of apps) {
    const label = `${env}: ${app.application.metadata.name} (${applicationSpec(app.application).source.path})`;
    check(`${label}: schemas`, kubeconformProblems(app.manifests));
    check(`${label}: policies`, [
      ...policyProblems(app.objects),
      ...(applicationSpec(app.application).source.repoURL === repoURL
        ? []
        : [`repoURL is not the one of argocd/bootstrap/values.yaml (${repoURL})`]),
      ...(app.objects.length ? [] : ['renders nothing']),
    ]);
  }
  const kinds = new Set(apps.flatMap((a) => a.objects.map((o) => o.kind)));
  check(
    `${env}: deploys the services, monitoring and secrets`,
    [
      'Deployment',
      'Job',
      'ServiceMonitor',
      'NetworkPolicy',
      'Ingress',
      'PrometheusRule',
      'SealedSecret',
    ]
      .filter((k) => !kinds.has(k))
      .map((k) => `no ${k}`),
  );
}

// The same objects through a real kube-apiserver's admission (dry run), when one is built.
const psaProbe: K8sObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'runs-as-root', namespace: 'lateral-prod' },
  spec: { containers: [{ name: 'c', image: 'ghcr.io/example-org/lateral-notes:0.1.0' }] },
};
const dryRun = await serverDryRun([
  { label: 'argocd/bootstrap', namespace: 'argocd', objects: rendered.bootstrap.objects },
  ...[...rendered.environments].flatMap(([env, apps]) =>
    apps.map((app) => ({
      label: `${env}: ${app.application.metadata.name}`,
      namespace: applicationSpec(app.application).destination.namespace,
      objects: app.objects,
    })),
  ),
  { label: 'self-test', namespace: 'lateral-prod', objects: [psaProbe] },
]);
if (dryRun.skipped) {
  console.log(`skip server-side dry run: ${dryRun.skipped}`);
} else {
  for (const [label, problems] of dryRun.problems) {
    if (label === 'self-test') continue;
    check(`${label}: kube-apiserver dry run (admission, Pod Security restricted)`, problems);
  }
  const probe = dryRun.problems.get('self-test') ?? [];
  check(
    'self-test: the API server refuses a root pod in a Lateral namespace (Pod Security)',
    probe.some((p) => p.includes('violates PodSecurity')) ? [] : [`accepted: ${probe.join('; ')}`],
  );
  console.log(`     (${dryRun.created} objects dry-run created)`);
}

check(
  'hadolint deploy/Dockerfile',
  attempt(() => {
    const result = spawn(ensureHadolint(), ['--no-color', 'deploy/Dockerfile']);
    return result.ok ? [] : [result.out.trim()];
  }),
);

check(
  'actionlint .github/workflows',
  attempt(() => {
    const files = readdirSync(WORKFLOWS_DIR)
      .filter((f) => /\.ya?ml$/.test(f))
      .map((f) => join(WORKFLOWS_DIR, f));
    const result = spawn(actionlintBin, ['-no-color', ...files]);
    return result.ok ? [] : [result.out.trim()];
  }),
);

// Self-tests: the checks above must be able to fail.
check(
  'self-test: a broken values file fails the render',
  attempt(() => brokenValuesFail(helm)),
);
check(
  "self-test: without an operator's CRD a ServiceMonitor is left out (and said), a CNPG database refused",
  attempt(() => missingCrdsHandled(helm)),
);
check(
  "self-test: media's object storage values render (and refuse s3 without a bucket or egress peers)",
  attempt(() => mediaObjectStorage(helm)),
);
check(
  'self-test: policies reject a Deployment without probes or with :latest',
  attempt(() => policiesRejectBrokenDeployment(rendered)),
);
check(
  'self-test: kubeconform rejects an unknown field',
  attempt(() => kubeconformRejectsUnknownField(rendered, kubeconformProblems)),
);

// `--diff <rev>`: what this tree changes in the rendered manifests against a revision (shown,
// not judged: whether a difference is intended is for the reviewer).
const diffAt = process.argv.indexOf('--diff');
if (diffAt >= 0) {
  const revision = process.argv[diffAt + 1] ?? 'HEAD';
  const diff = renderDiff(helm, rendered, revision);
  console.log(`\n== rendered manifests, ${revision} → working tree`);
  console.log(diff === '' ? 'no difference' : diff);
}

console.log(`\n== verify:deploy took ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`verify:deploy: ${passed} passed, ${failures.length} failed`);
if (failures.length) process.exit(1);

function kubeconformProblems(manifests: string): string[] {
  const result = kubeconform(kubeconformBin, manifests);
  return result.ok ? [] : result.errors.length ? result.errors : [result.summary];
}

function spawn(binary: string, args: string[]): { ok: boolean; out: string } {
  const result = spawnSync(binary, args, { cwd: ROOT, encoding: 'utf8' });
  return { ok: result.status === 0, out: `${result.stdout}${result.stderr}` };
}
