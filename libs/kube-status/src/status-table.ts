import { shortSha } from './argo-application.js';
import { type OpsSnapshot } from './ops-status.model.js';

/** Left-aligned columns, two spaces apart: what `kubectl get` prints. */
export function formatColumns(rows: string[][]): string {
  const widths = rows.reduce<number[]>(
    (w, row) => row.map((cell, i) => Math.max(w[i] ?? 0, cell.length)),
    [],
  );
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

const ago = (iso: string | undefined, now: Date): string => {
  if (!iso) return '-';
  const s = Math.max(0, Math.round((now.getTime() - Date.parse(iso)) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.round(s / 60)}m`;
  if (s < 172_800) return `${Math.round(s / 3600)}h`;
  return `${Math.round(s / 86_400)}d`;
};

/** `npm run ops -- status`: services, Applications, problems and the latest events. */
export function formatStatus(snapshot: OpsSnapshot): string {
  const now = new Date(snapshot.observedAt);
  const out: string[] = [
    `Namespace ${snapshot.namespace} on ${snapshot.server} (Argo CD: ${snapshot.argoCdNamespace})`,
    '',
  ];
  for (const p of snapshot.problems) {
    out.push(`${p.state.toUpperCase()} ${p.source}: ${p.message}`);
  }
  if (snapshot.problems.length) out.push('');
  if (!snapshot.synced)
    out.push('(the Kubernetes API has not answered for every resource yet)', '');

  out.push(
    snapshot.services.length
      ? formatColumns([
          ['SERVICE', 'TAG', 'GIT SHA', 'READY', 'UP-TO-DATE', 'ROLLOUT', 'RESTARTS'],
          ...snapshot.services.map((s) => [
            s.service,
            s.tag ?? '-',
            s.gitSha ? shortSha(s.gitSha) : '-',
            `${s.ready}/${s.desired}`,
            String(s.updated),
            `${s.rollout.state}: ${s.rollout.message}`,
            String(s.restarts.total),
          ]),
        ])
      : 'No wiki Deployments found.',
    '',
  );
  out.push(
    snapshot.applications.length
      ? formatColumns([
          ['APPLICATION', 'SYNC', 'HEALTH', 'REVISION', 'LAST SYNC', 'FINISHED'],
          ...snapshot.applications.map((a) => [
            a.name,
            a.sync,
            a.health,
            a.revision ? shortSha(a.revision) : '-',
            a.lastSync ? a.lastSync.phase : '-',
            a.lastSync?.finishedAt ? `${ago(a.lastSync.finishedAt, now)} ago` : '-',
          ]),
        ])
      : 'No Argo CD Applications of the wiki found.',
  );
  const warnings = snapshot.events.filter((e) => e.type !== 'Normal').slice(0, 10);
  if (warnings.length) {
    out.push(
      '',
      formatColumns([
        ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'],
        ...warnings.map((e) => [ago(e.lastSeen, now), e.type, e.reason, e.object, e.message]),
      ]),
    );
  }
  return out.join('\n');
}
