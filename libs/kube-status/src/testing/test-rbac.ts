import { type TestApiServer } from './test-api-server.js';

interface RoleDoc {
  kind?: string;
  metadata?: { name?: string; namespace?: string };
  rules?: unknown[];
}

/**
 * Creates the Roles of the chart's RBAC snippet (docs/ops-helm-rbac-snippet.yaml, parsed by
 * the caller) in the test namespaces and binds them to `user`, so the tests prove those exact
 * rules are enough. The snippet's `lateral` namespace becomes the tests' `wiki`.
 */
export async function bindRolesTo(
  server: TestApiServer,
  docs: readonly RoleDoc[],
  user: string,
): Promise<void> {
  for (const doc of docs.filter((d) => d.kind === 'Role')) {
    const namespace =
      doc.metadata?.namespace === 'lateral' ? 'wiki' : (doc.metadata?.namespace ?? 'wiki');
    const name = doc.metadata?.name ?? 'ops';
    await server.create({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name, namespace },
      rules: doc.rules,
    });
    await server.create({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name, namespace },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: user }],
    });
  }
}

/** Retries `assertion` until it passes: watch events arrive asynchronously. */
export async function eventually<T>(
  assertion: () => T | Promise<T>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await assertion();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
