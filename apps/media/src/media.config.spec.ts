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
});
