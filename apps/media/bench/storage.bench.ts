// One measurement procedure as its own process, like media.bench.ts (shared parts: harness.ts).
import { randomBytes } from 'node:crypto';
import { cpus, loadavg, totalmem } from 'node:os';
import { createTestDatabase, startPostgresServer, startS3Server } from '@lateral/testing';
import sharp from 'sharp';
import { runMigrations } from '../src/database/data-source.js';
import { distinctJpeg, photoPixels } from './fixtures.js';
import {
  RssProbe,
  SERVICE_ENV,
  fetchVariant,
  log,
  mb,
  measure,
  startService,
  stopService,
  uploader,
  writeDocsBlock,
  type Row,
} from './harness.js';

/**
 * `npm run bench:storage -w apps/media`: the media service (dist/main.js, its own process) on
 * bytea and on s3 side by side in one run, each on its own database of one embedded PostgreSQL;
 * the object store is versitygw on loopback (posix backend on the same disk), so the s3 figures
 * are the cost of the S3 protocol and the extra hop, not of a network. Per store, alternating:
 * uploads of distinct 2 MP JPEGs, stored 320 px WebP variants and 2 MP originals served, a
 * variant rendered on demand (reads the original, writes the variant); then a 50 MB original
 * (a 4096² PNG of noise) streamed to 4 clients at once with the service's RSS sampled.
 * Figures go to docs/media.md (storage-bench). Knob: BENCH_SERVES (2000).
 */
const SERVES = Number(process.env.BENCH_SERVES ?? 2000);
const UPLOADS = 24;
const STORES = ['bytea', 's3'] as const;
type Store = (typeof STORES)[number];

/** Big enough for the 50 MB original and its processing on a busy machine. */
const LIMITS = { MEDIA_MAX_UPLOAD_BYTES: '64MiB', MEDIA_PROCESSING_TIMEOUT_MS: '300000' };

interface StreamFigures {
  bytes: number;
  seconds: number;
  baselineMb: number;
  peakMb: number;
  samples: number[];
}

async function main(): Promise<void> {
  const load = loadavg()[0] ?? 0;
  log(`machine: ${cpus().length} cores, ${mb(totalmem())} MiB, load ${load.toFixed(1)}`);
  const pg = await startPostgresServer();
  const s3 = await startS3Server();
  const bucket = s3.createBucket('media-bench');
  const dbs = {
    bytea: await createTestDatabase(pg.adminUrl, 'media_bench_bytea'),
    s3: await createTestDatabase(pg.adminUrl, 'media_bench_s3'),
  };
  for (const db of Object.values(dbs)) await runMigrations(db.url);
  const services = {
    bytea: await startService(dbs.bytea.url, { ...LIMITS, MEDIA_STORAGE: 'bytea' }),
    s3: await startService(dbs.s3.url, { ...LIMITS, ...s3.mediaEnv(bucket), MEDIA_STORAGE: 's3' }),
  };
  const rows: (Row & { store: Store })[] = [];
  const streams = {} as Record<Store, StreamFigures>;
  try {
    const raw = { width: 1600, height: 1200, channels: 3 as const };
    const photo = await sharp(photoPixels(raw.width, raw.height, 7), { raw })
      .jpeg({ quality: 90 })
      .toBuffer();
    log(`fixture: 2 MP JPEG of ${Math.round(photo.length / 1024)} KiB`);
    const ids = { bytea: [] as string[], s3: [] as string[] };
    const each = async (
      scenario: string,
      concurrency: number,
      count: number,
      task: (store: Store, n: number) => Promise<void>,
    ) => {
      for (const store of STORES)
        rows.push({
          store,
          ...(await measure(`${scenario} [${store}]`, concurrency, count, (n) => task(store, n))),
          scenario,
        });
    };

    let serial = 0;
    await each(
      'upload 2 MP JPEG (original + 2 WebP variants stored)',
      4,
      UPLOADS,
      async (store) => {
        const { id } = await uploader(services[store].url)(distinctJpeg(photo, serial++), 'p.jpg');
        ids[store].push(id);
      },
    );
    await each('serve a stored 320 px WebP variant', 8, SERVES, async (store, n) => {
      const id = ids[store][n % UPLOADS] as string;
      await fetchVariant(services[store].url, `/api/v1/media/${id}?w=320&format=webp`);
    });
    await each('serve a stored 2 MP JPEG original', 8, SERVES / 4, async (store, n) => {
      await fetchVariant(services[store].url, `/api/v1/media/${ids[store][n % UPLOADS]}`);
    });
    await each('render and store a 640 px JPEG on demand', 2, UPLOADS, async (store, n) => {
      await fetchVariant(services[store].url, `/api/v1/media/${ids[store][n]}?w=640&format=jpeg`);
    });

    // 4096 × 4096 RGB noise: a PNG stays a PNG and noise does not compress, so the stored
    // original is ~50 MB.
    const side = 4096;
    const noise = await sharp(randomBytes(side * side * 3), {
      raw: { width: side, height: side, channels: 3 },
    })
      .png({ compressionLevel: 1 })
      .toBuffer();
    log(`fixture: ${mb(noise.length)} MiB PNG of noise`);
    for (const store of STORES) {
      const { id } = await uploader(services[store].url)(noise, 'noise.png');
      streams[store] = await streamOriginal(services[store], id);
      log(
        `50 MB original [${store}]: ${mb(streams[store].bytes)} MiB to 4 clients in ${streams[store].seconds.toFixed(1)} s; RSS ${streams[store].baselineMb} → peak ${streams[store].peakMb} MiB`,
      );
    }
    await writeDocs(rows, streams, load);
  } finally {
    for (const service of Object.values(services)) await stopService(service);
    for (const db of Object.values(dbs)) await db.drop();
    await s3.close();
    await pg.stop();
  }
}

/** 4 clients each read the original 3 times, as fast as they can; RSS sampled every 20 ms. */
async function streamOriginal(
  service: Awaited<ReturnType<typeof startService>>,
  id: string,
): Promise<StreamFigures> {
  const rss = new RssProbe(service.child.pid ?? 0);
  await new Promise((r) => setTimeout(r, 1000)); // the upload's buffers settle
  const baselineMb = mb(await rss.current());
  await rss.resetPeak();
  const samples: number[] = [];
  let reading = true;
  const sampler = (async () => {
    while (reading) {
      samples.push(mb(await rss.current()));
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  const started = performance.now();
  let bytes = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let i = 0; i < 3; i++) {
        const read = await fetchVariant(service.url, `/api/v1/media/${id}`);
        bytes += read;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  reading = false;
  await sampler;
  return { bytes, seconds, baselineMb, peakMb: mb(await rss.peak()), samples };
}

async function writeDocs(
  rows: (Row & { store: Store })[],
  streams: Record<Store, StreamFigures>,
  load: number,
): Promise<void> {
  const scenarios = [...new Set(rows.map((r) => r.scenario))];
  const cell = (scenario: string, store: Store) => {
    const r = rows.find((x) => x.scenario === scenario && x.store === store);
    return r ? `${r.perSecond} | ${r.p50} | ${r.p95} | ${r.failures}` : '– | – | – | –';
  };
  const table = [
    '| scenario | clients | requests | bytea /s | p50 ms | p95 ms | failed | s3 /s | p50 ms | p95 ms | failed |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...scenarios.map((s) => {
      const r = rows.find((x) => x.scenario === s) as Row;
      return `| ${s} | ${r.concurrency} | ${r.images} | ${cell(s, 'bytea')} | ${cell(s, 's3')} |`;
    }),
  ].join('\n');
  const stream = STORES.map((store) => {
    const f = streams[store];
    return `- **${store}**: ${mb(f.bytes)} MiB sent in ${f.seconds.toFixed(1)} s; RSS ${f.baselineMb} MiB before, peak ${f.peakMb} MiB (+${f.peakMb - f.baselineMb}); sampled every 20 ms: ${summarise(f.samples)}.`;
  }).join('\n');
  const stamp = `Measured ${new Date().toISOString().slice(0, 10)} on ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}, versitygw (posix backend) and PostgreSQL on the same machine, service env ${Object.entries(
    SERVICE_ENV,
  )
    .map(([k, v]) => `${k}=${v}`)
    .join(' ')}. 1-minute load average at the start: ${load.toFixed(1)}.`;
  await writeDocsBlock(
    'storage-bench',
    `${stamp}\n\n${table}\n\nA 50 MB original (4096² PNG of noise) streamed to 4 clients, 3 times each:\n\n${stream}`,
  );
}

/** Min, median and max of the RSS samples (MiB). */
function summarise(samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  return `min ${at(0)}, median ${at(0.5)}, max ${at(1)} MiB over ${samples.length} samples`;
}

await main();
process.exit(0);
