// Renders Lateral's Argo CD Applications the way Argo CD's repo server does: each Application's
// chart path with its own release name, namespace, value files (relative to the chart),
// valuesObject and parameters, or a directory of plain manifests; Applications that render
// Applications (app-of-apps) are followed down to the workloads.
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { type Helm, isChart } from './helm.js';

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
  [key: string]: unknown;
}

export interface ApplicationSpec {
  project: string;
  source: {
    repoURL: string;
    targetRevision: string;
    path: string;
    helm?: {
      releaseName?: string;
      valueFiles?: string[];
      valuesObject?: Record<string, unknown>;
      parameters?: { name: string; value: string }[];
    };
    directory?: { include?: string };
  };
  destination: { server: string; namespace: string };
  syncPolicy?: {
    automated?: { prune?: boolean; selfHeal?: boolean };
    syncOptions?: string[];
    retry?: { limit?: number; backoff?: Record<string, unknown> };
  };
}

export interface RenderedApplication {
  /** The Application object itself. */
  application: K8sObject;
  /** Its rendered output as YAML (what kubeconform checks) and as objects. */
  manifests: string;
  objects: K8sObject[];
}

export function parseObjects(text: string): K8sObject[] {
  return parseAllDocuments(text)
    .map((d) => {
      if (d.errors.length) throw new Error(d.errors.map((e) => e.message).join('; '));
      return d.toJS() as K8sObject | null;
    })
    .filter((o): o is K8sObject => o !== null && typeof o === 'object');
}

export function applicationSpec(app: K8sObject): ApplicationSpec {
  return app.spec as unknown as ApplicationSpec;
}

/** Argo CD's include glob for directory apps: `*.yaml`-style patterns only. */
function matches(glob: string, name: string): boolean {
  const pattern = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${pattern}$`).test(name);
}

export class ArgoRenderer {
  constructor(
    private readonly helm: Helm,
    private readonly repoRoot: string,
  ) {}

  /** Renders one Application's source; throws with the tool's message when it fails. */
  renderSource(app: K8sObject): string {
    const spec = applicationSpec(app);
    const dir = resolve(this.repoRoot, spec.source.path);
    if (!dir.startsWith(this.repoRoot))
      throw new Error(`${app.metadata.name}: path leaves the repo`);
    if (!isChart(dir)) {
      const include = spec.source.directory?.include ?? '*';
      return readdirSync(dir)
        .filter((f) => /\.(?:ya?ml|json)$/.test(f) && matches(include, f))
        .sort()
        .map((f) => readFileSync(join(dir, f), 'utf8'))
        .join('\n---\n');
    }
    const helmSpec = spec.source.helm ?? {};
    const tmp = mkdtempSync(join(tmpdir(), 'lateral-argocd-'));
    try {
      const valueFiles = (helmSpec.valueFiles ?? []).map((f) => {
        const path = resolve(dir, f);
        // Argo CD refuses value files outside the repository.
        if (!path.startsWith(this.repoRoot)) throw new Error(`${f} leaves the repository`);
        return path;
      });
      if (helmSpec.valuesObject) {
        // valuesObject wins over valueFiles, as in Argo CD.
        const file = join(tmp, 'values-object.yaml');
        writeFileSync(file, stringify(helmSpec.valuesObject));
        valueFiles.push(file);
      }
      const built = this.helm.dependencyBuild(dir);
      if (!built.ok) throw new Error(`helm dependency build ${spec.source.path}: ${built.out}`);
      const result = this.helm.template({
        chartDir: dir,
        releaseName: helmSpec.releaseName ?? app.metadata.name,
        namespace: spec.destination.namespace,
        valueFiles,
        sets: (helmSpec.parameters ?? []).map((p) => `${p.name}=${p.value}`),
      });
      if (!result.ok) throw new Error(`${app.metadata.name}: helm template: ${result.out.trim()}`);
      return result.out;
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }

  /** The Application and everything below it (child Applications first rendered, then theirs). */
  renderTree(app: K8sObject): RenderedApplication[] {
    const manifests = this.renderSource(app);
    const objects = parseObjects(manifests);
    const rendered: RenderedApplication[] = [{ application: app, manifests, objects }];
    for (const child of objects.filter((o) => o.kind === 'Application')) {
      rendered.push(...this.renderTree(child));
    }
    return rendered;
  }
}
