/**
 * What the operations view shows: plain data computed from Kubernetes objects, shared by the
 * gateway's page and JSON and by the CLI. Times are ISO 8601 strings so the JSON is the model.
 */

/** Where a Deployment's rollout stands (the same reading as `kubectl rollout status`). */
export type RolloutState = 'complete' | 'progressing' | 'stuck' | 'paused';

export interface Condition {
  type: string;
  status: string;
  reason: string | undefined;
  message: string | undefined;
  lastTransitionTime: string | undefined;
}

export interface RolloutStatus {
  state: RolloutState;
  /** One human sentence, e.g. "2 of 3 updated replicas are available". */
  message: string;
  /** The Deployment's revision (`deployment.kubernetes.io/revision`). */
  revision: string | undefined;
  conditions: Condition[];
}

/** One image a service runs, with how many pods of that version exist and are ready. */
export interface RunningVersion {
  image: string;
  tag: string | undefined;
  gitSha: string | undefined;
  replicas: number;
  ready: number;
  /** The version the Deployment is rolling out (its current template). */
  current: boolean;
}

export interface PodRestart {
  pod: string;
  container: string;
  restartCount: number;
  /** Why the previous container ended (OOMKilled, Error, ...), when Kubernetes still says. */
  lastReason: string | undefined;
  lastExitCode: number | undefined;
  lastFinishedAt: string | undefined;
}

export interface ServiceStatus {
  /** gateway, notes, media (from `app.kubernetes.io/name` without the `lateral-` prefix). */
  service: string;
  deployment: string;
  /** The image of the Deployment's template: what it is rolling out or runs. */
  image: string | undefined;
  tag: string | undefined;
  gitSha: string | undefined;
  desired: number;
  ready: number;
  updated: number;
  available: number;
  rollout: RolloutStatus;
  versions: RunningVersion[];
  restarts: { total: number; recent: PodRestart[] };
}

export type SyncStatus = 'Synced' | 'OutOfSync' | 'Unknown';

export interface LastSync {
  /** Argo CD's operation phase: Running, Succeeded, Failed, Error, Terminating. */
  phase: string;
  message: string | undefined;
  revision: string | undefined;
  startedAt: string | undefined;
  finishedAt: string | undefined;
}

export interface ApplicationStatus {
  name: string;
  namespace: string;
  sync: SyncStatus;
  /** Healthy, Progressing, Degraded, Suspended, Missing, Unknown. */
  health: string;
  healthMessage: string | undefined;
  /** The git revision the live state was last compared with (the synced one when Synced). */
  revision: string | undefined;
  lastSync: LastSync | undefined;
  /** Argo CD's own conditions (ComparisonError, SyncError, ...). */
  conditions: { type: string; message: string | undefined }[];
}

export interface EventSummary {
  type: string;
  reason: string;
  /** `Kind/name` of the object the event is about. */
  object: string;
  message: string;
  count: number;
  lastSeen: string | undefined;
}

/** The resources the view watches; each one may fail on its own (RBAC is per resource). */
export type SourceName = 'deployments' | 'replicasets' | 'pods' | 'events' | 'applications';

export type SourceState =
  | { state: 'starting' }
  | { state: 'ok' }
  /** RBAC refused: the message says which verb and resource, for the Role to be fixed. */
  | { state: 'forbidden'; message: string }
  /** The API server (or the Argo CD CRD) is not there, or credentials are rejected. */
  | { state: 'unavailable'; message: string };

export interface SourceProblem {
  source: SourceName;
  state: 'forbidden' | 'unavailable';
  message: string;
}

export interface OpsSnapshot {
  namespace: string;
  argoCdNamespace: string;
  /** The API server the view talks to (from the kubeconfig or the in-cluster address). */
  server: string;
  services: ServiceStatus[];
  applications: ApplicationStatus[];
  events: EventSummary[];
  /** True once every source listed its objects or failed: before that the view is partial. */
  synced: boolean;
  problems: SourceProblem[];
  observedAt: string;
}
