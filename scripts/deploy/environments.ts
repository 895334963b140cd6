// Everything Argo CD would apply for each environment, rendered from the repository.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ArgoRenderer, type K8sObject, type RenderedApplication, parseObjects } from './argocd.js';
import { type Helm } from './helm.js';

export interface BootstrapValues {
  repoURL: string;
  environments: Record<string, { enabled: boolean }>;
}

export interface RenderedEnvironments {
  bootstrap: { manifests: string; objects: K8sObject[] };
  /** Per environment: the root Application and every Application below it. */
  environments: Map<string, RenderedApplication[]>;
}

export function bootstrapValues(repoRoot: string): BootstrapValues {
  return parse(
    readFileSync(join(repoRoot, 'argocd/bootstrap/values.yaml'), 'utf8'),
  ) as BootstrapValues;
}

/** Renders argocd/bootstrap as an operator applies it, then each root Application's tree. */
export function renderEnvironments(helm: Helm, repoRoot: string): RenderedEnvironments {
  const boot = helm.template({
    chartDir: join(repoRoot, 'argocd/bootstrap'),
    releaseName: 'lateral-bootstrap',
    namespace: 'argocd',
    valueFiles: [],
    sets: [],
  });
  if (!boot.ok) throw new Error(`helm template argocd/bootstrap: ${boot.out}`);
  const objects = parseObjects(boot.out);
  const renderer = new ArgoRenderer(helm, repoRoot);
  const environments = new Map<string, RenderedApplication[]>();
  for (const root of objects.filter((o) => o.kind === 'Application')) {
    const env = root.metadata.labels?.['lateral/environment'];
    // lateral-bootstrap renders this same chart again: nothing new below it.
    if (!env) continue;
    environments.set(env, renderer.renderTree(root));
  }
  return { bootstrap: { manifests: boot.out, objects }, environments };
}
