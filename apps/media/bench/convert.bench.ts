// One measurement procedure as its own process, like media.bench.ts (shared parts: harness.ts).
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, freePort, startPostgresServer, startS3Server } from '@lateral/testing';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import pg from 'pg';
import sharp from 'sharp';
import { runMigrations } from '../src/database/data-source.js';
import { encode, VARIANT_WEBP } from '../src/images/encoders.js';
import { benchFixtures, distinctJpeg } from './fixtures.js';
import {
  SERVICE_ENV,
  fetchVariant,
  log,
  mb,
  measure,
  percentile,
  root,
  startService,
  stopService,
  uploader,
  writeDocsBlock,
  type Measured,
  type Row,
} from './harness.js';

/**
 * `npm run bench:convert -w apps/media`: the same task through media's HTTP and with sharp
 * in-process, in one run: a 12 MP (4000×3000) JPEG to a 1280 px and a 1600 px WebP (quality 78,
 * media's variant settings), every request converting, at 1, 2 and 4 connections. Media
 * (dist/main.js, its own process) runs on bytea and on s3 (versitygw on loopback), each on its
 * own database of one embedded PostgreSQL. Every media request asks a distinct stored original
 * for a variant it does not have yet: the uploads' eager 1600 px WebP rows are deleted before
 * measuring, and the service's own conversion counter must grow by one per request, or the run
 * fails. sharp converts the uploaded file from memory with its defaults. Each level alternates
 * sharp and media in two rounds (a shared machine's load drifts). Figures and the load
 * average go to docs/media.md (convert-bench). Knobs: BENCH_STORES (bytea,s3), BENCH_SCALE (1:
 * multiplies the requests per level), BENCH_IMGPROXY_BIN (an imgproxy binary the bench starts
 * and asks the same task, the original from a local file and, with s3, from the same versitygw
 * media uses), BENCH_IMGPROXY_URL (one started by hand: the local file only).
 */
const WIDTHS = [1280, 1600] as const;
const LEVELS = [1, 2, 4] as const;
const SCALE = Number(process.env.BENCH_SCALE ?? 1);
/** Each level's requests are split into rounds that alternate the sides (below). */
const ROUNDS = 2;
/** Requests per level: whole rounds of whole batches of `level` concurrent requests. */
const REQUESTS: Record<(typeof LEVELS)[number], number> = {
  1: ROUNDS * Math.ceil(4 * SCALE),
  2: ROUNDS * 2 * Math.ceil(3 * SCALE),
  4: ROUNDS * 4 * Math.ceil(2 * SCALE),
};
const STORES = (process.env.BENCH_STORES ?? 'bytea,s3')
  .split(',')
  .map((s) => s.trim())
  .filter((s): s is 'bytea' | 's3' => s === 'bytea' || s === 's3');
type Store = (typeof STORES)[number];
/**
 * An imgproxy to ask the same task of (not started here: docs/media.md says how to build and run
 * it), e.g. http://127.0.0.1:8089, serving apps/media/.cache/bench as its local filesystem root.
 */
const IMGPROXY_URL = process.env.BENCH_IMGPROXY_URL
  ? new URL(process.env.BENCH_IMGPROXY_URL).origin
  : undefined;
const IMGPROXY_BIN = process.env.BENCH_IMGPROXY_BIN;
const FIXTURE = 'photo-12mp.jpg';

/**
 * Where imgproxy reads the original: a file of its local filesystem (its best case), or the
 * object store media on s3 reads from (how it would run beside a wiki in a cluster: its pods
 * have no originals on disk).
 */
type ImgproxySource = 'local file' | 's3';
interface ImgproxyUnderTest {
  base: string;
  sources: Map<ImgproxySource, string>;
}

/** One job per core, as the container's default of 2 is for 2 cores. */
const CONCURRENCY = String(Math.max(2, availableParallelism()));

interface MediaUnderTest {
  store: Store;
  url: string;
  metricsUrl: string;
  ids: string[];
  stop: () => Promise<void>;
}

/** Conversions to WebP the service has counted (lateral_media_images_processed_total). */
async function webpConversions(metricsUrl: string): Promise<number> {
  const text = await (await fetch(metricsUrl)).text();
  return text
    .split('\n')
    .filter(
      (l) =>
        l.startsWith('lateral_media_images_processed_total{') && l.includes('output_format="webp"'),
    )
    .reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
}

const load1 = () => loadavg()[0] ?? 0;

async function main(): Promise<void> {
  if (STORES.length === 0) throw new Error('BENCH_STORES names neither bytea nor s3');
  const loads = [load1()];
  log(`machine: ${cpus().length} cores, ${mb(totalmem())} MiB, load ${loads[0]!.toFixed(1)}`);
  const fixturesDir = join(root, 'apps/media/.cache/bench');
  const fixtures = await benchFixtures(fixturesDir);
  const perStore = Object.values(REQUESTS).reduce((a, b) => a + b, 0) + 1; // +1: the warm-up
  const pgServer = await startPostgresServer();
  const s3 = STORES.includes('s3') ? await startS3Server() : undefined;
  const services: MediaUnderTest[] = [];
  const cleanups: (() => Promise<unknown>)[] = [() => pgServer.stop()];
  if (s3) cleanups.unshift(() => s3.close());
  try {
    for (const store of STORES) {
      const db = await createTestDatabase(pgServer.adminUrl, `media_convert_${store}`);
      cleanups.unshift(() => db.drop());
      await runMigrations(db.url);
      const metricsPort = await freePort();
      const service = await startService(db.url, {
        MEDIA_STORAGE: store,
        MEDIA_CONCURRENCY: CONCURRENCY,
        METRICS_PORT: String(metricsPort),
        ...(store === 's3' && s3 ? s3.mediaEnv(s3.createBucket('media-convert')) : {}),
      });
      const under: MediaUnderTest = {
        store,
        url: service.url,
        metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`,
        ids: [],
        stop: () => stopService(service),
      };
      services.push(under);
      cleanups.unshift(() => under.stop());
      const upload = uploader(service.url);
      log(`${store}: uploading ${perStore} distinct copies of the 12 MP JPEG`);
      await measure(`upload (${store})`, 2, perStore, async (n) => {
        under.ids.push((await upload(distinctJpeg(fixtures.jpeg12, n), `p${n}.jpg`)).id);
      });
      // Uploads make a 1600 px WebP eagerly; without it, 1600 is converted on demand like 1280.
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      await client.query(`DELETE FROM media_files WHERE name = '1600.webp'`);
      await client.end();
    }

    const imgproxy = IMGPROXY_BIN
      ? await startImgproxy(IMGPROXY_BIN, fixturesDir, s3, cleanups)
      : IMGPROXY_URL
        ? {
            base: IMGPROXY_URL,
            sources: new Map<ImgproxySource, string>([['local file', `local:///${FIXTURE}`]]),
          }
        : undefined;
    const imgproxySources = [...(imgproxy?.sources.keys() ?? [])];
    const convertInProcess = (width: number) =>
      encode(
        sharp(fixtures.jpeg12, { autoOrient: true }).resize({ width }),
        'webp',
        'variant',
      ).toBuffer();
    // Warm-up, not measured: code paths, JIT, sharp's first pipeline, the services' pools.
    for (const width of WIDTHS) await convertInProcess(width);
    for (const service of services) {
      const id = service.ids.pop()!;
      for (const width of WIDTHS)
        await fetchVariant(service.url, `/api/v1/media/${id}?w=${width}&format=webp`);
    }
    for (const source of imgproxy?.sources.values() ?? [])
      for (const width of WIDTHS) await convertByImgproxy(imgproxy!.base, source, width);

    const results: Result[] = [];
    for (const width of WIDTHS) {
      const task = `12 MP JPEG → ${width} px WebP`;
      let next = 0; // each request its own original; each width walks all of them once
      for (const level of LEVELS) {
        const perRound = REQUESTS[level] / ROUNDS;
        const sharpRounds: Measured[] = [];
        const mediaRounds = new Map<Store, Measured[]>(STORES.map((s) => [s, []]));
        const imgproxyRounds = new Map<ImgproxySource, Measured[]>(
          imgproxySources.map((s) => [s, []]),
        );
        // Sides alternate in rounds, so a change in the shared machine's load hits both.
        for (let round = 0; round < ROUNDS; round++) {
          sharpRounds.push(
            await measure(`${task}, sharp in-process`, level, perRound, async () => {
              await convertInProcess(width);
            }),
          );
          for (const service of services) {
            const ids = service.ids.slice(next, next + perRound);
            const before = await webpConversions(service.metricsUrl);
            const path = (n: number) => `/api/v1/media/${ids[n]}?w=${width}&format=webp`;
            mediaRounds
              .get(service.store)!
              .push(
                await measure(
                  `${task}, media over HTTP (${service.store})`,
                  level,
                  perRound,
                  async (n) => void (await fetchVariant(service.url, path(n))),
                ),
              );
            const converted = (await webpConversions(service.metricsUrl)) - before;
            if (converted !== perRound)
              throw new Error(
                `${service.store}: ${perRound} requests made ${converted} conversions; each must convert`,
              );
          }
          for (const [name, source] of imgproxy?.sources ?? [])
            imgproxyRounds
              .get(name)!
              .push(
                await measure(`${task}, imgproxy over HTTP (${name})`, level, perRound, () =>
                  convertByImgproxy(imgproxy!.base, source, width),
                ),
              );
          next += perRound;
        }
        const media = Object.fromEntries(
          [...mediaRounds].map(([store, rounds]) => [store, combine(rounds)]),
        );
        const byImgproxy = Object.fromEntries(
          [...imgproxyRounds].map(([name, rounds]) => [name, combine(rounds)]),
        );
        results.push({ width, level, sharp: combine(sharpRounds), media, imgproxy: byImgproxy });
        loads.push(load1());
      }
    }
    await writeDocs(results, loads);
  } finally {
    for (const cleanup of cleanups) await cleanup().catch((e: Error) => log(e.message));
  }
}

interface Result {
  width: number;
  level: number;
  sharp: Row;
  media: Record<string, Row>;
  imgproxy: Record<string, Row>;
}

/**
 * imgproxy from `binary`, on loopback, reading the fixture from `fixturesDir` and, when there is
 * an S3 server, from a bucket of it holding the same file (put there by a signed PUT, as any
 * object). Stopped by `cleanups`.
 */
async function startImgproxy(
  binary: string,
  fixturesDir: string,
  s3: Awaited<ReturnType<typeof startS3Server>> | undefined,
  cleanups: (() => Promise<unknown>)[],
): Promise<ImgproxyUnderTest> {
  const port = await freePort();
  const sources = new Map<ImgproxySource, string>([['local file', `local:///${FIXTURE}`]]);
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    IMGPROXY_BIND: `127.0.0.1:${port}`,
    IMGPROXY_LOCAL_FILESYSTEM_ROOT: fixturesDir,
  };
  if (s3) {
    const bucket = s3.createBucket('imgproxy-originals');
    const media = s3.mediaEnv(bucket);
    const client = new S3Client({
      region: 'us-east-1',
      endpoint: media.MEDIA_S3_ENDPOINT,
      forcePathStyle: true,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    });
    await client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: FIXTURE,
        Body: await readFile(join(fixturesDir, FIXTURE)),
      }),
    );
    client.destroy();
    Object.assign(env, {
      IMGPROXY_USE_S3: 'true',
      IMGPROXY_S3_ENDPOINT: media.MEDIA_S3_ENDPOINT,
      IMGPROXY_S3_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: s3.accessKeyId,
      AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
    });
    sources.set('s3', `s3://${bucket}/${FIXTURE}`);
  }
  const child = spawn(binary, [], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  cleanups.unshift(async () => {
    child.kill('SIGTERM');
    await exited;
  });
  const base = `http://127.0.0.1:${port}`;
  for (let attempt = 0; ; attempt++) {
    if (child.exitCode !== null) throw new Error(`imgproxy exited with ${child.exitCode}`);
    const up = await fetch(`${base}/health`).then(
      (res) => res.ok,
      () => false,
    );
    if (up) break;
    if (attempt > 100) throw new Error('imgproxy did not answer /health within 10 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  log(`imgproxy at ${base}, originals from ${[...sources.keys()].join(' and ')}`);
  return { base, sources };
}

/**
 * The same task through imgproxy: the original from `source`, fitted to `width`, WebP at the same
 * quality. imgproxy keeps no result cache, so every request converts.
 */
async function convertByImgproxy(base: string, source: string, width: number): Promise<void> {
  const url = `${base}/insecure/rs:fit:${width}:0/q:${VARIANT_WEBP.quality}/plain/${source}@webp`;
  const res = await fetch(url);
  const body = await res.arrayBuffer();
  if (res.status !== 200 || res.headers.get('content-type') !== 'image/webp')
    throw new Error(
      `imgproxy answered ${res.status} ${res.headers.get('content-type')} (${body.byteLength} bytes)`,
    );
}

/** One row from a level's rounds: all latencies, and conversions over the summed wall time. */
function combine(rounds: Measured[]): Row {
  const latencies = rounds.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const seconds = rounds.reduce((sum, r) => sum + r.seconds, 0);
  return {
    scenario: rounds[0]!.scenario,
    concurrency: rounds[0]!.concurrency,
    images: rounds.reduce((sum, r) => sum + r.images, 0),
    failures: rounds.reduce((sum, r) => sum + r.failures, 0),
    perSecond: Math.round((latencies.length / seconds) * 100) / 100,
    p50: Math.round(percentile(latencies, 50)),
    p95: Math.round(percentile(latencies, 95)),
  };
}

const ratio = (a: number, b: number) => (b > 0 ? (a / b).toFixed(2) : '–');

async function writeDocs(results: Result[], loads: number[]): Promise<void> {
  const table = [
    '| task | connections | converted by | conversions/s | p50 ms | p95 ms | p50 ÷ sharp | conversions/s ÷ sharp |',
    '| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |',
    ...results.flatMap(({ width, level, sharp: s, media, imgproxy }) => {
      const against = (name: string, m: Row) =>
        `| | | ${name} | ${m.perSecond} | ${m.p50} | ${m.p95} | **${ratio(m.p50, s.p50)}** | **${ratio(m.perSecond, s.perSecond)}** |`;
      return [
        `| 12 MP JPEG → ${width} px WebP | ${level} | sharp in-process | ${s.perSecond} | ${s.p50} | ${s.p95} | | |`,
        ...STORES.map((store) => against(`media over HTTP, ${store}`, media[store]!)),
        ...Object.entries(imgproxy).map(([source, row]) =>
          against(`imgproxy over HTTP, ${source}`, row),
        ),
      ];
    }),
  ].join('\n');
  const failures = results
    .flatMap((r) => [r.sharp, ...Object.values(r.media), ...Object.values(r.imgproxy)])
    .filter((r) => r.failures);
  const stamp = `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}, sharp ${sharp.versions.sharp} / libvips ${sharp.versions.vips} (sharp's concurrency ${sharp.concurrency()} in the bench process), service env ${Object.entries(
    SERVICE_ENV,
  )
    .map(([k, v]) => `${k}=${v}`)
    .join(
      ' ',
    )} MEDIA_CONCURRENCY=${CONCURRENCY}, defaults otherwise. Requests per level: ${LEVELS.map((l) => `${REQUESTS[l]} at ${l}`).join(', ')}. 1-minute load average: ${loads[0]?.toFixed(1)} at the start, ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)} over the run${failures.length ? `; ${failures.length} rows had failed requests` : ''}.`;
  await writeDocsBlock('convert-bench', `${stamp}\n\n${table}`);
}

await main();
process.exit(0);
