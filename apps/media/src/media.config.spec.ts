import { ConfigError, loadConfig } from '@lateral/config';
import { describe, expect, it } from 'vitest';
import { MediaConfig, mediaEnvSchema } from './media.config.js';

const required = {
  DATABASE_URL: 'postgres://media@db/media',
  LATERAL_INTERNAL_SECRET: 'x'.repeat(32),
};

describe('MediaConfig', () => {
  it('has the documented defaults', () => {
    const config = new MediaConfig(loadConfig(mediaEnvSchema, required));
    expect(config.service.port).toBe(8082);
    expect(config.service.metricsPort).toBe(9082);
    expect(config.limits).toEqual({
      uploadBytes: 50 * 1024 * 1024,
      maxPixels: 50_000_000,
      maxFrames: 200,
      timeoutMs: 30_000,
    });
    expect(config.queue).toEqual({ concurrency: 2, capacity: 16, retryAfterSeconds: 5 });
    expect(config.sharp).toEqual({ threads: 1, cacheMb: 0 });
  });

  it('reads sizes and fractional megapixels', () => {
    const config = new MediaConfig(
      loadConfig(mediaEnvSchema, {
        ...required,
        MEDIA_MAX_UPLOAD_BYTES: '20MiB',
        MEDIA_MAX_MEGAPIXELS: '12.5',
      }),
    );
    expect(config.limits.uploadBytes).toBe(20 * 1024 * 1024);
    expect(config.limits.maxPixels).toBe(12_500_000);
  });

  it('names every bad variable', () => {
    try {
      loadConfig(mediaEnvSchema, {
        ...required,
        MEDIA_MAX_MEGAPIXELS: 'lots',
        MEDIA_CONCURRENCY: '0',
        MEDIA_MAX_UPLOAD_BYTES: 'big',
      });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems.map((p) => p.variable).sort()).toEqual([
        'MEDIA_CONCURRENCY',
        'MEDIA_MAX_MEGAPIXELS',
        'MEDIA_MAX_UPLOAD_BYTES',
      ]);
    }
  });

  it('keeps bytes in PostgreSQL unless told otherwise', () => {
    const config = new MediaConfig(loadConfig(mediaEnvSchema, required));
    expect(config.storage).toBe('bytea');
    expect(config.s3).toBeUndefined();
  });

  it('reads the object store settings, in hours and minutes', () => {
    const config = new MediaConfig(
      loadConfig(mediaEnvSchema, {
        ...required,
        MEDIA_STORAGE: 's3',
        MEDIA_S3_ENDPOINT: 'http://minio.storage:9000',
        MEDIA_S3_BUCKET: 'wiki-media',
        MEDIA_S3_PREFIX: 'team-a/',
        MEDIA_S3_FORCE_PATH_STYLE: 'true',
        MEDIA_S3_ACCESS_KEY_ID: 'key',
        MEDIA_S3_SECRET_ACCESS_KEY: 'secret',
      }),
    );
    expect(config.storage).toBe('s3');
    expect(config.s3).toEqual({
      endpoint: 'http://minio.storage:9000',
      region: 'us-east-1',
      bucket: 'wiki-media',
      prefix: 'team-a/',
      forcePathStyle: true,
      credentials: { accessKeyId: 'key', secretAccessKey: 'secret' },
      timeoutMs: 5_000,
      orphanGraceMs: 24 * 3_600_000,
      janitorIntervalMs: 60 * 60_000,
    });
  });

  it('leaves credentials to the default chain (web identity) when no keys are given', () => {
    const config = new MediaConfig(
      loadConfig(mediaEnvSchema, { ...required, MEDIA_STORAGE: 's3', MEDIA_S3_BUCKET: 'media' }),
    );
    expect(config.s3?.credentials).toBeUndefined();
  });

  it('refuses s3 without a bucket, half a key pair and a prefix without its slash', () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig(mediaEnvSchema, { ...required, ...env });
        return [];
      } catch (error) {
        return (error as ConfigError).problems.map((p) => p.variable);
      }
    };
    expect(problems({ MEDIA_STORAGE: 's3' })).toEqual(['MEDIA_S3_BUCKET']);
    expect(problems({ MEDIA_S3_BUCKET: 'media', MEDIA_S3_ACCESS_KEY_ID: 'key' })).toEqual([
      'MEDIA_S3_SECRET_ACCESS_KEY',
    ]);
    expect(problems({ MEDIA_S3_BUCKET: 'media', MEDIA_S3_PREFIX: 'team-a' })).toEqual([
      'MEDIA_S3_PREFIX',
    ]);
    expect(problems({ MEDIA_STORAGE: 'disk' })).toEqual(['MEDIA_STORAGE']);
  });
});
