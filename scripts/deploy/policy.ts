// Policy checks on rendered manifests: what a cluster would accept but Lateral must never ship.
import { type K8sObject, applicationSpec } from './argocd.js';

interface Container {
  name: string;
  image?: string;
  startupProbe?: unknown;
  livenessProbe?: { httpGet?: { path?: string } };
  readinessProbe?: { httpGet?: { path?: string } };
  resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
  securityContext?: {
    runAsNonRoot?: boolean;
    readOnlyRootFilesystem?: boolean;
    allowPrivilegeEscalation?: boolean;
    privileged?: boolean;
    capabilities?: { drop?: string[]; add?: string[] };
  };
  lifecycle?: { preStop?: { sleep?: { seconds?: number } } };
  envFrom?: { configMapRef?: { name: string } }[];
}

interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  securityContext?: { runAsNonRoot?: boolean; seccompProfile?: { type?: string } };
  automountServiceAccountToken?: boolean;
  serviceAccountName?: string;
  terminationGracePeriodSeconds?: number;
  hostNetwork?: boolean;
  hostPID?: boolean;
}

/** `name:tag` or `name@sha256:...`; never `latest`, never untagged. */
export function imageProblem(image: string | undefined): string | undefined {
  if (!image) return 'has no image';
  if (image.includes('@sha256:')) return undefined;
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastSegment.indexOf(':');
  if (colon < 0) return `image ${image} is untagged`;
  const tag = lastSegment.slice(colon + 1);
  if (tag === '' || tag === 'latest') return `image ${image} is not pinned (tag "${tag}")`;
  return undefined;
}

function podSpecOf(o: K8sObject): PodSpec | undefined {
  const spec = o.spec;
  if (!spec) return undefined;
  if (o.kind === 'Pod') return spec as unknown as PodSpec;
  const template = spec.template as { spec?: PodSpec } | undefined;
  return template?.spec;
}

function containerProblems(c: Container, pod: PodSpec): string[] {
  const p: string[] = [];
  const image = imageProblem(c.image);
  if (image) p.push(image);
  const sc = c.securityContext ?? {};
  if (sc.runAsNonRoot !== true && pod.securityContext?.runAsNonRoot !== true)
    p.push('may run as root (runAsNonRoot is not true)');
  if (sc.readOnlyRootFilesystem !== true) p.push('root filesystem is writable');
  if (sc.allowPrivilegeEscalation !== false) p.push('allowPrivilegeEscalation is not false');
  if (sc.privileged) p.push('is privileged');
  if (!sc.capabilities?.drop?.includes('ALL')) p.push('does not drop ALL capabilities');
  if (sc.capabilities?.add?.length) p.push('adds capabilities');
  if (!c.resources?.requests?.cpu || !c.resources.requests.memory)
    p.push('has no cpu and memory requests');
  if (!c.resources?.limits?.memory) p.push('has no memory limit');
  return p.map((m) => `container ${c.name} ${m}`);
}

function deploymentProblems(o: K8sObject, pod: PodSpec, objects: K8sObject[]): string[] {
  const p: string[] = [];
  for (const c of pod.containers) {
    if (c.livenessProbe?.httpGet?.path !== '/healthz')
      p.push(`container ${c.name} has no liveness probe on /healthz`);
    if (c.readinessProbe?.httpGet?.path !== '/readyz')
      p.push(`container ${c.name} has no readiness probe on /readyz`);
    if (!c.startupProbe) p.push(`container ${c.name} has no startup probe`);
    const preStop = c.lifecycle?.preStop?.sleep?.seconds ?? 0;
    if (preStop < 1) p.push(`container ${c.name} has no preStop pause`);
    // The grace period must outlast the pause plus the service's own shutdown limit.
    const config = objects.find(
      (x) =>
        x.kind === 'ConfigMap' && c.envFrom?.some((e) => e.configMapRef?.name === x.metadata.name),
    );
    const timeoutMs = Number(config?.data?.SHUTDOWN_TIMEOUT_MS ?? 25_000);
    const grace = pod.terminationGracePeriodSeconds ?? 30;
    if (grace < preStop + timeoutMs / 1000)
      p.push(
        `terminationGracePeriodSeconds ${grace} < preStop ${preStop}s + shutdown ${timeoutMs} ms`,
      );
  }
  const spec = o.spec as {
    replicas?: number;
    strategy?: { type?: string; rollingUpdate?: { maxUnavailable?: number | string } };
  };
  if (spec.strategy?.type !== 'RollingUpdate' || spec.strategy.rollingUpdate?.maxUnavailable !== 0)
    p.push('rollout is not RollingUpdate with maxUnavailable 0');
  const hpa = objects.find(
    (x) =>
      x.kind === 'HorizontalPodAutoscaler' &&
      (x.spec as { scaleTargetRef?: { name?: string } }).scaleTargetRef?.name === o.metadata.name,
  );
  if (hpa && spec.replicas !== undefined) p.push('sets replicas although an HPA scales it');
  const pdb = objects.find((x) => x.kind === 'PodDisruptionBudget');
  const replicas = hpa
    ? ((hpa.spec as { minReplicas?: number }).minReplicas ?? 1)
    : (spec.replicas ?? 1);
  if (pdb && replicas < 2)
    p.push('has a PodDisruptionBudget with a single replica (blocks drains)');
  return p;
}

function hasRoleBinding(objects: K8sObject[], pod: PodSpec): boolean {
  if (!pod.serviceAccountName) return false;
  return objects.some(
    (o) =>
      o.kind === 'RoleBinding' &&
      (o.subjects as { kind: string; name: string }[] | undefined)?.some(
        (s) => s.kind === 'ServiceAccount' && s.name === pod.serviceAccountName,
      ),
  );
}

/** Every problem found in one Application's rendered objects, as "Kind/name: problem". */
export function policyProblems(objects: K8sObject[]): string[] {
  const problems: string[] = [];
  const add = (o: K8sObject, list: string[]) =>
    problems.push(...list.map((m) => `${o.kind}/${o.metadata.name}: ${m}`));
  for (const o of objects) {
    const pod = podSpecOf(o);
    if (pod && ['Deployment', 'Job', 'Pod', 'StatefulSet', 'DaemonSet'].includes(o.kind)) {
      const list = [...pod.containers, ...(pod.initContainers ?? [])].flatMap((c) =>
        containerProblems(c, pod),
      );
      if (pod.securityContext?.seccompProfile?.type !== 'RuntimeDefault')
        list.push('pod seccompProfile is not RuntimeDefault');
      // A token only for a pod whose ServiceAccount some Role is bound to (the gateway's ops page).
      if (pod.automountServiceAccountToken !== false && !hasRoleBinding(objects, pod))
        list.push('mounts a service account token without any RoleBinding for it');
      if (pod.hostNetwork || pod.hostPID) list.push('uses the host network or PID namespace');
      if (o.kind === 'Deployment') list.push(...deploymentProblems(o, pod, objects));
      add(o, list);
    }
    if (o.kind === 'ServiceAccount' && o.automountServiceAccountToken !== false)
      add(o, ['automountServiceAccountToken is not false']);
    if (o.kind === 'Secret')
      add(o, ['a plain Secret is rendered (use existingSecret / SealedSecret)']);
    if (o.kind === 'ServiceMonitor') {
      const endpoints = (o.spec as { endpoints?: { honorLabels?: boolean }[] }).endpoints ?? [];
      if (!endpoints.length || endpoints.some((e) => e.honorLabels !== true))
        add(o, ['endpoints must set honorLabels: true (docs/observability.md)']);
    }
    if (o.kind === 'Application') add(o, applicationProblems(o));
  }
  return problems;
}

export function applicationProblems(app: K8sObject): string[] {
  const spec = applicationSpec(app);
  const p: string[] = [];
  const revision = spec.source.targetRevision;
  if (!revision || revision === 'HEAD') p.push('targetRevision must be pinned, not HEAD');
  if (spec.syncPolicy?.automated?.prune !== true || spec.syncPolicy.automated.selfHeal !== true)
    p.push('automated sync needs prune and selfHeal');
  if (!spec.syncPolicy?.retry?.backoff) p.push('no retry with backoff');
  if (!spec.syncPolicy?.syncOptions?.includes('CreateNamespace=true'))
    p.push('no CreateNamespace=true');
  return p;
}
