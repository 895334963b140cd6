import { readFileSync } from 'node:fs';

/** One metric of docs/metrics.md. */
export interface ContractMetric {
  name: string;
  type: string;
  labels: string[];
  /** The services that export it, from the section of docs/metrics.md it is listed under. */
  services: string[];
}

export const SERVICE_NAMES = ['gateway', 'notes', 'media'];

/** `## Every service` → all; `## notes and media (database)` → notes, media. */
function sectionServices(heading: string): string[] {
  if (/\bevery\b/i.test(heading)) return SERVICE_NAMES;
  return SERVICE_NAMES.filter((s) => new RegExp(`\\b${s}\\b`).test(heading));
}

export interface Contract {
  metrics: Map<string, ContractMetric>;
  /** `process_*`, `nodejs_*`: prom-client's default metrics, listed by prefix. */
  prefixes: string[];
}

/** Labels every scraped series gets: `service` from the registry, the rest from the target. */
export const TARGET_LABELS = [
  'service',
  'namespace',
  'pod',
  'instance',
  'job',
  'container',
  'endpoint',
];

/** Series from other exporters the dashboards and alerts may read. */
export function isExternal(name: string): boolean {
  return /^(?:kube_|argocd_)/.test(name) || name === 'up';
}

const HISTOGRAM_SUFFIXES = ['_bucket', '_sum', '_count'];

function backticked(cell: string): string[] {
  return [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1] as string);
}

/**
 * Reads the metric tables of docs/metrics.md: first column the name(s), second the type, third
 * the labels (`name` or `name` = `value` | `value`, comma separated).
 */
export function readContract(path: string): Contract {
  const metrics = new Map<string, ContractMetric>();
  const prefixes: string[] = [];
  let services: string[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const heading = /^##\s(.*)$/.exec(line);
    if (heading) services = sectionServices(heading[1] as string);
    if (!line.startsWith('| `')) continue;
    const cells = line
      .split(/(?<!\\)\|/)
      .slice(1, -1)
      .map((c) => c.trim());
    const [nameCell = '', type = '', labelCell = ''] = cells;
    const labels = labelCell
      .split(',')
      .map((part) => backticked(part)[0])
      .filter((l): l is string => l !== undefined);
    for (const name of backticked(nameCell)) {
      if (name.endsWith('*')) prefixes.push(name.slice(0, -1));
      else metrics.set(name, { name, type, labels, services });
    }
  }
  return { metrics, prefixes };
}

/** The contract entry a series name belongs to (`foo_bucket` belongs to histogram `foo`). */
export function contractEntry(contract: Contract, name: string): ContractMetric | undefined {
  const direct = contract.metrics.get(name);
  if (direct) return direct;
  for (const suffix of HISTOGRAM_SUFFIXES) {
    if (!name.endsWith(suffix)) continue;
    const base = contract.metrics.get(name.slice(0, -suffix.length));
    if (base?.type.startsWith('histogram')) return base;
  }
  return undefined;
}

export function isDefaultMetric(contract: Contract, name: string): boolean {
  return contract.prefixes.some((prefix) => name.startsWith(prefix));
}

/** Labels a selector on `name` may use. */
export function allowedLabels(contract: Contract, name: string): Set<string> | undefined {
  const entry = contractEntry(contract, name);
  if (!entry) return undefined;
  const labels = new Set([...TARGET_LABELS, ...entry.labels]);
  if (name.endsWith('_bucket')) labels.add('le');
  return labels;
}
