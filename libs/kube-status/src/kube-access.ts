import { readFileSync } from 'node:fs';
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
export function loadKubeTarget(access: KubeAccess): KubeTarget {
  const config = new KubeConfig();
  let namespace: string | undefined;
  if (access.mode === 'in-cluster') {
    config.loadFromCluster();
    namespace = readServiceAccountNamespace();
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

function readServiceAccountNamespace(): string | undefined {
  try {
    return readFileSync(`${SERVICE_ACCOUNT_DIR}/namespace`, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}
