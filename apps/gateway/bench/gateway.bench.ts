import { execSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { signIdentity } from '@lateral/identity';
import { measure, summarize, type Measured, type Summary } from './measure.js';
import { createApiToken, prng, seedPages, SEARCH_WORDS } from './seed.js';
import { BOOTSTRAP_TOKEN, INTERNAL_SECRET, ROOT, assertBuilt, startStack } from './services.js';

/**
 * `npm run bench -w apps/gateway` (after `npm run build`): what the gateway hop costs. notes,
 * media and the gateway run from their dist as their own processes against an embedded
 * PostgreSQL; 1,000 pages are created through the API; then autocannon asks for the same kind
 * of request through the gateway (bearer API token) and from notes directly (a signed identity
 * header, as the gateway sends it), one run at a time, at 1 connection (the hop's latency) and
 * 10 (under load). Writes the figures into docs/gateway.md (## Benchmark).
 * Knobs: BENCH_PAGES (1000), BENCH_SECONDS per run (3), BENCH_CONNECTIONS ("1,10"),
 * BENCH_ROUNDS (2; each round runs every target once, alternating which goes first).
 */
const PAGES = Number(process.env.BENCH_PAGES ?? 1000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const CONNECTIONS = (process.env.BENCH_CONNECTIONS ?? '1,10').split(',').map(Number);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const HOP_TARGET_MS = 2;
const docsFile = join(ROOT, 'docs/gateway.md');

type Request = { path: string; headers: Record<string, string> };

interface Target {
  label: string;
  url: string;
  next: () => Request;
}

interface Scenario {
  name: string;
  /** The first target goes through the gateway; the hop compares it with `direct`. */
  targets: Target[];
  direct?: string;
}

interface Row {
  connections: number;
  scenario: string;
  target: string;
  summary: Summary;
  hop?: number;
}

function log(message: string): void {
  process.stdout.write(`[gateway-bench] ${message}\n`);
}

/** The machine as the report states it: other work on these cores skews every figure. */
function machine(): { cpu: string; cores: number; memory: string; load: string } {
  const model = /^model name\s*:\s*(\S.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1];
  return {
    cpu: (model ?? cpus()[0]?.model ?? 'unknown CPU').trim(),
    cores: cpus().length,
    memory: `${Math.round(totalmem() / 2 ** 30)} GiB`,
    load: loadavg()
      .map((l) => l.toFixed(2))
      .join(' / '),
  };
}

function commit(): string {
  try {
    const sha = execSync('git rev-parse --short HEAD', { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execSync('git status --porcelain -- apps libs', { cwd: ROOT, encoding: 'utf8' });
    return dirty.trim() ? `${sha} (with uncommitted changes)` : sha;
  } catch {
    return 'unknown';
  }
}

/** The header is bound to each request (method, path, body), as the gateway signs it. */
function identitySigner(): (path: string) => string {
  const identity = { userId: randomUUID(), name: 'Gateway bench', role: 'reader' as const };
  return (path) => signIdentity(identity, INTERNAL_SECRET, { method: 'GET', path });
}

function scenarios(
  urls: { gateway: string; notes: string },
  slugs: string[],
  apiToken: string,
): Scenario[] {
  const random = prng(7);
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)]!;
  const identity = identitySigner();
  const viaToken = (token: string) => ({ authorization: `Bearer ${token}` });
  const direct = (path: string) => ({ path, headers: { 'x-lateral-identity': identity(path) } });
  const page = () => `/api/v1/notes/${encodeURIComponent(pick(slugs))}`;
  const search = () => `/api/v1/search?q=${encodeURIComponent(pick(SEARCH_WORDS))}`;
  return [
    {
      name: 'page JSON `GET /api/v1/notes/:slug`',
      direct: 'notes directly',
      targets: [
        {
          label: 'gateway (API token)',
          url: urls.gateway,
          next: () => ({ path: page(), headers: viaToken(apiToken) }),
        },
        {
          label: 'gateway (bootstrap token)',
          url: urls.gateway,
          next: () => ({ path: page(), headers: viaToken(BOOTSTRAP_TOKEN) }),
        },
        {
          label: 'notes directly',
          url: urls.notes,
          next: () => direct(page()),
        },
      ],
    },
    {
      name: 'search `GET /api/v1/search?q=<word>`',
      direct: 'notes directly',
      targets: [
        {
          label: 'gateway (API token)',
          url: urls.gateway,
          next: () => ({ path: search(), headers: viaToken(apiToken) }),
        },
        {
          label: 'notes directly',
          url: urls.notes,
          next: () => direct(search()),
        },
      ],
    },
    {
      name: 'page view (HTML) `GET /notes/:slug`',
      targets: [
        {
          label: 'gateway (API token)',
          url: urls.gateway,
          next: () => ({
            path: `/notes/${encodeURIComponent(pick(slugs))}`,
            headers: { ...viaToken(apiToken), accept: 'text/html' },
          }),
        },
      ],
    },
  ];
}

async function runAll(
  plan: Scenario[],
  pids: { gateway?: number; notes?: number },
): Promise<Row[]> {
  // Warm-up: JIT, connection pools, PostgreSQL's caches; not reported.
  for (const scenario of plan) {
    for (const target of scenario.targets) await measure(target.url, 10, 2, target.next);
  }
  const rows: Row[] = [];
  for (const connections of CONNECTIONS) {
    const runs = new Map<string, Measured[]>();
    for (let round = 0; round < ROUNDS; round++) {
      for (const scenario of plan) {
        // Alternate the order so a drift in the machine's load does not favour one side.
        const order = round % 2 === 0 ? scenario.targets : [...scenario.targets].reverse();
        for (const target of order) {
          const key = `${scenario.name}\n${target.label}`;
          const run = await measure(target.url, connections, SECONDS, target.next, pids);
          runs.set(key, [...(runs.get(key) ?? []), run]);
        }
      }
    }
    for (const scenario of plan) {
      const summaries = new Map(
        scenario.targets.map((t) => [
          t.label,
          summarize(runs.get(`${scenario.name}\n${t.label}`)!),
        ]),
      );
      const baseline = scenario.direct ? summaries.get(scenario.direct) : undefined;
      for (const [target, summary] of summaries) {
        const row: Row = { connections, scenario: scenario.name, target, summary };
        if (baseline && target !== scenario.direct) row.hop = summary.p50 - baseline.p50;
        rows.push(row);
        log(
          `c=${connections} ${scenario.name} — ${target}: ${summary.rps.toFixed(0)} req/s, ` +
            `p50 ${summary.p50.toFixed(2)} ms, p99 ${summary.p99.toFixed(2)} ms, ` +
            `CPU ms/req gateway ${summary.cpuMs.gateway.toFixed(2)} notes ${summary.cpuMs.notes.toFixed(2)}` +
            (row.hop === undefined ? '' : `, hop ${row.hop.toFixed(2)} ms`) +
            (summary.failures > 0 ? `, ${summary.failures} FAILED` : ''),
        );
      }
    }
  }
  return rows;
}

function table(rows: Row[]): string {
  const lines = [
    '| connections | request | served by | req/s | p50 ms | p99 ms | hop (p50 − notes p50) ms | CPU ms/req gateway / notes |',
    '| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of rows) {
    const hop = r.hop === undefined ? '' : r.hop.toFixed(2);
    lines.push(
      `| ${r.connections} | ${r.scenario} | ${r.target} | ${r.summary.rps.toFixed(0)} | ${r.summary.p50.toFixed(2)} | ${r.summary.p99.toFixed(2)} | ${hop} | ${r.summary.cpuMs.gateway.toFixed(2)} / ${r.summary.cpuMs.notes.toFixed(2)} |`,
    );
  }
  return lines.join('\n');
}

async function writeReport(body: string): Promise<void> {
  const start = '<!-- gateway-bench:start -->';
  const end = '<!-- gateway-bench:end -->';
  let doc = await readFile(docsFile, 'utf8');
  if (!doc.includes(start)) doc += `\n## Benchmark\n\n${start}\n${end}\n`;
  doc = doc.replace(new RegExp(`${start}[\\s\\S]*${end}`), `${start}\n${body}\n${end}`);
  await writeFile(docsFile, doc);
}

async function main(): Promise<void> {
  assertBuilt();
  const before = machine();
  const sha = commit();
  log(`starting PostgreSQL, notes, media, gateway (load average ${before.load})…`);
  const stack = await startStack();
  try {
    const seedStart = performance.now();
    const pages = await seedPages(stack.gateway.url, BOOTSTRAP_TOKEN, PAGES);
    const apiToken = await createApiToken(stack.gateway.url, BOOTSTRAP_TOKEN);
    const seedSeconds = (performance.now() - seedStart) / 1000;
    log(`seeded ${pages.length} pages through the API in ${seedSeconds.toFixed(0)} s`);
    const plan = scenarios(
      { gateway: stack.gateway.url, notes: stack.notes.url },
      pages.map((p) => p.slug),
      apiToken,
    );
    const rows = await runAll(plan, {
      gateway: stack.gateway.process.pid,
      notes: stack.notes.process.pid,
    });
    const after = machine();
    const worst = Math.max(...rows.map((r) => r.hop ?? -Infinity));
    const report = [
      `- Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC at commit \`${sha}\`; ` +
        `${before.cores} × ${before.cpu}, ${before.memory}, Node ${process.version}, ` +
        `PostgreSQL ${stack.postgresKind}; load average ${before.load} before the run, ` +
        `${after.load} after (1 / 5 / 15 min).`,
      `- ${pages.length.toLocaleString('en')} pages created through the API (${seedSeconds.toFixed(0)} s); ${SECONDS} s ` +
        `per run, ${ROUNDS} rounds per target pooled; every request a random page or word.`,
      `- Largest hop: **${worst.toFixed(2)} ms p50** (target ≤ ${HOP_TARGET_MS} ms).`,
      '',
      table(rows),
    ].join('\n');
    await writeReport(report);
    process.stdout.write(`\n${report}\n`);
    if (rows.some((r) => r.summary.failures > 0)) {
      log(`some requests failed; the services' logs are in ${stack.logDir}`);
      process.exitCode = 1;
    }
  } finally {
    await stack.stop();
  }
}

await main();
