import {
  type CoreV1Event,
  type V1Deployment,
  type V1Pod,
  type V1ReplicaSet,
} from '@kubernetes/client-node';
import { applicationStatus, type ArgoApplication } from './argo-application.js';
import { type OpsSnapshot, type SourceProblem } from './ops-status.model.js';
import { recentEvents, serviceStatus } from './services.js';

export interface SnapshotInput {
  namespace: string;
  argoCdNamespace: string;
  server: string;
  partOf: string;
  /** Set: the API server already selected the Applications (e.g. `lateral/environment=dev`). */
  applicationSelector: string | undefined;
  deployments: readonly V1Deployment[];
  replicaSets: readonly V1ReplicaSet[];
  pods: readonly V1Pod[];
  events: readonly CoreV1Event[];
  applications: readonly ArgoApplication[];
  synced: boolean;
  problems: SourceProblem[];
  now: Date;
  recentRestartMs: number;
  eventLimit: number;
}

const PART_OF = 'app.kubernetes.io/part-of';

/**
 * The wiki's Applications, when no label selector narrowed the watch: those deploying into its
 * namespace. Not "labelled part of lateral": one Argo CD holds every environment's
 * Applications, all labelled so, and the dev gateway must not wait for prod.
 */
export function isWikiApplication(app: ArgoApplication, namespace: string): boolean {
  return app.spec?.destination?.namespace === namespace;
}

/** Pure: the same objects give the same snapshot (the unit tests drive this directly). */
export function buildSnapshot(input: SnapshotInput): OpsSnapshot {
  const services = input.deployments
    .filter((d) => d.metadata?.labels?.[PART_OF] === input.partOf)
    .map((d) => serviceStatus(d, input.replicaSets, input.pods, input.now, input.recentRestartMs))
    .sort((a, b) => a.service.localeCompare(b.service));
  const applications = input.applications
    .filter(
      (app) => input.applicationSelector !== undefined || isWikiApplication(app, input.namespace),
    )
    .map(applicationStatus)
    .sort((a, b) => a.name.localeCompare(b.name));
  return {
    namespace: input.namespace,
    argoCdNamespace: input.argoCdNamespace,
    server: input.server,
    services,
    applications,
    events: recentEvents(input.events, input.eventLimit),
    synced: input.synced,
    problems: input.problems,
    observedAt: input.now.toISOString(),
  };
}
