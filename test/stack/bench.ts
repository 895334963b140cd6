/**
 * `npm run bench`: the whole stack on this machine (PostgreSQL, notes, media, gateway as their
 * own processes, as in production) under a wiki's mix of traffic through the gateway:
 * 80% page views (the server-rendered page), 10% searches, 5% edits, 5% image fetches.
 * Closed-loop clients at rising concurrency; the headline is the highest throughput whose p99
 * stays under 100 ms with no errors. Writes docs/benchmarks.md and bench-results/stack.json.
 *
 *   npm run bench -- --seconds 10 --levels 1,2,4,8,16,32 --pages 200 --images 20
 *   npm run bench -- --mix view=1 --no-docs     (one kind of request alone, to see its cost)
 *   npm run bench -- --compare main~3           (that commit's build, then this one's, same session)
 */
import { execFileSync, execSync, spawnSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { WikiClient, samplePng, type NoteRef, type Reply } from './client.js';
import { DIST_ROOT, ROOT, SERVICES, type ServiceName } from './service-process.js';
import { Stack } from './stack.js';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    levels: { type: 'string', default: '1,2,4,8,16,32' },
    pages: { type: 'string', default: '200' },
    images: { type: 'string', default: '20' },
    mix: { type: 'string', default: 'view=80,search=10,edit=5,image=5' },
    'no-docs': { type: 'boolean', default: false },
    /** A git revision: its build runs through the same bench first, then this checkout's. */
    compare: { type: 'string' },
    /** With --compare: a revision to compare against instead of this checkout's working tree. */
    against: { type: 'string' },
    /** Where the raw figures go (default bench-results/stack.json). */
    out: { type: 'string', default: 'bench-results/stack.json' },
  },
});
const SECONDS = Number(args.seconds);
const LEVELS = args.levels.split(',').map(Number);
const PAGES = Number(args.pages);
const IMAGES = Number(args.images);
const P99_TARGET_MS = 100;
const ALONE_CLIENTS = 4;
const aloneSeconds = () => Math.max(5, Math.round(SECONDS / 2));

const OPS = ['view', 'search', 'edit', 'image'] as const;
type Op = (typeof OPS)[number];

function parseMix(text: string): [Op, number][] {
  const parts = text.split(',').map((part) => {
    const [op, weight] = part.split('=');
    if (!OPS.includes(op as Op) || !(Number(weight) > 0))
      throw new Error(`--mix: "${part}" is not <${OPS.join('|')}>=<weight>`);
    return [op as Op, Number(weight)] as [Op, number];
  });
  const total = parts.reduce((sum, [, weight]) => sum + weight, 0);
  return parts.map(([op, weight]) => [op, weight / total]);
}
const MIX = parseMix(args.mix);
const DEFAULT_MIX = args.mix === 'view=80,search=10,edit=5,image=5';
const WORDS = ['deploy', 'database', 'runbook', 'incident', 'review', 'kubernetes', 'search'];

interface Level {
  concurrency: number;
  requests: number;
  errors: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  byOp: Record<Op, { count: number; p99: number }>;
  /** CPU time each service's process used per request (ms), from /proc. */
  cpuMsPerRequest: Record<ServiceName, number>;
  errorSamples: string[];
}

/** User + system CPU seconds a process has used (Linux /proc; 100 ticks a second). */
function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

function serviceCpu(stack: Stack): Record<ServiceName, number> {
  const cpu = { notes: 0, media: 0, gateway: 0 };
  for (const service of SERVICES) {
    for (const replica of stack.replicas[service]) cpu[service] += cpuSeconds(replica.pid);
  }
  return cpu;
}

function pick<T>(items: T[]): T {
  return items[Math.floor(Math.random() * items.length)] as T;
}

function pickOp(mix: [Op, number][]): Op {
  let r = Math.random();
  for (const [op, weight] of mix) {
    if ((r -= weight) < 0) return op;
  }
  return (mix[mix.length - 1] as [Op, number])[0];
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

const round = (ms: number) => Math.round(ms * 10) / 10;

function pageBody(i: number): string {
  const words = Array.from({ length: 250 }, () => pick(WORDS)).join(' ');
  return `# Page ${i}\n\nSee [[Page ${(i + 1) % PAGES}]] and [[Page ${(i + 7) % PAGES}]].\n\n${words}\n\n- one\n- two\n\n\`\`\`sh\nkubectl get pods\n\`\`\`\n`;
}

async function seed(client: WikiClient): Promise<{ notes: NoteRef[]; images: string[] }> {
  const notes: NoteRef[] = [];
  for (let i = 0; i < PAGES; i += 1) {
    notes.push(await client.createNote(`Page ${i}`, pageBody(i), [pick(WORDS)]));
  }
  const images: string[] = [];
  for (let i = 0; i < IMAGES; i += 1) {
    images.push((await client.uploadImage(await samplePng(800 + i * 8, 600))).id);
  }
  return { notes, images };
}

async function runLevel(
  stack: Stack,
  client: WikiClient,
  data: { notes: NoteRef[]; images: string[] },
  concurrency: number,
  seconds: number,
  mix = MIX,
): Promise<Level> {
  const samples: Record<Op, number[]> = { view: [], search: [], edit: [], image: [] };
  const errors: string[] = [];
  const deadline = performance.now() + seconds * 1000;
  const call = (op: Op, worker: number): Promise<Reply> => {
    switch (op) {
      case 'view':
        return client.call('GET', `/notes/${pick(data.notes).slug}`);
      case 'search':
        return client.call('GET', `/api/v1/search?q=${pick(WORDS)}`);
      case 'image':
        return client.call('GET', `/api/v1/media/${pick(data.images)}?w=640&format=webp`);
      case 'edit': {
        // Each worker edits its own pages, so the mix measures saves, not conflicts.
        const owned = data.notes.filter((_, i) => i % concurrency === worker);
        const note = pick(owned.length > 0 ? owned : data.notes);
        return client.updateNote(note, `${pageBody(0)}\nEdited at ${Date.now()}.`).then((res) => {
          if (res.status === 200) note.version = res.json<NoteRef>().version;
          return res;
        });
      }
    }
  };
  const worker = async (id: number) => {
    while (performance.now() < deadline) {
      const op = pickOp(mix);
      const start = performance.now();
      try {
        const res = await call(op, id);
        if (res.status >= 400) errors.push(`${op} ${res.status}`);
      } catch (error) {
        errors.push(`${op} ${error instanceof Error ? error.message : String(error)}`);
      }
      samples[op].push(performance.now() - start);
    }
  };
  const started = performance.now();
  const cpuBefore = serviceCpu(stack);
  await Promise.all(Array.from({ length: concurrency }, (_, i) => worker(i)));
  const cpuAfter = serviceCpu(stack);
  const elapsed = (performance.now() - started) / 1000;
  const all = Object.values(samples)
    .flat()
    .sort((a, b) => a - b);
  const byOp = Object.fromEntries(
    (Object.keys(samples) as Op[]).map((op) => {
      const sorted = [...samples[op]].sort((a, b) => a - b);
      return [op, { count: sorted.length, p99: round(percentile(sorted, 99)) }];
    }),
  ) as Level['byOp'];
  return {
    concurrency,
    requests: all.length,
    errors: errors.length,
    rps: Math.round(all.length / elapsed),
    p50: round(percentile(all, 50)),
    p95: round(percentile(all, 95)),
    p99: round(percentile(all, 99)),
    byOp,
    cpuMsPerRequest: Object.fromEntries(
      SERVICES.map((s) => [s, round(((cpuAfter[s] - cpuBefore[s]) * 1000) / all.length)]),
    ) as Record<ServiceName, number>,
    errorSamples: [...new Set(errors)].slice(0, 5),
  };
}

function machine(): string {
  const cpu = cpus();
  return `${cpu.length} × ${cpu[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

function gitSha(): string {
  try {
    const sha = execSync('git rev-parse --short HEAD', { cwd: DIST_ROOT, encoding: 'utf8' }).trim();
    const dirty = execSync('git status --porcelain --untracked-files=no', {
      cwd: DIST_ROOT,
      encoding: 'utf8',
    }).trim();
    return dirty ? `${sha} + uncommitted changes` : sha;
  } catch {
    return 'unknown';
  }
}

/** The 1-minute load average before the run: other work on the machine skews the figures. */
const LOAD_BEFORE = loadavg()[0]?.toFixed(1) ?? '?';

/** Milliseconds from each service's process start (from dist/) to its first /readyz 200. */
type Startup = Record<ServiceName, number>;
const STARTUP_TARGET_MS = 2000;

function startupLine(startup: Startup): string {
  const each = SERVICES.map((s) => `${s} ${Math.round(startup[s])} ms`).join(', ');
  const over = SERVICES.filter((s) => !(startup[s] <= STARTUP_TARGET_MS));
  return `Start-up (process start from \`dist/\` to the first \`/readyz\` 200, all three starting together): ${each}; ${over.length === 0 ? `each within ${STARTUP_TARGET_MS} ms` : `over ${STARTUP_TARGET_MS} ms: ${over.join(', ')}`}.`;
}

function report(
  levels: Level[],
  best: Level | undefined,
  alone: Record<Op, Level>,
  seedSeconds: number,
  startup: Startup,
): string {
  const aloneRows = OPS.map((op) => {
    const l = alone[op];
    return `| ${op} | ${l.rps} | ${l.p50} | ${l.p99} | ${l.cpuMsPerRequest.gateway} / ${l.cpuMsPerRequest.notes} / ${l.cpuMsPerRequest.media} |`;
  });
  const rows = levels.map(
    (l) =>
      `| ${l.concurrency} | ${l.rps} | ${l.p50} | ${l.p95} | ${l.p99} | ${l.byOp.view.p99} | ${l.byOp.search.p99} | ${l.byOp.edit.p99} | ${l.byOp.image.p99} | ${l.errors} | ${l.cpuMsPerRequest.gateway} / ${l.cpuMsPerRequest.notes} / ${l.cpuMsPerRequest.media} |`,
  );
  const headline = best
    ? `**${best.rps} req/s sustained with p99 ${best.p99} ms** (${best.concurrency} concurrent clients, no errors).`
    : `**No level kept p99 under ${P99_TARGET_MS} ms without errors** on this run.`;
  return `# Benchmarks

\`npm run bench\` runs the whole stack on one machine: an embedded PostgreSQL, then notes, media
and the gateway as their own processes from the built \`dist/\` (one replica each, production
defaults, info-level JSON logs), each behind a local TCP balancer, and closed-loop clients
(undici, keep-alive) sending a wiki's mix through the gateway:

| share | request |
| --- | --- |
| 80% | page view: the server-rendered page \`GET /notes/:slug\` (gateway renders the markdown fetched from notes) |
| 10% | search: \`GET /api/v1/search?q=<word>\` (full text, ranked, with snippets) |
| 5% | edit: \`PUT /api/v1/notes/:id\` with the version read (each client edits its own pages) |
| 5% | image: \`GET /api/v1/media/:id?w=640&format=webp\` (a stored variant) |

Data: ${PAGES} pages (~2 KB of markdown with links, code and a list) and ${IMAGES} images, created
through the API before the run (${seedSeconds} s). Each level runs ${SECONDS} s; the headline is
the highest throughput whose overall p99 stays under ${P99_TARGET_MS} ms with no errors.

## Result

${headline}

| clients | req/s | p50 ms | p95 ms | p99 ms | view p99 | search p99 | edit p99 | image p99 | errors | CPU ms/req gateway / notes / media |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
${rows.join('\n')}

Each kind of request alone (${ALONE_CLIENTS} clients, ${aloneSeconds()} s each), to see what it costs:

| request | req/s | p50 ms | p99 ms | CPU ms/req gateway / notes / media |
| --- | --- | --- | --- | --- |
${aloneRows.join('\n')}

${startupLine(startup)}

Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC at commit \`${gitSha()}\` on
${machine()}; 1-minute load average ${LOAD_BEFORE} before the run.

## Reading it

- Everything shares the same cores: PostgreSQL, three Node processes, the balancers and the load
  generator itself. In a cluster each service has its own CPU, so these figures are a floor for
  one replica each, not a capacity plan. Other work on the machine during the run (a build, a
  test suite) shows as noise; compare runs on an idle machine.
- The CPU column is each service's process time per request of the mix (PostgreSQL's is not
  counted): the cost that sizes CPU requests and the HPA, independent of queueing.
- Past the knee, more clients only add queueing: throughput stays flat and p99 climbs. Scale out
  (replicas, HPA on CPU) rather than raising the client count.
- Reproduce: \`npm run build && npm run bench\` (options: \`--seconds\`, \`--levels\`, \`--pages\`,
  \`--images\`, \`--mix view=1\`, \`--no-docs\` to leave this file alone). Raw figures go to
  \`bench-results/stack.json\`.
- Against an earlier commit: \`npm run bench -- --compare <rev>\` checks the revision out in a
  git worktree under \`.cache/bench-worktrees/\` (its \`node_modules\` linked to this checkout's, its
  own \`@lateral/*\` libraries), builds it, runs this same benchmark on its \`dist/\` and then on
  this checkout's, one after the other, and adds the comparison below (raw figures in
  \`bench-results/stack-<rev>.json\` and \`stack-current.json\`; \`--against <rev>\` runs a second revision instead of this
  checkout's working tree). Both runs share the machine's
  load of the moment, so run it on a quiet machine.
`;
}

async function main(): Promise<void> {
  if (args.compare) return compare(args.compare);
  const stack = await Stack.start();
  const startup = Object.fromEntries(
    SERVICES.map((s) => [s, stack.replicas[s][0]?.readyAfterMs ?? NaN]),
  ) as Startup;
  console.log(startupLine(startup));
  const client = new WikiClient(stack.gatewayUrl, undefined, Math.max(...LEVELS));
  try {
    const seedStart = performance.now();
    const data = await seed(client);
    const seedSeconds = Math.round((performance.now() - seedStart) / 1000);
    console.log(`seeded ${PAGES} pages and ${IMAGES} images in ${seedSeconds} s`);
    await runLevel(stack, client, data, 4, Math.min(5, SECONDS)); // warm-up: JIT, caches, pools
    const levels: Level[] = [];
    for (const concurrency of LEVELS) {
      const level = await runLevel(stack, client, data, concurrency, SECONDS);
      levels.push(level);
      console.log(
        `${String(concurrency).padStart(3)} clients: ${level.rps} req/s, p50 ${level.p50} ms, ` +
          `p99 ${level.p99} ms, errors ${level.errors} ${level.errorSamples.join('; ')}`,
      );
    }
    const passing = levels.filter((l) => l.p99 < P99_TARGET_MS && l.errors === 0);
    const best = passing.sort((a, b) => b.rps - a.rps)[0];
    console.log(
      best
        ? `sustained ${best.rps} req/s at p99 ${best.p99} ms (${best.concurrency} clients)`
        : `no level kept p99 < ${P99_TARGET_MS} ms without errors`,
    );
    const alone = {} as Record<Op, Level>;
    if (DEFAULT_MIX) {
      for (const op of OPS) {
        alone[op] = await runLevel(stack, client, data, ALONE_CLIENTS, aloneSeconds(), [[op, 1]]);
        console.log(`${op} alone: ${alone[op].rps} req/s, p99 ${alone[op].p99} ms`);
      }
    }
    mkdirSync(join(ROOT, 'bench-results'), { recursive: true });
    const commit = gitSha();
    const load = LOAD_BEFORE;
    writeFileSync(
      resolve(ROOT, args.out),
      `${JSON.stringify({ machine: machine(), commit, load, startup, levels, best, alone }, null, 2)}\n`,
    );
    // docs/benchmarks.md describes the wiki mix; other mixes only go to bench-results/.
    if (!args['no-docs'] && DEFAULT_MIX) {
      // The comparison section (its table and the words written about it) is kept: a compare
      // run rewrites only its table, after this.
      const file = join(ROOT, 'docs/benchmarks.md');
      const previous = existsSync(file) ? readFileSync(file, 'utf8') : '';
      const compared = previous.indexOf(`\n${COMPARED_HEADING}`);
      writeFileSync(
        file,
        report(levels, best, alone, seedSeconds, startup) +
          (compared >= 0 ? previous.slice(compared) : ''),
      );
    }
    if ([...levels, ...Object.values(alone)].some((l) => l.errors > 0)) process.exitCode = 1;
  } finally {
    await client.close();
    await stack.stop();
  }
}

interface BenchJson {
  commit: string;
  load: string;
  startup?: Startup;
  best?: Level;
  alone: Partial<Record<Op, Level>>;
}

/**
 * A worktree of `rev` whose node_modules is this checkout's, except `@lateral/*`, which point
 * to the worktree's own libraries (so the revision runs with its own code throughout).
 */
function worktree(rev: string): { dir: string; sha: string } {
  const sha = execFileSync('git', ['rev-parse', '--short', rev], {
    cwd: ROOT,
    encoding: 'utf8',
  }).trim();
  const dir = join(ROOT, '.cache/bench-worktrees', sha);
  if (!existsSync(dir)) {
    mkdirSync(dirname(dir), { recursive: true });
    execFileSync('git', ['worktree', 'add', '--detach', dir, sha], { cwd: ROOT, stdio: 'inherit' });
  }
  const modules = join(ROOT, 'node_modules');
  const linked = join(dir, 'node_modules');
  if (!existsSync(linked)) {
    mkdirSync(join(linked, '@lateral'), { recursive: true });
    for (const entry of readdirSync(modules)) {
      if (entry === '@lateral') continue;
      symlinkSync(join(modules, entry), join(linked, entry));
    }
    for (const name of readdirSync(join(modules, '@lateral'))) {
      // e.g. ../../libs/identity: the same place inside the worktree.
      const target = resolve(
        join(modules, '@lateral'),
        readlinkSync(join(modules, '@lateral', name)),
      );
      const inside = join(dir, relative(ROOT, target));
      symlinkSync(inside, join(linked, '@lateral', name));
    }
    for (const app of SERVICES) {
      const nested = join(ROOT, 'apps', app, 'node_modules');
      if (existsSync(nested) && !existsSync(join(dir, 'apps', app, 'node_modules')))
        symlinkSync(nested, join(dir, 'apps', app, 'node_modules'));
    }
  }
  return { dir, sha };
}

function build(dir: string): void {
  execFileSync(
    process.execPath,
    [join(ROOT, 'node_modules/typescript/bin/tsc'), '-b', 'tsconfig.build.json'],
    {
      cwd: dir,
      stdio: 'inherit',
    },
  );
}

const COMPARED_HEADING = '## Compared with an earlier commit';

/** `--compare REF`: the revision's build, then this checkout's, through this same benchmark. */
function compare(rev: string): void {
  const { dir, sha } = worktree(rev);
  // This checkout's working tree, or a second revision (a tree with others' work in progress
  // may not build, and a revision says exactly what was measured).
  const current = args.against ? worktree(args.against) : { dir: ROOT, sha: 'current' };
  console.log(`building ${sha} and ${current.sha}…`);
  build(dir);
  build(current.dir);
  const options = new Set(['--compare', '--against', '--out']);
  const passOn = process.argv
    .slice(2)
    .filter((a, i, all) => !options.has(a) && !options.has(all[i - 1] ?? ''));
  // The revision's figures stay out of docs/benchmarks.md; this checkout's go there as usual.
  const runs = [
    { label: sha, distRoot: dir, docs: ['--no-docs'] },
    { label: current.sha, distRoot: current.dir, docs: [] },
  ];
  const results: BenchJson[] = [];
  for (const run of runs) {
    const out = `bench-results/stack-${run.label}.json`;
    console.log(`\n=== ${run.label} (${run.distRoot}) ===`);
    const child = spawnSync(
      process.execPath,
      [
        '--import',
        './scripts/ts-register.mjs',
        'test/stack/bench.ts',
        ...passOn,
        ...run.docs,
        '--out',
        out,
      ],
      { cwd: ROOT, stdio: 'inherit', env: { ...process.env, LATERAL_DIST_ROOT: run.distRoot } },
    );
    if (child.status !== 0) process.exitCode = 1;
    results.push(JSON.parse(readFileSync(join(ROOT, out), 'utf8')) as BenchJson);
  }
  const [before, after] = results as [BenchJson, BenchJson];
  const cpu = (l: Level | undefined) =>
    l
      ? `${l.cpuMsPerRequest.gateway} / ${l.cpuMsPerRequest.notes} / ${l.cpuMsPerRequest.media}`
      : '–';
  const row = (name: string, b: BenchJson) =>
    `| ${name} (\`${b.commit}\`, load ${b.load}) | ${b.best?.rps ?? '–'} | ${b.best?.p99 ?? '–'} | ${b.best?.concurrency ?? '–'} | ${cpu(b.alone.view)} | ${b.alone.search?.rps ?? '–'} | ${b.startup ? SERVICES.map((s) => Math.round(b.startup![s])).join(' / ') : '–'} |`;
  const ratio = before.best && after.best ? (after.best.rps / before.best.rps).toFixed(2) : '–';
  const table = [
    `Sustained throughput (p99 < ${P99_TARGET_MS} ms, no errors), same session: **${ratio}×** (${after.best?.rps ?? '–'} vs ${before.best?.rps ?? '–'} req/s).`,
    '',
    '| build | sustained req/s | p99 ms | clients | view alone: CPU ms/req gateway / notes / media | search alone req/s | start-up ms notes / media / gateway |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    row('before', before),
    row('after', after),
  ].join('\n');
  console.log(`\n${table}`);
  writeFileSync(join(ROOT, 'bench-results/compare.md'), `${table}\n`);
  if (!args['no-docs'] && DEFAULT_MIX) {
    const file = join(ROOT, 'docs/benchmarks.md');
    const start = '<!-- compare:start -->';
    const end = '<!-- compare:end -->';
    let doc = readFileSync(file, 'utf8');
    if (!doc.includes(start)) doc += `\n${COMPARED_HEADING}\n\n${start}\n${end}\n`;
    doc = doc.replace(new RegExp(`${start}[\\s\\S]*${end}`), `${start}\n${table}\n${end}`);
    writeFileSync(file, doc);
  }
}

await main();
