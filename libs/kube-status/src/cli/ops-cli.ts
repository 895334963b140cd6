import { parseArgs } from 'node:util';
import { type KubeAccess } from '../kube-access.js';
import { KubeStatusWatcher } from '../kube-status.watcher.js';
import { formatStatus } from '../status-table.js';
import { waitForRevision } from '../wait-for-revision.js';

/** Documented in docs/ops.md; a PostSync Job and scripts branch on these. */
export const EXIT = {
  ok: 0,
  /** `wait`: the timeout passed before every Application was Synced and Healthy at the revision. */
  notReady: 1,
  usage: 2,
  /** The API is unreachable, refuses the credentials, or RBAC forbids a resource. */
  unavailable: 3,
} as const;

export const USAGE = `Usage: npm run ops -- <command> [options]

Commands:
  status                     print services, Argo CD Applications and warnings
  wait --revision <sha>      block until every wiki Application is Synced and Healthy at <sha>

Options:
  --timeout <d>              wait: give up after <d> (e.g. 90s, 10m; default 10m)
  --json                     status: print the snapshot as JSON (the API's "snapshot")
  --kubeconfig <path>        default: $KUBECONFIG or ~/.kube/config; in a pod, its ServiceAccount
  --context <name>           kubeconfig context
  --in-cluster               use the pod's ServiceAccount even if a kubeconfig exists
  --namespace <ns>           the wiki's namespace (default: the context's or the pod's)
  --argocd-namespace <ns>    where the Applications are (default: argocd)
  --selector <labels>        the wiki's Applications by label, e.g. lateral/environment=dev
                             (default: those deploying into --namespace)

Exit codes: 0 ok, 1 wait timed out (reasons printed), 2 usage, 3 API unavailable or forbidden.`;

export interface CliIo {
  env: Record<string, string | undefined>;
  out: (line: string) => void;
  err: (line: string) => void;
}

/** `90s`, `10m`, `1h` or bare seconds. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(ms|[smh])?$/.exec(text.trim());
  if (!match) return undefined;
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] ?? 's'] ?? 1000;
  return Math.round(Number(match[1]) * unit);
}

function accessFrom(
  values: { kubeconfig?: string; context?: string; 'in-cluster'?: boolean },
  env: CliIo['env'],
): KubeAccess {
  const kubeconfig = values.kubeconfig ?? env.OPS_KUBECONFIG;
  if (values['in-cluster'] || (!kubeconfig && !env.KUBECONFIG && env.KUBERNETES_SERVICE_HOST)) {
    return { mode: 'in-cluster' };
  }
  return { mode: 'kubeconfig', path: kubeconfig, context: values.context };
}

/** The whole CLI as a function of argv, so the tests run it in-process and as a process. */
export async function runOpsCli(argv: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        revision: { type: 'string' },
        timeout: { type: 'string', default: '10m' },
        json: { type: 'boolean', default: false },
        kubeconfig: { type: 'string' },
        context: { type: 'string' },
        'in-cluster': { type: 'boolean', default: false },
        namespace: { type: 'string' },
        'argocd-namespace': { type: 'string' },
        selector: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${USAGE}`);
    return EXIT.usage;
  }
  const { values, positionals } = parsed;
  const command = positionals[0];
  if (values.help) {
    io.out(USAGE);
    return EXIT.ok;
  }
  if (command !== 'status' && command !== 'wait') {
    io.err(`${command ? `unknown command "${command}"` : 'missing command'}\n\n${USAGE}`);
    return EXIT.usage;
  }
  const timeoutMs = parseDuration(values.timeout);
  if (command === 'wait' && (!values.revision || timeoutMs === undefined)) {
    io.err(`wait needs --revision <sha> and a valid --timeout\n\n${USAGE}`);
    return EXIT.usage;
  }

  let watcher: KubeStatusWatcher;
  try {
    watcher = new KubeStatusWatcher({
      access: accessFrom(values, io.env),
      namespace: values.namespace ?? io.env.OPS_NAMESPACE,
      argoCdNamespace: values['argocd-namespace'] ?? io.env.OPS_ARGOCD_NAMESPACE ?? 'argocd',
      applicationSelector: values.selector ?? io.env.OPS_ARGOCD_SELECTOR,
      podEnv: io.env,
    });
  } catch (error) {
    io.err(`cannot load Kubernetes credentials: ${(error as Error).message}`);
    return EXIT.unavailable;
  }
  watcher.start();
  try {
    if (command === 'status') {
      const synced = await watcher.whenSynced(15_000);
      const snapshot = watcher.snapshot();
      io.out(values.json ? JSON.stringify(snapshot, null, 2) : formatStatus(snapshot));
      return synced && snapshot.problems.length === 0 ? EXIT.ok : EXIT.unavailable;
    }
    const revision = values.revision as string;
    io.err(
      `waiting up to ${values.timeout} for every wiki Application to be Synced and Healthy at ${revision}`,
    );
    const outcome = await waitForRevision(watcher, revision, timeoutMs as number);
    if (outcome.ok) {
      io.out(`at ${revision}: ${outcome.applications.join(', ')} Synced and Healthy`);
      return EXIT.ok;
    }
    const reasons = outcome.reasons.map((r) => `  ${r}`).join('\n');
    if (outcome.kind === 'unavailable') {
      io.err(`cannot tell whether the wiki is at ${revision}:\n${reasons}`);
      return EXIT.unavailable;
    }
    io.err(`timed out after ${values.timeout} waiting for ${revision}:\n${reasons}`);
    return EXIT.notReady;
  } finally {
    await watcher.stop();
  }
}
