/**
 * `--exported`: the metrics the dashboards and alerts read really come out of the services.
 * Boots the built services (one process each, as in their containers) against a real
 * PostgreSQL, drives a session of use through the gateway, scrapes every /metrics and checks
 * that each metric is there, with samples, on the services docs/metrics.md says export it, and
 * that the samples carry the labels the queries select and group by; and that every metric
 * docs/metrics.md lists is registered by the services it names.
 */
import { join } from 'node:path';
import { Stack } from '../test/stack/stack.js';
import { driveTraffic } from '../test/stack/traffic.js';
import {
  SERVICE_NAMES,
  TARGET_LABELS,
  contractEntry,
  isDefaultMetric,
  isExternal,
  readContract,
  type Contract,
} from './lib/contract.js';
import { isDeclared, parseExposition, type Scrape } from './lib/exposition.js';
import { groupingLabels, metricNames, selectors } from './lib/promql.js';
import {
  ROOT,
  dashboardExpressions,
  readRules,
  ruleExpressions,
  type Expression,
} from './lib/sources.js';

/** Labels Prometheus adds from the target; the process itself does not export them. */
const SCRAPE_LABELS = new Set(TARGET_LABELS.filter((l) => l !== 'service'));

/** Service → series → the labels the queries need on it. */
export type Expected = Map<string, Map<string, Set<string>>>;

export function expectedMetrics(
  contract: Contract,
  expressions: Expression[],
  recorded: Set<string>,
): Expected {
  const expected: Expected = new Map(SERVICE_NAMES.map((s) => [s, new Map<string, Set<string>>()]));
  const need = (service: string, series: string, labels: string[]) => {
    const entry = expected.get(service)?.get(series) ?? new Set<string>();
    for (const l of labels) if (!SCRAPE_LABELS.has(l)) entry.add(l);
    expected.get(service)?.set(series, entry);
  };
  for (const { expr, service } of expressions) {
    const names = [...metricNames(expr)].filter((n) => !isExternal(n) && !recorded.has(n));
    const grouping = names.length === 1 ? groupingLabels(expr) : [];
    for (const name of names) {
      const labels = [
        ...selectors(expr)
          .filter((s) => s.metric === name)
          .flatMap((s) => s.labels),
        ...grouping.filter((l) => l !== 'le' || name.endsWith('_bucket')),
      ];
      const services =
        contractEntry(contract, name)?.services ??
        (isDefaultMetric(contract, name) ? (service ? [service] : SERVICE_NAMES) : []);
      for (const s of services) need(s, name, labels);
    }
  }
  return expected;
}

/** What a scrape lacks: undeclared metrics, declared ones without samples, missing labels. */
export function compareScrape(
  service: string,
  scrape: Scrape,
  needs: Map<string, Set<string>>,
): string[] {
  const errors: string[] = [];
  for (const [series, labels] of needs) {
    const seen = scrape.samples.get(series);
    if (!seen) {
      errors.push(
        isDeclared(scrape, series)
          ? `${service}: ${series} is registered but had no samples after the traffic`
          : `${service}: ${series} is not exported`,
      );
      continue;
    }
    for (const label of labels) {
      if (!seen.has(label)) errors.push(`${service}: ${series} has no label "${label}"`);
    }
  }
  return errors;
}

/** The other direction: every metric docs/metrics.md promises is registered by its services. */
export function checkContractExported(
  contract: Contract,
  service: string,
  scrape: Scrape,
): string[] {
  const errors: string[] = [];
  for (const metric of contract.metrics.values()) {
    if (metric.services.includes(service) && !isDeclared(scrape, metric.name))
      errors.push(`${service}: docs/metrics.md lists ${metric.name}, which it does not export`);
  }
  return errors;
}

async function scrape(url: string): Promise<Scrape> {
  const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
  return parseExposition(await res.text());
}

export async function checkExportedMetrics(): Promise<string[]> {
  const contract = readContract(join(ROOT, 'docs/metrics.md'));
  const recorded = new Set(readRules().flatMap((r) => (r.record ? [r.record] : [])));
  const expected = expectedMetrics(
    contract,
    [...dashboardExpressions(), ...ruleExpressions()],
    recorded,
  );

  const errors: string[] = [];
  // A login limit of 3 a minute lets the failed sign-ins at the end trip the rate limiter.
  let stack: Stack;
  try {
    stack = await Stack.start({
      allowMissing: true,
      env: { gateway: { RATE_LIMIT_LOGIN_PER_MINUTE: '3' } },
    });
  } catch (error) {
    return [`the stack did not start: ${error instanceof Error ? error.message : String(error)}`];
  }
  try {
    for (const service of stack.missing) {
      const count = expected.get(service)?.size ?? 0;
      errors.push(
        `NOT CHECKED: ${service} is not built (apps/${service}/dist/main.js), so none of its ` +
          `${count} metrics were scraped`,
      );
    }
    const traffic = await driveTraffic(stack.gatewayUrl);
    errors.push(...traffic.failures.map((f) => `traffic: ${f}`));
    // Let the gateway's async work (upstream timing, pool gauges) settle before scraping.
    await new Promise((r) => setTimeout(r, 200));
    for (const service of stack.present) {
      for (const replica of stack.replicas[service]) {
        const needs = expected.get(service) ?? new Map<string, Set<string>>();
        const scraped = await scrape(replica.metricsUrl);
        errors.push(...compareScrape(service, scraped, needs));
        errors.push(...checkContractExported(contract, service, scraped));
      }
    }
    if (errors.length > 0) {
      stack.keepLogs = true;
      errors.push(`service logs: ${stack.logDir}`);
    }
    const checked = stack.present.map((s) => `${s} ${expected.get(s)?.size ?? 0}`).join(', ');
    console.log(`     scraped series per service: ${checked}`);
  } finally {
    await stack.stop();
  }
  return errors;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const errors = await checkExportedMetrics();
  for (const error of errors) console.log(error);
  process.exit(errors.length > 0 ? 1 : 0);
}
