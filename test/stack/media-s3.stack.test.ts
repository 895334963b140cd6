// The whole stack with media on the s3 driver, against a real S3-compatible server (versitygw
// on loopback): upload, serve, ranges, 304 and variants through the gateway; the store stopped
// under traffic (clean 503s, no acknowledged upload lost, recovery on restart); and the
// `migrate-storage` command run as its own process, s3 → bytea → s3, while traffic goes on.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startS3Server, type S3Server } from '@lateral/testing';
import sharp from 'sharp';
import { request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WikiClient } from './client.js';
import { ROOT, type ServiceProcess } from './service-process.js';
import { BOOTSTRAP_TOKEN, INTERNAL_SECRET, Stack } from './stack.js';

const hashOf = (data: Buffer) => createHash('sha256').update(data).digest('base64url');

/** A distinct small photo per seed (so every upload is new bytes, not a dedup hit). */
const photo = (seed: number) =>
  sharp({
    create: { width: 480, height: 320, channels: 3, background: { r: seed % 256, g: 90, b: 40 } },
  })
    .composite([
      {
        input: Buffer.from(
          `<svg width="480" height="320"><text x="20" y="160" font-size="64">${seed}</text></svg>`,
        ),
      },
    ])
    .jpeg({ quality: 85 })
    .toBuffer();

interface Answer {
  status: number | 'error';
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

async function get(
  base: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<Answer> {
  try {
    const res = await request(`${base}${path}`, {
      headers: { authorization: `Bearer ${BOOTSTRAP_TOKEN}`, ...headers },
      headersTimeout: 10_000,
      bodyTimeout: 10_000,
    });
    return {
      status: res.statusCode,
      headers: res.headers,
      body: Buffer.from(await res.body.arrayBuffer()),
    };
  } catch (error) {
    return { status: 'error', headers: {}, body: Buffer.from(String(error)) };
  }
}

async function readiness(replica: ServiceProcess): Promise<{ status: number; body: string }> {
  try {
    const res = await fetch(`${replica.url}/readyz`, { signal: AbortSignal.timeout(3000) });
    return { status: res.status, body: await res.text() };
  } catch (error) {
    return { status: 0, body: String(error) };
  }
}

async function waitFor(check: () => Promise<boolean>, what: string, limitMs = 20_000) {
  const deadline = Date.now() + limitMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${limitMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Image traffic through the gateway until stopped (bounded: 3,000 requests per worker): GETs of
 * every known original and a variant, and uploads of new photos. Every 200 body must hash to
 * its ETag; every acknowledged (201) upload is remembered with its bytes.
 */
class ImageTraffic {
  readonly answers: {
    op: string;
    status: number | 'error';
    phase: string;
    retryAfter?: string;
    detail?: string;
  }[] = [];
  readonly uploaded = new Map<string, Buffer>();
  phase = 'steady';
  private running = true;
  private readonly loops: Promise<void>[];

  constructor(
    private readonly client: WikiClient,
    private readonly ids: string[],
    uploaders: number,
    readers: number,
  ) {
    this.loops = [
      ...Array.from({ length: readers }, (_, n) => this.read(n)),
      ...Array.from({ length: uploaders }, (_, n) => this.upload(1000 + n * 1000)),
    ];
  }

  private async read(offset: number) {
    for (let i = offset; this.running && i < offset + 3000; i++) {
      const id = this.ids[i % this.ids.length] as string;
      const path = i % 2 ? `/api/v1/media/${id}` : `/api/v1/media/${id}?w=320&format=webp`;
      const res = await get(this.client.baseUrl, path);
      const corrupt = res.status === 200 && `"${hashOf(res.body)}"` !== res.headers.etag;
      this.answers.push({
        op: 'get',
        status: corrupt ? 'error' : res.status,
        phase: this.phase,
        retryAfter: res.headers['retry-after'] as string | undefined,
        detail: corrupt ? 'body does not match its ETag' : res.body.toString().slice(0, 120),
      });
    }
  }

  private async upload(seed: number) {
    for (let i = seed; this.running && i < seed + 3000; i++) {
      const bytes = await photo(i);
      try {
        const res = await this.client.call('POST', '/api/v1/media', {
          ...multipartOf(bytes),
        });
        this.answers.push({
          op: 'upload',
          status: res.status,
          phase: this.phase,
          retryAfter: res.headers['retry-after'] as string | undefined,
          detail: res.body.toString().slice(0, 120),
        });
        if (res.status === 201) this.uploaded.set(res.json<{ id: string }>().id, bytes);
        else await new Promise((r) => setTimeout(r, 100));
      } catch (error) {
        this.answers.push({
          op: 'upload',
          status: 'error',
          phase: this.phase,
          detail: String(error),
        });
      }
    }
  }

  async stop() {
    this.running = false;
    await Promise.all(this.loops);
  }
}

function multipartOf(bytes: Buffer) {
  const boundary = `----lateral${hashOf(bytes).slice(0, 16)}`;
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    body: Buffer.concat([
      Buffer.from(
        `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="p.jpg"\r\n` +
          `content-type: image/jpeg\r\n\r\n`,
      ),
      bytes,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
  };
}

describe('media on S3 through the whole stack', () => {
  let s3: S3Server;
  let bucketDir: string;
  let stack: Stack;
  let client: WikiClient;
  let mediaEnv: Record<string, string>;
  const ids: string[] = [];

  beforeAll(async () => {
    s3 = await startS3Server();
    const bucket = s3.createBucket('lateral-media');
    bucketDir = join(s3.dir, bucket);
    mediaEnv = {
      ...s3.mediaEnv(bucket),
      MEDIA_STORAGE: 's3',
      MEDIA_S3_TIMEOUT_MS: '1000',
      MEDIA_RETRY_AFTER_SECONDS: '2',
    };
    // The balancers keep routing to unready replicas, so the test sees what media itself
    // answers while the store is down.
    stack = await Stack.start({ env: { media: mediaEnv }, routeUnready: true });
    client = new WikiClient(stack.gatewayUrl, undefined, 8);
  });

  afterEach((ctx) => {
    if (ctx.task.result?.state === 'fail') stack.keepLogs = true;
  });

  afterAll(async () => {
    await client?.close();
    await stack?.stop();
    await s3?.close();
  });

  it('uploads, serves, ranges, revalidates and renders variants from the object store', async () => {
    for (let seed = 0; seed < 4; seed++) ids.push((await client.uploadImage(await photo(seed))).id);
    const id = ids[0] as string;

    const whole = await get(stack.gatewayUrl, `/api/v1/media/${id}`);
    expect(whole.status).toBe(200);
    const etag = whole.headers.etag as string;
    expect(etag).toBe(`"${hashOf(whole.body)}"`);
    expect(existsSync(join(bucketDir, hashOf(whole.body)))).toBe(true);

    const part = await get(stack.gatewayUrl, `/api/v1/media/${id}`, { range: 'bytes=0-1023' });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 0-1023/${whole.body.length}`);
    expect(part.body.equals(whole.body.subarray(0, 1024))).toBe(true);

    const again = await get(stack.gatewayUrl, `/api/v1/media/${id}`, { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);

    const variant = await get(stack.gatewayUrl, `/api/v1/media/${id}?w=320&format=avif`);
    expect(variant.status).toBe(200);
    expect(variant.headers['content-type']).toBe('image/avif');
    // Written just after the answer (docs/media.md, What happens to a GET of a new variant).
    await waitFor(
      () => Promise.resolve(existsSync(join(bucketDir, hashOf(variant.body)))),
      'the variant stored as an object',
    );
  });

  it('answers clean 503s while the store is down, loses no acknowledged upload, recovers on restart', async () => {
    const media = stack.replicas.media[0] as ServiceProcess;
    const traffic = new ImageTraffic(client, ids, 1, 3);
    await new Promise((r) => setTimeout(r, 1500));

    traffic.phase = 'outage';
    await s3.stop();
    await waitFor(async () => (await readiness(media)).status === 503, 'media unready');
    expect((await readiness(media)).body).toContain(
      '"object_store":"object store check failed: unreachable"',
    );
    await new Promise((r) => setTimeout(r, 3000));

    traffic.phase = 'recovery';
    await s3.start();
    await waitFor(async () => (await readiness(media)).status === 200, 'media ready again');
    traffic.phase = 'after';
    await new Promise((r) => setTimeout(r, 2000));
    await traffic.stop();

    const during = traffic.answers.filter((a) => a.phase === 'outage');
    const after = traffic.answers.filter((a) => a.phase === 'after');
    console.log(
      `store outage: ${during.length} answers (${during.filter((a) => a.status === 503).length} × 503), ` +
        `${after.length} after recovery, ${traffic.uploaded.size} uploads acknowledged`,
    );
    // During the outage: clean 503s (uploads and reads both need the store), never a 500.
    expect(during.filter((a) => a.status === 503).length).toBeGreaterThan(0);
    expect(during.filter((a) => a.status !== 200 && a.status !== 201 && a.status !== 503)).toEqual(
      [],
    );
    expect(traffic.answers.filter((a) => a.status === 'error')).toEqual([]);
    expect(after.length).toBeGreaterThan(0);
    expect(after.filter((a) => a.status !== 200 && a.status !== 201)).toEqual([]);
    // Every 503 said when to come back, and why.
    const refusals = traffic.answers.filter((a) => a.status === 503);
    expect(refusals.filter((a) => a.retryAfter !== '2')).toEqual([]);
    expect(refusals.filter((a) => !a.detail?.includes('storage_unavailable'))).toEqual([]);

    // Nothing acknowledged was lost: every 201 is there, byte-exact in its content address.
    expect(traffic.uploaded.size).toBeGreaterThan(0);
    for (const [id, bytes] of traffic.uploaded) {
      expect(id).toBe(hashOf(bytes));
      const meta = await get(stack.gatewayUrl, `/api/v1/media/${id}/meta`);
      expect(meta.status, id).toBe(200);
      const served = await get(stack.gatewayUrl, `/api/v1/media/${id}`);
      expect(served.status, id).toBe(200);
      expect(served.headers.etag).toBe(`"${hashOf(served.body)}"`);
    }
  });

  it('moves every file to bytea and back with the migrate-storage command while serving', async () => {
    const migrate = (to: string) =>
      new Promise<{ code: number | null; output: string }>((resolve) => {
        const child = spawn(
          process.execPath,
          [join(ROOT, 'apps/media/dist/migrate-storage.js'), '--to', to, '--batch-size', '3'],
          {
            env: {
              PATH: process.env.PATH ?? '',
              ...mediaEnv,
              MEDIA_STORAGE: to,
              DATABASE_URL: stack.databases.media?.url ?? '',
              LATERAL_INTERNAL_SECRET: INTERNAL_SECRET,
            },
          },
        );
        let output = '';
        child.stdout.on('data', (c: Buffer) => (output += c.toString()));
        child.stderr.on('data', (c: Buffer) => (output += c.toString()));
        child.once('exit', (code) => resolve({ code, output }));
      });
    const traffic = new ImageTraffic(client, ids, 0, 4);

    const toBytea = await migrate('bytea');
    expect(toBytea.code, toBytea.output).toBe(0);
    expect(toBytea.output).toContain('"counts":{"bytea"');
    const finished = (output: string) =>
      JSON.parse(
        output.split('\n').find((l) => l.includes('storage migration finished')) ?? '{}',
      ) as { moved: number; counts: Record<'bytea' | 's3', { files: number }> };
    expect(finished(toBytea.output).counts.s3.files).toBe(0);

    const toS3 = await migrate('s3');
    expect(toS3.code, toS3.output).toBe(0);
    expect(finished(toS3.output).counts.bytea.files).toBe(0);
    expect(finished(toS3.output).moved).toBe(finished(toBytea.output).moved);

    await traffic.stop();
    expect(traffic.answers.length).toBeGreaterThan(0);
    expect(traffic.answers.filter((a) => a.status !== 200)).toEqual([]);
  });
});
