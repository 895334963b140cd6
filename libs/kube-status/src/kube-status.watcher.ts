import {
  AppsV1Api,
  CoreV1Api,
  type CoreV1Event,
  CustomObjectsApi,
  type Informer,
  type KubernetesListObject,
  type KubeConfig,
  type KubernetesObject,
  makeInformer,
  type ObjectCache,
  type V1Deployment,
  type V1Pod,
  type V1ReplicaSet,
} from '@kubernetes/client-node';
import { type ArgoApplication } from './argo-application.js';
import { loadKubeTarget, type KubeAccess } from './kube-access.js';
import {
  type OpsSnapshot,
  type SourceName,
  type SourceProblem,
  type SourceState,
} from './ops-status.model.js';
import { buildSnapshot } from './snapshot.js';
import { classifySourceError } from './source-error.js';

export interface KubeStatusOptions {
  access: KubeAccess;
  /** The wiki's namespace; defaults to the pod's or the kubeconfig context's. */
  namespace?: string | undefined;
  /** Where Argo CD keeps its Applications. */
  argoCdNamespace: string;
  /** Deployments of the wiki carry `app.kubernetes.io/part-of=<partOf>`. */
  partOf?: string;
  /**
   * Label selector for the wiki's Applications (e.g. `lateral/environment=dev`, which also
   * catches the environment's root Application). Unset: those deploying into `namespace`.
   */
  applicationSelector?: string | undefined;
  /** Restarts newer than this are listed one by one. */
  recentRestartMs?: number;
  eventLimit?: number;
  /** First and longest wait before a failed source lists again. */
  retryMs?: { min: number; max: number };
  clock?: () => Date;
  /** In-cluster only: where the pod's address and token come from (tests point these elsewhere). */
  podEnv?: Record<string, string | undefined>;
  serviceAccountDir?: string;
}

interface Source {
  name: SourceName;
  informer: Informer<KubernetesObject> & ObjectCache<KubernetesObject>;
  state: SourceState;
  retryMs: number;
  timer: NodeJS.Timeout | undefined;
}

type Listener = () => void;

/**
 * Watches what the operations view shows: one informer (list, then watch from that
 * resourceVersion) per resource, so the API server sends changes instead of being polled; the
 * view reads the in-memory caches. Each resource fails on its own (RBAC is per resource) and
 * lists again with exponential backoff, so a Role fixed later is picked up without a restart.
 */
export class KubeStatusWatcher {
  readonly namespace: string;
  readonly argoCdNamespace: string;
  readonly server: string;
  private readonly sources: Source[];
  private readonly listeners = new Set<Listener>();
  private readonly partOf: string;
  private readonly clock: () => Date;
  private running = false;

  constructor(private readonly options: KubeStatusOptions) {
    const target = loadKubeTarget(options.access, options.podEnv, options.serviceAccountDir);
    this.namespace = options.namespace ?? target.namespace;
    this.argoCdNamespace = options.argoCdNamespace;
    this.server = target.server;
    this.partOf = options.partOf ?? 'lateral';
    this.clock = options.clock ?? (() => new Date());
    const kc = target.config;
    const apps = kc.makeApiClient(AppsV1Api);
    const core = kc.makeApiClient(CoreV1Api);
    const custom = kc.makeApiClient(CustomObjectsApi);
    const ns = this.namespace;
    const argo = this.argoCdNamespace;
    const selector = options.applicationSelector;
    const specs: [SourceName, string, () => Promise<KubernetesListObject<KubernetesObject>>][] = [
      [
        'deployments',
        `/apis/apps/v1/namespaces/${ns}/deployments`,
        () => apps.listNamespacedDeployment({ namespace: ns }),
      ],
      [
        'replicasets',
        `/apis/apps/v1/namespaces/${ns}/replicasets`,
        () => apps.listNamespacedReplicaSet({ namespace: ns }),
      ],
      ['pods', `/api/v1/namespaces/${ns}/pods`, () => core.listNamespacedPod({ namespace: ns })],
      [
        'events',
        `/api/v1/namespaces/${ns}/events`,
        () => core.listNamespacedEvent({ namespace: ns }),
      ],
      [
        'applications',
        `/apis/argoproj.io/v1alpha1/namespaces/${argo}/applications`,
        async () =>
          (await custom.listNamespacedCustomObject({
            group: 'argoproj.io',
            version: 'v1alpha1',
            namespace: argo,
            plural: 'applications',
            labelSelector: selector,
          })) as KubernetesListObject<KubernetesObject>,
      ],
    ];
    this.sources = specs.map(([name, path, list]) =>
      this.makeSource(kc, name, path, list, name === 'applications' ? selector : undefined),
    );
  }

  private makeSource(
    kc: KubeConfig,
    name: SourceName,
    path: string,
    list: () => Promise<KubernetesListObject<KubernetesObject>>,
    labelSelector: string | undefined,
  ): Source {
    const retry = this.options.retryMs ?? { min: 1000, max: 30_000 };
    const source: Source = {
      name,
      state: { state: 'starting' },
      retryMs: retry.min,
      timer: undefined,
      // The list call marks the source healthy (an empty namespace produces no add events), but
      // only once the informer has put every listed item in its cache: it adds them right after
      // this promise resolves, one 'change' event each, and a `wait` that looked in between saw
      // a partial list and reported success for the Applications it had so far.
      informer: makeInformer(
        kc,
        path,
        async () => {
          const result = await list();
          setImmediate(() => {
            source.state = { state: 'ok' };
            source.retryMs = retry.min;
            this.notify();
          });
          return result;
        },
        labelSelector,
      ),
    };
    source.informer.on('change', () => this.notify());
    source.informer.on('error', (error: unknown) => {
      const ns = name === 'applications' ? this.argoCdNamespace : this.namespace;
      source.state = classifySourceError(name, ns, error);
      this.notify();
      if (!this.running) return;
      // The informer stops itself on an error; list again later, backing off.
      source.timer = setTimeout(() => {
        source.timer = undefined;
        if (this.running) this.startSource(source);
      }, source.retryMs);
      source.timer.unref();
      source.retryMs = Math.min(source.retryMs * 2, retry.max);
    });
    return source;
  }

  private startSource(source: Source): void {
    source.informer.start().catch((error: unknown) => {
      source.state = classifySourceError(source.name, this.namespace, error);
      this.notify();
    });
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    for (const source of this.sources) this.startSource(source);
  }

  async stop(): Promise<void> {
    this.running = false;
    for (const source of this.sources) {
      clearTimeout(source.timer);
      await source.informer.stop();
    }
    this.listeners.clear();
  }

  /** Called after any change (an object, or a source failing or recovering). */
  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }

  /** Resolves once every source has listed or failed, or after `timeoutMs`. */
  async whenSynced(timeoutMs: number): Promise<boolean> {
    const done = () => this.sources.every((s) => s.state.state !== 'starting');
    if (done()) return true;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        off();
        resolve(false);
      }, timeoutMs);
      const off = this.onChange(() => {
        if (!done()) return;
        clearTimeout(timer);
        off();
        resolve(true);
      });
    });
  }

  sourceStates(): Record<SourceName, SourceState> {
    return Object.fromEntries(this.sources.map((s) => [s.name, s.state])) as Record<
      SourceName,
      SourceState
    >;
  }

  snapshot(): OpsSnapshot {
    const items = <T>(name: SourceName) =>
      (this.sources.find((s) => s.name === name)?.informer.list() ?? []) as readonly T[];
    const problems: SourceProblem[] = this.sources.flatMap((s) =>
      s.state.state === 'forbidden' || s.state.state === 'unavailable'
        ? [{ source: s.name, state: s.state.state, message: s.state.message }]
        : [],
    );
    return buildSnapshot({
      namespace: this.namespace,
      argoCdNamespace: this.argoCdNamespace,
      server: this.server,
      partOf: this.partOf,
      applicationSelector: this.options.applicationSelector,
      deployments: items<V1Deployment>('deployments'),
      replicaSets: items<V1ReplicaSet>('replicasets'),
      pods: items<V1Pod>('pods'),
      events: items<CoreV1Event>('events'),
      applications: items<ArgoApplication>('applications'),
      synced: this.sources.every((s) => s.state.state !== 'starting'),
      problems,
      now: this.clock(),
      recentRestartMs: this.options.recentRestartMs ?? 60 * 60_000,
      eventLimit: this.options.eventLimit ?? 30,
    });
  }
}
