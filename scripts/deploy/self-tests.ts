// Self-tests of verify:deploy: each check must be able to fail, or a green run proves nothing.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { type K8sObject } from './argocd.js';
import { type RenderedEnvironments, renderEnvironments } from './environments.js';
import { type Helm } from './helm.js';
import { ROOT } from './paths.js';
import { policyProblems } from './policy.js';

function firstDeployment(rendered: RenderedEnvironments, env: string): K8sObject | undefined {
  const apps = rendered.environments.get(env) ?? [];
  return apps.flatMap((a) => a.objects).find((o) => o.kind === 'Deployment');
}

/** A Deployment without a readiness probe and resources, on :latest, must fail the policies. */
export function policiesRejectBrokenDeployment(rendered: RenderedEnvironments): string[] {
  const deployment = firstDeployment(rendered, 'prod');
  if (!deployment) return ['no Deployment rendered for prod'];
  const broken = structuredClone(deployment);
  const container = (
    broken.spec as { template: { spec: { containers: Record<string, unknown>[] } } }
  ).template.spec.containers[0] as Record<string, unknown>;
  delete container.readinessProbe;
  delete container.resources;
  container.image = 'ghcr.io/example-org/lateral-notes:latest';
  const found = policyProblems([broken]).join('\n');
  return ['readiness probe', 'requests', 'not pinned']
    .filter((needle) => !found.includes(needle))
    .map((needle) => `policy did not report "${needle}"`);
}

/** A misspelt field in a Deployment spec must fail the strict schemas. */
export function kubeconformRejectsUnknownField(
  rendered: RenderedEnvironments,
  kubeconformProblems: (manifests: string) => string[],
): string[] {
  const deployment = firstDeployment(rendered, 'dev');
  if (!deployment) return ['no Deployment rendered for dev'];
  const broken = structuredClone(deployment) as K8sObject & { spec: Record<string, unknown> };
  broken.spec.replicaz = 3;
  return kubeconformProblems(stringify(broken)).length
    ? []
    : ['kubeconform accepted spec.replicaz'];
}

/**
 * Copies the deploy tree to a temp dir, breaks one environment's values file (a wrong type, a
 * misspelt key, a `latest` tag) and expects the Argo CD render to fail each time, with the schema's
 * message naming the value.
 */
export function brokenValuesFail(helm: Helm): string[] {
  const problems: string[] = [];
  const breakages: { name: string; edit: (v: Record<string, unknown>) => void; says: string }[] = [
    { name: 'replicaCount: "two"', edit: (v) => (v.replicaCount = 'two'), says: 'replicaCount' },
    { name: 'misspelt key replicaCout', edit: (v) => (v.replicaCout = 2), says: 'replicaCout' },
    {
      name: 'image tag latest',
      edit: (v) => (v.image = { tag: 'latest' }),
      says: 'image',
    },
  ];
  for (const breakage of breakages) {
    const copy = mkdtempSync(join(tmpdir(), 'lateral-verify-'));
    try {
      for (const dir of ['helm', 'argocd', 'deploy/envs']) {
        cpSync(join(ROOT, dir), join(copy, dir), {
          recursive: true,
          filter: (src) => !src.includes('/charts/'),
        });
      }
      const file = join(copy, 'deploy/envs/staging/notes.yaml');
      const values = parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      breakage.edit(values);
      writeFileSync(file, stringify(values));
      try {
        renderEnvironments(helm, copy);
        problems.push(`${breakage.name}: rendered without error`);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (!message.includes(breakage.says))
          problems.push(`${breakage.name}: failed without naming ${breakage.says}: ${message}`);
      }
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  }
  return problems;
}
