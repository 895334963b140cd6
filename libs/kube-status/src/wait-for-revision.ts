import { notAtRevision } from './argo-application.js';
import { type OpsSnapshot } from './ops-status.model.js';

export type WaitOutcome =
  | { ok: true; applications: string[] }
  | {
      ok: false;
      /** `timeout`: still not there; `unavailable`: the API or RBAC kept us from looking. */
      kind: 'timeout' | 'unavailable';
      reasons: string[];
    };

/**
 * Is the wiki at `revision`? Every wiki Application Synced and Healthy at that git revision,
 * with no sync still running. No Application at all is not success: it usually means the
 * wrong Argo CD namespace or a Role without access to Applications.
 */
export function revisionOutcome(snapshot: OpsSnapshot, revision: string): WaitOutcome {
  const blocking = snapshot.problems.filter(
    (p) => p.source === 'applications' || p.state === 'unavailable',
  );
  if (blocking.length) {
    return {
      ok: false,
      kind: 'unavailable',
      reasons: blocking.map((p) => `${p.source}: ${p.message}`),
    };
  }
  if (!snapshot.synced) {
    return { ok: false, kind: 'unavailable', reasons: ['the Kubernetes API has not answered yet'] };
  }
  if (snapshot.applications.length === 0) {
    return {
      ok: false,
      kind: 'timeout',
      reasons: [
        `no Argo CD Application of the wiki in namespace "${snapshot.argoCdNamespace}" (deploying to "${snapshot.namespace}", or matching --selector)`,
      ],
    };
  }
  const reasons = snapshot.applications.flatMap((app) => notAtRevision(app, revision) ?? []);
  return reasons.length
    ? { ok: false, kind: 'timeout', reasons }
    : { ok: true, applications: snapshot.applications.map((a) => a.name) };
}

export interface RevisionSource {
  snapshot(): OpsSnapshot;
  onChange(listener: () => void): () => void;
}

/**
 * Blocks until {@link revisionOutcome} is ok or `timeoutMs` passes, re-evaluating on every
 * watch event (no polling). On timeout, the last reasons say what was still missing.
 */
export function waitForRevision(
  source: RevisionSource,
  revision: string,
  timeoutMs: number,
): Promise<WaitOutcome> {
  return new Promise((resolve) => {
    let last = revisionOutcome(source.snapshot(), revision);
    if (last.ok) {
      resolve(last);
      return;
    }
    const finish = (outcome: WaitOutcome) => {
      clearTimeout(timer);
      off();
      resolve(outcome);
    };
    const timer = setTimeout(() => finish(last), timeoutMs);
    const off = source.onChange(() => {
      last = revisionOutcome(source.snapshot(), revision);
      if (last.ok) finish(last);
    });
  });
}
