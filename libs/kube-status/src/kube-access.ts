import { existsSync, readFileSync } from 'node:fs';
import { isIPv6 } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';

/** How the view reaches the Kubernetes API. */
export type KubeAccess =
  | { mode: 'in-cluster' }
  /** `path` unset: `$KUBECONFIG` or `~/.kube/config`, as kubectl does. */
  | { mode: 'kubeconfig'; path?: string | undefined; context?: string | undefined };

export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

export interface KubeTarget {
  config: KubeConfig;
  /** The namespace of the pod (in-cluster) or of the kubeconfig context, else `default`. */
  namespace: string;
  server: string;
}

/**
 * Loads the credentials. In a pod, the ServiceAccount's projected token is re-read by the
 * client on expiry; out of cluster, whatever the kubeconfig says (token, client cert, exec).
 * Throws when the kubeconfig is missing or names an unknown context.
 */
export function loadKubeTarget(
  access: KubeAccess,
  env: Record<string, string | undefined> = process.env,
  serviceAccountDir = SERVICE_ACCOUNT_DIR,
): KubeTarget {
  const config = new KubeConfig();
  let namespace: string | undefined;
  if (access.mode === 'in-cluster') {
    // The client would only fail at the first request, with a file or DNS error; say why now.
    if (!env.KUBERNETES_SERVICE_HOST || !env.KUBERNETES_SERVICE_PORT) {
      throw new Error('not running in a pod: KUBERNETES_SERVICE_HOST/PORT are not set');
    }
    if (!existsSync(`${serviceAccountDir}/token`)) {
      throw new Error(
        `no ServiceAccount token at ${serviceAccountDir}/token (is automountServiceAccountToken false?)`,
      );
    }
    namespace = readServiceAccountNamespace(serviceAccountDir);
    // What KubeConfig.loadFromCluster() does, from the given environment and directory.
    const host = env.KUBERNETES_SERVICE_HOST;
    config.loadFromOptions({
      clusters: [
        {
          name: 'in-cluster',
          server: `https://${isIPv6(host) ? `[${host}]` : host}:${env.KUBERNETES_SERVICE_PORT}`,
          caFile: `${serviceAccountDir}/ca.crt`,
          skipTLSVerify: false,
        },
      ],
      users: [
        {
          name: 'service-account',
          // Re-read on expiry: projected tokens rotate (about hourly).
          authProvider: { name: 'tokenFile', config: { tokenFile: `${serviceAccountDir}/token` } },
        },
      ],
      contexts: [{ name: 'in-cluster', cluster: 'in-cluster', user: 'service-account', namespace }],
      currentContext: 'in-cluster',
    });
  } else {
    if (access.path) config.loadFromFile(access.path);
    else config.loadFromDefault();
    if (access.context) {
      if (!config.getContextObject(access.context)) {
        throw new Error(`kubeconfig has no context named "${access.context}"`);
      }
      config.setCurrentContext(access.context);
    }
    namespace = config.getContextObject(config.getCurrentContext())?.namespace;
  }
  const server = config.getCurrentCluster()?.server;
  if (!server) throw new Error('the kubeconfig names no cluster for its current context');
  return { config, namespace: namespace || 'default', server };
}

function readServiceAccountNamespace(dir: string): string | undefined {
  try {
    return readFileSync(`${dir}/namespace`, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}
