// Regenerates the JSON schemas kubeconform validates against (deploy/schemas/), from sources
// fetched through the Go module proxy: the Kubernetes OpenAPI spec in k8s.io/kubernetes and the
// CRDs shipped by Argo CD, the Prometheus Operator, CloudNativePG, Sealed Secrets and Gateway API.
// kubeconform's default schema location is on the internet, which CI may not reach; the
// generated files are committed, so `verify:deploy` never needs this script or the network.
//
//   node --import ./scripts/ts-register.mjs scripts/deploy/vendor-schemas.ts
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { SCHEMA_DIR, kindFileName } from './kubeconform.js';

const KUBERNETES = 'k8s.io/kubernetes@v1.34.4';
const CRD_SOURCES: { module: string; files: string[] }[] = [
  {
    module: 'github.com/argoproj/argo-cd/v3@v3.5.0',
    files: ['manifests/crds/application-crd.yaml', 'manifests/crds/appproject-crd.yaml'],
  },
  {
    module: 'github.com/prometheus-operator/prometheus-operator@v0.85.0',
    files: [
      'example/prometheus-operator-crd/monitoring.coreos.com_servicemonitors.yaml',
      'example/prometheus-operator-crd/monitoring.coreos.com_prometheusrules.yaml',
    ],
  },
  {
    module: 'github.com/cloudnative-pg/cloudnative-pg@v1.27.0',
    files: ['config/crd/bases/postgresql.cnpg.io_clusters.yaml'],
  },
  {
    module: 'github.com/bitnami-labs/sealed-secrets@v0.40.0',
    files: ['helm/sealed-secrets/crds/bitnami.com_sealedsecrets.yaml'],
  },
  {
    module: 'sigs.k8s.io/gateway-api@v1.4.0',
    files: ['config/crd/standard/gateway.networking.k8s.io_httproutes.yaml'],
  },
];

/** Only the built-in kinds the charts render (the full set is ~100 MB of schemas). */
const KINDS = [
  'io.k8s.api.apps.v1.Deployment',
  'io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler',
  'io.k8s.api.batch.v1.Job',
  'io.k8s.api.core.v1.ConfigMap',
  'io.k8s.api.core.v1.Namespace',
  'io.k8s.api.core.v1.Pod',
  'io.k8s.api.core.v1.Secret',
  'io.k8s.api.core.v1.Service',
  'io.k8s.api.core.v1.ServiceAccount',
  'io.k8s.api.networking.v1.Ingress',
  'io.k8s.api.networking.v1.NetworkPolicy',
  'io.k8s.api.policy.v1.PodDisruptionBudget',
  'io.k8s.api.rbac.v1.Role',
  'io.k8s.api.rbac.v1.RoleBinding',
];

type Schema = Record<string, unknown>;

function moduleDir(module: string): string {
  const out = spawnSync('go', ['mod', 'download', '-json', module], { encoding: 'utf8' });
  const info = JSON.parse(out.stdout) as { Dir?: string; Error?: string };
  if (!info.Dir) throw new Error(`go mod download ${module}: ${info.Error ?? out.stderr}`);
  return info.Dir;
}

/**
 * kubeconform's "strict" mode is a schema property: objects that list their properties get
 * `additionalProperties: false`, so a misspelt field fails instead of being dropped silently.
 */
function strict(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(strict);
  if (node === null || typeof node !== 'object') return node;
  const out: Schema = {};
  for (const [key, value] of Object.entries(node as Schema)) {
    out[key] = key === 'properties' ? mapValues(value as Schema, strict) : strict(value);
  }
  if (
    out.properties &&
    out.additionalProperties === undefined &&
    out['x-kubernetes-preserve-unknown-fields'] !== true
  )
    out.additionalProperties = false;
  // The OpenAPI spec writes int-or-string (ports, maxUnavailable) and quantities as strings.
  if (out.format === 'int-or-string') return { ...withoutType(out), type: ['string', 'integer'] };
  return out;
}

function withoutType(schema: Schema): Schema {
  const { type: _type, format: _format, ...rest } = schema;
  return rest;
}

function mapValues(obj: Schema, fn: (v: unknown) => unknown): Schema {
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, fn(v)]));
}

/** One kind with only the definitions it reaches, so each file stands alone. */
function standalone(name: string, definitions: Record<string, Schema>): Schema {
  const reached = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node as Schema)) {
      if (key === '$ref' && typeof value === 'string') {
        const ref = value.replace('#/definitions/', '');
        if (!reached.has(ref)) {
          reached.add(ref);
          visit(definitions[ref]);
        }
      } else visit(value);
    }
  };
  const root = definitions[name] as Schema;
  visit(root);
  const defs: Record<string, unknown> = {};
  for (const ref of [...reached].sort()) {
    const def = definitions[ref] as Schema;
    // Quantity is a string in the spec but `cpu: 1` is valid YAML for it.
    defs[ref] = ref.endsWith('.resource.Quantity')
      ? { ...withoutType(def), type: ['string', 'number'] }
      : strict(def);
  }
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    ...(strict(root) as Schema),
    definitions: defs,
  };
}

function gvk(schema: Schema): { group: string; version: string; kind: string } {
  const list = schema['x-kubernetes-group-version-kind'] as
    { group: string; version: string; kind: string }[] | undefined;
  const first = list?.[0];
  if (!first) throw new Error('definition without x-kubernetes-group-version-kind');
  return first;
}

function apiVersionOf(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}

function writeSchema(apiVersion: string, kind: string, schema: Schema): void {
  const file = join(SCHEMA_DIR, kindFileName(apiVersion, kind));
  writeFileSync(file, `${JSON.stringify(schema)}\n`);
  console.log(`${file} (${Math.round(JSON.stringify(schema).length / 1024)} KiB)`);
}

function main(): void {
  rmSync(SCHEMA_DIR, { recursive: true, force: true });
  mkdirSync(SCHEMA_DIR, { recursive: true });

  const swagger = JSON.parse(
    readFileSync(join(moduleDir(KUBERNETES), 'api/openapi-spec/swagger.json'), 'utf8'),
  ) as { definitions: Record<string, Schema> };
  for (const name of KINDS) {
    const schema = standalone(name, swagger.definitions);
    const { group, version, kind } = gvk(swagger.definitions[name] as Schema);
    writeSchema(apiVersionOf(group, version), kind, schema);
  }

  for (const source of CRD_SOURCES) {
    const dir = moduleDir(source.module);
    for (const file of source.files) {
      for (const doc of parseAllDocuments(readFileSync(join(dir, file), 'utf8'))) {
        const crd = doc.toJS() as {
          spec: {
            group: string;
            names: { kind: string };
            versions: { name: string; served: boolean; schema: { openAPIV3Schema: Schema } }[];
          };
        };
        for (const v of crd.spec.versions.filter((x) => x.served)) {
          const schema = strict(v.schema.openAPIV3Schema) as Schema;
          writeSchema(apiVersionOf(crd.spec.group, v.name), crd.spec.names.kind, {
            $schema: 'http://json-schema.org/draft-07/schema#',
            ...schema,
          });
        }
      }
    }
  }
  const sources = [KUBERNETES, ...CRD_SOURCES.map((s) => s.module)];
  writeFileSync(
    join(SCHEMA_DIR, 'SOURCES.md'),
    `# Vendored JSON schemas\n\nGenerated by \`scripts/deploy/vendor-schemas.ts\` from these Go modules:\n\n${sources.map((s) => `- \`${s}\``).join('\n')}\n`,
  );
  console.log(`${readdirSync(SCHEMA_DIR).length} files`);
}

main();
