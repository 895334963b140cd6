// Pure functions and types of the operations view (no Kubernetes client: see ./client.ts).
export * from './ops-status.model.js';
export {
  applicationStatus,
  notAtRevision,
  sameRevision,
  shortSha,
  type ArgoApplication,
} from './argo-application.js';
export { gitShaOf, parseImage, type ImageRef } from './image.js';
export { type KubeAccess, type KubeTarget } from './kube-access.js';
export { rolloutStatus } from './rollout.js';
export { buildSnapshot, isWikiApplication, type SnapshotInput } from './snapshot.js';
export { classifySourceError } from './source-error.js';
export { formatStatus } from './status-table.js';
export { revisionOutcome, waitForRevision, type WaitOutcome } from './wait-for-revision.js';
