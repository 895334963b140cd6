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

/** The description the chart READMEs' values tables show (scripts/deploy/chart-docs.ts). */
const d = (description: string, schema: Schema): Schema => ({ ...schema, description });
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
const intOrPercent: Schema = { type: ['integer', 'string'], minimum: 0, pattern: '^[0-9]+%$' };
const cidrs: Schema = {
  type: 'array',
  items: { type: 'string', pattern: '^[0-9a-fA-F.:]+/[0-9]{1,3}$' },
};

function object(properties: Record<string, Schema>, required = Object.keys(properties)): Schema {
  return { type: 'object', additionalProperties: false, required, properties };
}

const resources = (what: string): Schema =>
  object(
    {
      requests: d(`${what}: requests (cpu, memory).`, {
        type: 'object',
        additionalProperties: quantity,
      }),
      limits: d(`${what}: limits (a memory limit; no CPU limit, which only throttles).`, {
        type: 'object',
        additionalProperties: quantity,
      }),
    },
    ['requests', 'limits'],
  );
const probe = (which: string): Schema =>
  object({
    periodSeconds: d(`${which} probe period.`, int(1)),
    failureThreshold: d(`${which} probe failures before it counts.`, int(1)),
    timeoutSeconds: d(`${which} probe timeout.`, int(1)),
  });

function common(service: string): Record<string, Schema> {
  return {
    nameOverride: d('Replaces the chart name in object names and labels.', str),
    fullnameOverride: d('Replaces the object names entirely.', str),
    commonLabels: d('Labels added to every object.', map),
    image: object({
      repository: d('Image repository.', { type: 'string', minLength: 1 }),
      tag: d('A git SHA (CI tags images with it) or a version; empty = appVersion. Never latest.', {
        type: 'string',
        not: { const: 'latest' },
      }),
      digest: d('Optional sha256:... digest; pins the exact image.', {
        type: 'string',
        pattern: '^(sha256:[a-f0-9]{64})?$',
      }),
      pullPolicy: d('Image pull policy.', { enum: ['Always', 'IfNotPresent', 'Never'] }),
    }),
    imagePullSecrets: d('Secrets for a private registry ({name: ...}).', list),
    replicaCount: d('Replicas; ignored with autoscaling.enabled (the HPA owns them).', int(1)),
    revisionHistoryLimit: d('Old ReplicaSets kept.', int(0)),
    rollout: object({
      maxUnavailable: d(
        'Rolling update: pods below the desired count (0: never below current capacity).',
        intOrPercent,
      ),
      maxSurge: d('Rolling update: extra pods during a rollout.', intOrPercent),
    }),
    ports: object({
      http: d('HTTP port (container and Service).', port),
      metrics: d('Prometheus metrics port (container and Service).', port),
    }),
    logLevel: d('LOG_LEVEL.', {
      enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
    }),
    shutdown: object({
      preStopSeconds: d(
        'Pause before SIGTERM while endpoint removal reaches kube-proxy and the ingress.',
        int(0, 60),
      ),
      drainMs: d("SHUTDOWN_DRAIN_MS: the service's own drain after SIGTERM.", int(0)),
      timeoutMs: d(
        'SHUTDOWN_TIMEOUT_MS: hard limit of the shutdown; the grace period is preStopSeconds + this + 5 s.',
        int(1000),
      ),
    }),
    config: {
      ...map,
      description: `Non-secret environment of the ${service} service (ConfigMap); a change rolls the pods.`,
      propertyNames: { pattern: '^[A-Z][A-Z0-9_]*$' },
    },
    extraEnv: d('Extra env entries (name/value or valueFrom).', list),
    secrets: object({
      existingSecret: d(
        'Existing Secret (a SealedSecret) whose keys become environment variables; never rendered.',
        { type: 'string', minLength: 1 },
      ),
    }),
    database: object({
      existingSecret: d('Secret holding DATABASE_URL; empty = secrets.existingSecret.', str),
      urlKey: d('Key of the URL in that Secret.', { type: 'string', minLength: 1 }),
      cnpg: object({
        enabled: d(
          'In-cluster PostgreSQL (CloudNativePG Cluster <release>-db); DATABASE_URL from its -app Secret.',
          bool,
        ),
        instances: d('PostgreSQL instances.', int(1)),
        imageName: d("PostgreSQL image; empty = the operator's default.", str),
        database: d('Database name.', { type: 'string', minLength: 1 }),
        owner: d('Database owner.', { type: 'string', minLength: 1 }),
        storage: object({
          size: d('Volume size per instance.', { type: 'string', minLength: 1 }),
          storageClass: d('StorageClass; empty = the default one.', str),
        }),
        resources: d('Resources of the PostgreSQL pods.', anyObject),
      }),
    }),
    migration: object({
      enabled: d('Run the migration Job before the new pods (Argo CD Sync hook, wave 1).', bool),
      command: d('Migration command.', { type: 'array', items: str, minItems: 1 }),
      backoffLimit: d('Job retries.', int(0)),
      activeDeadlineSeconds: d('Job deadline.', int(30)),
      resources: resources('Migration Job'),
    }),
    resources: resources('Server container'),
    securityContext: object({
      runAsUser: d("The image's numeric non-root user.", int(1)),
      runAsGroup: d("The image's numeric group (also fsGroup).", int(1)),
    }),
    tmp: object({
      enabled: d('An emptyDir on /tmp (the root filesystem is read-only).', bool),
      sizeLimit: d('Its size limit.', { type: 'string', minLength: 1 }),
    }),
    probes: object({
      startup: probe('Startup (/healthz)'),
      liveness: probe('Liveness (/healthz)'),
      readiness: probe('Readiness (/readyz)'),
    }),
    podAnnotations: d('Annotations of the server pods.', map),
    podLabels: d('Extra labels of the server pods.', map),
    nodeSelector: d('Node selector of the server and migration pods.', map),
    tolerations: d('Tolerations of the server and migration pods.', list),
    affinity: d('Affinity of the server pods.', anyObject),
    topologySpread: object({
      enabled: d('Spread the server pods.', bool),
      topologyKey: d('Across this node label.', str),
      maxSkew: d('Allowed difference in pods between two domains.', int(1)),
      whenUnsatisfiable: d('ScheduleAnyway: a full node never blocks a rollout.', {
        enum: ['ScheduleAnyway', 'DoNotSchedule'],
      }),
    }),
    service: object({
      type: d('Service type.', { enum: ['ClusterIP', 'NodePort', 'LoadBalancer'] }),
      annotations: d('Service annotations.', map),
    }),
    autoscaling: object({
      enabled: d('HorizontalPodAutoscaler on CPU; the Deployment then leaves replicas out.', bool),
      minReplicas: d('HPA minimum.', int(1)),
      maxReplicas: d('HPA maximum.', int(1)),
      targetCPUUtilizationPercentage: d('HPA CPU target (of requests).', int(1, 100)),
      scaleDownStabilizationWindowSeconds: d('HPA scale-down stabilization window.', int(0, 3600)),
    }),
    podDisruptionBudget: object({
      enabled: d('PodDisruptionBudget (only rendered with more than one replica).', bool),
      maxUnavailable: d('Pods a voluntary disruption may take down.', intOrPercent),
      minAvailable: d("When set, replaces maxUnavailable; '' = unset.", {
        type: ['integer', 'string'],
        minimum: 0,
        pattern: '^([0-9]+%)?$',
      }),
    }),
    serviceMonitor: object({
      enabled: d('Prometheus Operator ServiceMonitor (honorLabels).', bool),
      interval: d('Scrape interval.', duration),
      scrapeTimeout: d('Scrape timeout.', duration),
      labels: d(
        'Labels your Prometheus selects ServiceMonitors by (e.g. release: kube-prometheus-stack).',
        map,
      ),
    }),
    networkPolicy: object({
      enabled: d('Default deny for the release, then the allow-list below.', bool),
      allowFrom: d('Who may call the HTTP port (NetworkPolicy peers).', list),
      upstreams: d('Lateral services this one calls (pod label app.kubernetes.io/name, port).', {
        type: 'array',
        items: object({ name: { type: 'string', minLength: 1 }, port }),
      }),
      extraEgress: d('Extra egress rules (e.g. HTTPS to an OIDC issuer).', list),
      metricsFrom: d(
        'Who may scrape the metrics port (NetworkPolicy peers); empty = nobody.',
        list,
      ),
      dns: object({
        namespaceLabels: d('DNS egress: namespace labels (kube-system by default).', map),
        podLabels: d(
          'DNS egress: pod labels; empty = any pod there (e.g. k8s-app: kube-dns).',
          map,
        ),
        port: d('DNS port (UDP and TCP).', port),
      }),
      postgres: object({
        port: d('PostgreSQL port.', port),
        cidrs: d(
          'An external PostgreSQL: its CIDRs (ignored with database.cnpg.enabled; required otherwise).',
          cidrs,
        ),
      }),
    }),
    tests: object({ enabled: d('The helm test Pod (GET /readyz through the Service).', bool) }),
  };
}

const gatewayOnly: Record<string, Schema> = {
  ingress: object({
    enabled: d('An Ingress for the gateway (the public entry point).', bool),
    className: d('IngressClass.', str),
    host: d('Public host name.', { type: 'string', format: 'hostname', minLength: 1 }),
    tlsSecretName: d('TLS Secret; empty = no TLS block (TLS terminated in front).', str),
    annotations: d('Ingress annotations (cert-manager, body size).', map),
  }),
  ops: object({
    enabled: d(
      'The operations page: read-only Roles, the pod mounts its token, OPS_KUBERNETES=in-cluster.',
      bool,
    ),
    argocdNamespace: d("Argo CD's namespace (its Applications are read).", {
      type: 'string',
      minLength: 1,
    }),
    apiServer: object({
      cidrs: d(
        "The API server's endpoints (NetworkPolicy egress; required with networkPolicy.enabled).",
        cidrs,
      ),
      ports: d('Their ports.', { type: 'array', items: port }),
    }),
  }),
  httpRoute: object({
    enabled: d('A Gateway API HTTPRoute instead of the Ingress.', bool),
    host: d('Public host name.', { type: 'string', minLength: 1 }),
    parentRefs: d('The Gateway(s) it attaches to.', {
      type: 'array',
      items: anyObject,
      minItems: 1,
    }),
  }),
};

const urlString: Schema = { type: 'string', pattern: '^https?://[^\\s]+$' };

/** Where media keeps image bytes (apps/media/src/media.config.ts, MEDIA_STORAGE and MEDIA_S3_*). */
const mediaOnly: Record<string, Schema> = {
  storage: object({
    driver: d('Where new image bytes go: bytea (PostgreSQL) or s3.', {
      type: 'string',
      enum: ['bytea', 's3'],
    }),
    s3: object({
      endpoint: d("The store's URL; empty = AWS S3.", {
        anyOf: [{ type: 'string', maxLength: 0 }, urlString],
      }),
      region: d('Region (any value for most S3-compatible stores).', {
        type: 'string',
        minLength: 1,
      }),
      bucket: d('Bucket; required with driver s3 and while files remain there.', {
        type: 'string',
        pattern: '^$|^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$',
      }),
      prefix: d("Key prefix: '' or ending in /.", {
        type: 'string',
        pattern: '^([A-Za-z0-9_.-]+/)*$',
      }),
      forcePathStyle: d('Bucket in the path (MinIO, Ceph RGW, Garage).', bool),
      timeoutMs: d('One store request (connect, socket idle), ms.', int(1)),
      orphanGraceHours: d('Unreferenced objects are deleted after this long.', int(1)),
      janitorIntervalMinutes: d('How often orphans are swept; 0 = never.', int(0)),
      credentialsSecret: d(
        'Secret with static keys; empty = the default chain (web identity).',
        str,
      ),
      accessKeyIdKey: d('Its key holding the access key id.', { type: 'string', minLength: 1 }),
      secretAccessKeyKey: d('Its key holding the secret access key.', {
        type: 'string',
        minLength: 1,
      }),
    }),
  }),
  serviceAccount: object({
    annotations: d(
      'ServiceAccount annotations, e.g. eks.amazonaws.com/role-arn for S3 by web identity.',
      map,
    ),
  }),
};

/** media's egress to its object store, inside networkPolicy. */
const objectStoreEgress: Schema = object({
  to: d('Object store egress: NetworkPolicy peers (required with storage.s3.bucket).', list),
  ports: d('Their ports.', { type: 'array', items: port }),
});

export function chartSchema(service: 'gateway' | 'notes' | 'media'): Schema {
  const properties = {
    ...common(service),
    ...(service === 'gateway' ? gatewayOnly : {}),
    ...(service === 'media' ? mediaOnly : {}),
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
  if (service === 'media') {
    const networkPolicy = schema.properties.networkPolicy as Schema & {
      properties: Record<string, Schema>;
      required: string[];
    };
    networkPolicy.properties.objectStore = objectStoreEgress;
    networkPolicy.required.push('objectStore');
  }
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
