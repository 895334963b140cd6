import { type ApplicationStatus, type LastSync, type SyncStatus } from './ops-status.model.js';
import { isoTime } from './rollout.js';

/**
 * The fields of an Argo CD `argoproj.io/v1alpha1` Application the view reads. Typed by hand
 * (only what we read, all optional): the CRD is Argo CD's, not part of the client library.
 */
export interface ArgoApplication {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
    resourceVersion?: string;
  };
  spec?: { destination?: { namespace?: string; server?: string; name?: string } };
  status?: {
    sync?: { status?: string; revision?: string; revisions?: string[] };
    health?: { status?: string; message?: string };
    operationState?: {
      phase?: string;
      message?: string;
      startedAt?: string;
      finishedAt?: string;
      syncResult?: { revision?: string; revisions?: string[] };
      operation?: { sync?: { revision?: string } };
    };
    conditions?: { type?: string; message?: string }[];
  };
}

const SYNC_STATES: readonly SyncStatus[] = ['Synced', 'OutOfSync', 'Unknown'];

export function applicationStatus(app: ArgoApplication): ApplicationStatus {
  const status = app.status ?? {};
  const sync = SYNC_STATES.find((s) => s === status.sync?.status) ?? 'Unknown';
  const op = status.operationState;
  const lastSync: LastSync | undefined = op?.phase
    ? {
        phase: op.phase,
        message: op.message,
        revision:
          op.syncResult?.revision ?? op.syncResult?.revisions?.[0] ?? op.operation?.sync?.revision,
        startedAt: isoTime(op.startedAt),
        finishedAt: isoTime(op.finishedAt),
      }
    : undefined;
  return {
    name: app.metadata?.name ?? '',
    namespace: app.metadata?.namespace ?? '',
    sync,
    health: status.health?.status ?? 'Unknown',
    healthMessage: status.health?.message,
    // Multi-source Applications report `revisions`; the first source is the chart's repo.
    revision: status.sync?.revision ?? status.sync?.revisions?.[0],
    lastSync,
    conditions: (status.conditions ?? []).map((c) => ({
      type: c.type ?? 'Unknown',
      message: c.message,
    })),
  };
}

/** A revision matches when one is a prefix of the other (people paste short SHAs). */
export function sameRevision(a: string | undefined, b: string): boolean {
  if (!a || !b) return false;
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x.startsWith(y) || y.startsWith(x);
}

/**
 * Why an Application is not yet Synced and Healthy at `revision`, or undefined when it is.
 * A sync still running counts as not there yet even when the status already flipped.
 */
export function notAtRevision(app: ApplicationStatus, revision: string): string | undefined {
  const reasons: string[] = [];
  if (!sameRevision(app.revision, revision)) {
    reasons.push(`at revision ${app.revision ? shortSha(app.revision) : '(none)'}`);
  }
  if (app.sync !== 'Synced') reasons.push(app.sync);
  if (app.health !== 'Healthy') {
    reasons.push(`${app.health}${app.healthMessage ? ` (${app.healthMessage})` : ''}`);
  }
  if (app.lastSync?.phase === 'Running') reasons.push('sync running');
  if (app.lastSync && ['Failed', 'Error'].includes(app.lastSync.phase)) {
    reasons.push(`last sync ${app.lastSync.phase}: ${app.lastSync.message ?? 'no message'}`);
  }
  return reasons.length ? `${app.name}: ${reasons.join(', ')}` : undefined;
}

/** Git's short form for anything that looks like a SHA (CI tags images with 12 characters). */
export const shortSha = (sha: string): string =>
  /^[0-9a-f]{8,64}$/i.test(sha) ? sha.slice(0, 7) : sha;
