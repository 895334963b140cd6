// The charts' values.schema.json files, generated from one description so the three service
// charts cannot drift apart. `helm lint`/`helm template` (and so Argo CD) reject values that do
// not match: a misspelt key or a wrong type in deploy/envs/ fails the render, not the rollout.
//
//   node --import ./scripts/ts-register.mjs scripts/deploy/values-schema.ts --write
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'prettier';
import { HELM_DIR } from './paths.js';

type Schema = Record<string, unknown>;

const str: Schema = { type: 'string' };
const bool: Schema = { type: 'boolean' };
const int = (minimum = 0, maximum?: number): Schema =>
  maximum === undefined ? { type: 'integer', minimum } : { type: 'integer', minimum, maximum };
const port = int(1, 65535);
const map: Schema = { type: 'object', additionalProperties: { type: 'string' } };
const anyObject: Schema = { type: 'object' };
const list: Schema = { type: 'array', items: { type: 'object' } };
const quantity: Schema = { type: ['string', 'number'] };
const duration: Schema = { type: 'string', pattern: '^[0-9]+(ms|s|m|h)$' };

function object(properties: Record<string, Schema>, required = Object.keys(properties)): Schema {
  return { type: 'object', additionalProperties: false, required, properties };
}

const resources = object(
  {
    requests: { type: 'object', additionalProperties: quantity },
    limits: { type: 'object', additionalProperties: quantity },
  },
  ['requests', 'limits'],
);
const probe = object({
  periodSeconds: int(1),
  failureThreshold: int(1),
  timeoutSeconds: int(1),
});
const labels = { namespaceLabels: map, podLabels: map };

function common(service: string): Record<string, Schema> {
  return {
    nameOverride: str,
    fullnameOverride: str,
    commonLabels: map,
    image: object({
      repository: { type: 'string', minLength: 1 },
      tag: {
        type: 'string',
        not: { const: 'latest' },
        description: 'A git SHA or a version; empty = appVersion. Never latest.',
      },
      digest: { type: 'string', pattern: '^(sha256:[a-f0-9]{64})?$' },
      pullPolicy: { enum: ['Always', 'IfNotPresent', 'Never'] },
    }),
    imagePullSecrets: list,
    replicaCount: int(1),
    revisionHistoryLimit: int(0),
    rollout: object({ maxSurge: { type: ['integer', 'string'] } }),
    ports: object({ http: port, metrics: port }),
    logLevel: { enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] },
    shutdown: object({ preStopSeconds: int(0, 60), drainMs: int(0), timeoutMs: int(1000) }),
    config: {
      ...map,
      description: `Non-secret environment of the ${service} service (ConfigMap).`,
      propertyNames: { pattern: '^[A-Z][A-Z0-9_]*$' },
    },
    extraEnv: list,
    secrets: object({ existingSecret: { type: 'string', minLength: 1 } }),
    database: object({
      existingSecret: str,
      urlKey: { type: 'string', minLength: 1 },
      cnpg: object({
        enabled: bool,
        instances: int(1),
        imageName: str,
        database: { type: 'string', minLength: 1 },
        owner: { type: 'string', minLength: 1 },
        storage: object({ size: { type: 'string', minLength: 1 }, storageClass: str }),
        resources: anyObject,
      }),
    }),
    migration: object({
      enabled: bool,
      command: { type: 'array', items: str, minItems: 1 },
      backoffLimit: int(0),
      activeDeadlineSeconds: int(30),
      resources,
    }),
    resources,
    securityContext: object({ runAsUser: int(1), runAsGroup: int(1) }),
    tmp: object({ enabled: bool, sizeLimit: { type: 'string', minLength: 1 } }),
    probes: object({ startup: probe, liveness: probe, readiness: probe }),
    podAnnotations: map,
    podLabels: map,
    nodeSelector: map,
    tolerations: list,
    affinity: anyObject,
    topologySpread: object({ enabled: bool, topologyKey: str }),
    service: object({
      type: { enum: ['ClusterIP', 'NodePort', 'LoadBalancer'] },
      annotations: map,
    }),
    autoscaling: object({
      enabled: bool,
      minReplicas: int(1),
      maxReplicas: int(1),
      targetCPUUtilizationPercentage: int(1, 100),
    }),
    serviceMonitor: object({
      enabled: bool,
      interval: duration,
      scrapeTimeout: duration,
      labels: map,
    }),
    networkPolicy: object({
      enabled: bool,
      allowFrom: list,
      upstreams: {
        type: 'array',
        items: object({ name: { type: 'string', minLength: 1 }, port }),
      },
      extraEgress: list,
      prometheus: object(labels),
      dns: object(labels),
      postgres: object({ port, to: list }),
    }),
    tests: object({ enabled: bool }),
  };
}

const gatewayOnly: Record<string, Schema> = {
  ingress: object({
    enabled: bool,
    className: str,
    host: { type: 'string', format: 'hostname', minLength: 1 },
    tlsSecretName: str,
    annotations: map,
  }),
  ops: object({
    enabled: bool,
    argocdNamespace: { type: 'string', minLength: 1 },
    apiServer: object({
      cidrs: { type: 'array', items: { type: 'string', minLength: 1 } },
      ports: { type: 'array', items: port },
    }),
  }),
  httpRoute: object({
    enabled: bool,
    host: { type: 'string', minLength: 1 },
    parentRefs: { type: 'array', items: anyObject, minItems: 1 },
  }),
};

const urlString: Schema = { type: 'string', pattern: '^https?://[^\\s]+$' };

export function chartSchema(service: 'gateway' | 'notes' | 'media'): Schema {
  const properties = {
    ...common(service),
    ...(service === 'gateway' ? gatewayOnly : {}),
    // Helm adds these for charts with dependencies.
    global: anyObject,
    'lateral-lib': anyObject,
  };
  const required = Object.keys(properties).filter((k) => k !== 'global' && k !== 'lateral-lib');
  const schema = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: `lateral-${service} values`,
    ...object(properties, required),
  } as unknown as Schema & { properties: Record<string, Schema> };
  if (service === 'gateway') {
    // The gateway cannot boot without these (apps/gateway/src/gateway.config.ts).
    schema.properties.config = {
      ...(schema.properties.config as Schema),
      required: ['NOTES_URL', 'MEDIA_URL', 'PUBLIC_URL'],
      properties: { NOTES_URL: urlString, MEDIA_URL: urlString, PUBLIC_URL: urlString },
    };
  }
  return schema;
}

export const SERVICES = ['gateway', 'notes', 'media'] as const;

export function schemaPath(service: string): string {
  return join(HELM_DIR, `lateral-${service}`, 'values.schema.json');
}

export async function renderSchema(service: (typeof SERVICES)[number]): Promise<string> {
  return format(JSON.stringify(chartSchema(service)), { parser: 'json', printWidth: 100 });
}

/** Names of the committed schema files that differ from what this file generates. */
export async function staleSchemas(): Promise<string[]> {
  const stale: string[] = [];
  for (const service of SERVICES) {
    const path = schemaPath(service);
    let current = '';
    try {
      current = readFileSync(path, 'utf8');
    } catch {
      // missing counts as stale
    }
    if (current !== (await renderSchema(service))) stale.push(path);
  }
  return stale;
}

if (process.argv.includes('--write')) {
  for (const service of SERVICES) {
    writeFileSync(schemaPath(service), await renderSchema(service));
    console.log(`wrote ${schemaPath(service)}`);
  }
}
