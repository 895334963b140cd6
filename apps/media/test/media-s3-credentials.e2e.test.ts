// Where media's object store credentials come from, against a real S3 server (versitygw on
// loopback): static keys (a Secret's MEDIA_S3_*), else the AWS SDK's default chain (the pod's
// environment, or its web identity token as IRSA and its peers mount it). And what readiness
// says when the store is up but refuses media (wrong keys, a missing bucket), so an operator
// reading `kubectl describe` knows which of them to fix.
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startS3Server, type S3Server } from '@lateral/testing';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { plainJpeg } from './fixtures.js';
import { binary, identity, startMedia, type MediaHarness } from './media-harness.js';

let s3: S3Server;
let bucket: string;
let running: MediaHarness | undefined;

beforeAll(async () => {
  s3 = await startS3Server();
  bucket = s3.createBucket('media-credentials');
});
afterEach(async () => {
  await running?.close();
  running = undefined;
  vi.unstubAllEnvs();
});
afterAll(async () => {
  await s3?.close();
});

/** media on the s3 driver with the store's settings but these credentials (none: the chain). */
async function mediaWith(settings: Record<string, string>): Promise<MediaHarness> {
  const env: Record<string, string> = {
    ...s3.mediaEnv(bucket),
    MEDIA_STORAGE: 's3',
    MEDIA_S3_TIMEOUT_MS: '2000',
    MEDIA_S3_JANITOR_INTERVAL_MINUTES: '0',
  };
  delete env.MEDIA_S3_ACCESS_KEY_ID;
  delete env.MEDIA_S3_SECRET_ACCESS_KEY;
  running = await startMedia(inject('postgresAdminUrl'), { ...env, ...settings });
  return running;
}

/** Uploads a fresh image and reads it back: the store took the write and serves it. */
async function roundTrip(media: MediaHarness, seed: number): Promise<void> {
  const photo = await plainJpeg(120, 80, seed);
  const stored = await media
    .http()
    .post('/api/v1/media')
    .set(identity())
    .attach('file', photo, 'photo.jpg');
  expect(stored.status, JSON.stringify(stored.body)).toBe(201);
  const read = await media
    .http()
    .get(`/api/v1/media/${stored.body.id}`)
    .set(identity())
    .buffer(true)
    .parse(binary);
  expect(read.status).toBe(200);
  // The bytes came back whole from the store: their SHA-256 is the ETag (the object's key).
  const hash = createHash('sha256')
    .update(read.body as Buffer)
    .digest('base64url');
  expect(read.headers.etag).toBe(`"${hash}"`);
}

describe('credentials', () => {
  it('static keys (MEDIA_S3_ACCESS_KEY_ID/SECRET, from a Secret in Helm)', async () => {
    const media = await mediaWith({
      MEDIA_S3_ACCESS_KEY_ID: s3.accessKeyId,
      MEDIA_S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
    });
    expect((await media.http().get('/readyz')).status).toBe(200);
    await roundTrip(media, 11);
  });

  it("without static keys, the SDK's default chain: the pod's AWS_* environment", async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', s3.accessKeyId);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', s3.secretAccessKey);
    const media = await mediaWith({});
    expect((await media.http().get('/readyz')).status).toBe(200);
    await roundTrip(media, 12);
  });

  it("without static keys, the pod's web identity: the token file is exchanged at STS for keys", async () => {
    // The identity provider and STS are the cloud's; this stand-in answers
    // AssumeRoleWithWebIdentity as AWS STS does, only for the projected token and role, with
    // the S3 server's keys. The S3 side stays the real server.
    const token = 'eyJ.projected-service-account-token.sig';
    const role = 'arn:aws:iam::123456789012:role/lateral-media';
    const seen: URLSearchParams[] = [];
    const sts = await startSts((params) => {
      seen.push(params);
      if (params.get('WebIdentityToken') !== token || params.get('RoleArn') !== role)
        return undefined;
      return { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey };
    });
    const dir = mkdtempSync(join(tmpdir(), 'lateral-web-identity-'));
    try {
      const tokenFile = join(dir, 'token');
      writeFileSync(tokenFile, token);
      for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_PROFILE'])
        vi.stubEnv(name, undefined);
      // What EKS' pod identity webhook (IRSA) injects for serviceAccount.annotations' role-arn.
      vi.stubEnv('AWS_WEB_IDENTITY_TOKEN_FILE', tokenFile);
      vi.stubEnv('AWS_ROLE_ARN', role);
      vi.stubEnv('AWS_ROLE_SESSION_NAME', 'lateral-media-test');
      vi.stubEnv('AWS_ENDPOINT_URL_STS', sts.url);
      vi.stubEnv('AWS_REGION', 'us-east-1');
      const media = await mediaWith({});
      const ready = await media.http().get('/readyz');
      expect(ready.status, JSON.stringify(ready.body)).toBe(200);
      await roundTrip(media, 13);
      expect(seen.length).toBeGreaterThan(0);
      expect(seen[0]!.get('Action')).toBe('AssumeRoleWithWebIdentity');
    } finally {
      await sts.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('readiness names what the store refuses', () => {
  it('wrong keys: not ready, "denied"; uploads answer 503 storage_unavailable and store nothing', async () => {
    const media = await mediaWith({
      MEDIA_S3_ACCESS_KEY_ID: s3.accessKeyId,
      MEDIA_S3_SECRET_ACCESS_KEY: 'not-the-secret-at-all',
    });
    const ready = await media.http().get('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body.checks.object_store).toBe('object store check failed: denied');
    expect(JSON.stringify(ready.body)).not.toContain('not-the-secret-at-all');
    const photo = await plainJpeg(120, 80, 21);
    const refused = await media
      .http()
      .post('/api/v1/media')
      .set(identity())
      .attach('file', photo, 'photo.jpg');
    expect(refused.status).toBe(503);
    expect(refused.body.error.code).toBe('storage_unavailable');
    expect(refused.headers['retry-after']).toBeDefined();
    expect(await media.sql('SELECT 1 FROM media_items')).toHaveLength(0);
  });

  it('a bucket that does not exist: not ready, naming the bucket', async () => {
    const media = await mediaWith({
      MEDIA_S3_ACCESS_KEY_ID: s3.accessKeyId,
      MEDIA_S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
      MEDIA_S3_BUCKET: 'no-such-bucket-here',
    });
    const ready = await media.http().get('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body.checks.object_store).toBe(
      'object store check failed: bucket no-such-bucket-here not found',
    );
    // Counted as the configuration problem it is, not as a missing object (lost data).
    const metrics = await media.metricsText();
    expect(metrics).toMatch(
      /lateral_media_store_errors_total\{[^}]*operation="check"[^}]*kind="denied"[^}]*\} [1-9]/,
    );
    expect(metrics).not.toMatch(/lateral_media_store_errors_total\{[^}]*kind="not_found"/);
  });
});

/**
 * A loopback STS that answers AssumeRoleWithWebIdentity with the keys `grant` returns. Real STS
 * also returns a session token, which S3 checks; versitygw (v1.8.0) has no STS and answers 400
 * to any request carrying one, so this stand-in leaves it out: what is proven is the chain from
 * the mounted token to signed S3 calls, not that a store accepts temporary credentials.
 */
async function startSts(
  grant: (params: URLSearchParams) => { accessKeyId: string; secretAccessKey: string } | undefined,
): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const params = new URLSearchParams(
        Buffer.concat(chunks).toString() || (req.url ?? '').split('?')[1],
      );
      const keys = grant(params);
      res.setHeader('content-type', 'text/xml');
      if (!keys) {
        res.statusCode = 403;
        res.end(
          '<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code>' +
            '<Message>Not authorized to perform sts:AssumeRoleWithWebIdentity</Message></Error></ErrorResponse>',
        );
        return;
      }
      const expires = new Date(Date.now() + 3_600_000).toISOString();
      res.end(
        '<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">' +
          '<AssumeRoleWithWebIdentityResult><Credentials>' +
          `<AccessKeyId>${keys.accessKeyId}</AccessKeyId>` +
          `<SecretAccessKey>${keys.secretAccessKey}</SecretAccessKey>` +
          `<Expiration>${expires}</Expiration>` +
          '</Credentials></AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>',
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
