import { env, serviceEnvSchema, toServiceConfig, type ServiceConfig } from '@lateral/config';
import { z } from 'zod';

/**
 * Every variable media reads, validated at boot. Nothing else in the app reads `process.env`:
 * features receive the typed {@link MediaConfig}.
 */
export const mediaEnvSchema = serviceEnvSchema.extend({
  PORT: env.port().default(8082),
  METRICS_PORT: env.port().default(9082),
  DATABASE_URL: env.postgresUrl(),
  DATABASE_POOL_MAX: env.positiveInt().default(5),
  /** Largest accepted upload (the gateway enforces the same figure before streaming it here). */
  MEDIA_MAX_UPLOAD_BYTES: env.bytes().default(50 * 1024 * 1024),
  /** Decompression-bomb guard: width x height (x frames) read from the header, before decoding. */
  MEDIA_MAX_MEGAPIXELS: z.coerce.number().positive().max(1000).default(50),
  /** Frames of an animated GIF/WebP. */
  MEDIA_MAX_FRAMES: env.positiveInt().default(200),
  /** Budget for one image job (decode, every eager variant, encode). */
  MEDIA_PROCESSING_TIMEOUT_MS: env.positiveInt().default(30_000),
  /** Image jobs run at once; each holds one libuv thread while libvips works. */
  MEDIA_CONCURRENCY: env.positiveInt().default(2),
  /** Jobs allowed to wait for a slot; past this, uploads and new variants answer 503. */
  MEDIA_QUEUE_CAPACITY: env.nonNegativeInt().default(16),
  /** Seconds a client is told to wait when the queue is full. */
  MEDIA_RETRY_AFTER_SECONDS: env.positiveInt().default(5),
  /** libvips threads per image; 1 keeps many images in parallel predictable (docs/media.md). */
  MEDIA_SHARP_THREADS: env.positiveInt().default(1),
  /** libvips operation cache; useless for one-shot buffers, so off by default. */
  MEDIA_SHARP_CACHE_MB: env.nonNegativeInt().default(0),
  /**
   * Worker threads decoding HEIC (WebAssembly libheif; slow, so never on the event loop). As
   * many as MEDIA_CONCURRENCY, so a running job never waits for a decoder inside its budget.
   */
  MEDIA_HEIC_WORKERS: env.positiveInt().default(2),
  /**
   * Socket inactivity limit. The shared default (10 s, against slowloris) would cut an upload
   * that waits in the queue and is then processed; only the gateway reaches media, and it
   * gives up after UPSTREAM_MEDIA_TIMEOUT_MS (65 s).
   */
  MEDIA_SOCKET_TIMEOUT_MS: env.positiveInt().default(70_000),
  /** A HEIC worker is replaced after this many images (the WebAssembly heap only grows). */
  MEDIA_HEIC_RECYCLE_AFTER: env.positiveInt().default(25),
});

export type MediaEnv = z.infer<typeof mediaEnvSchema>;

export interface MediaLimits {
  uploadBytes: number;
  maxPixels: number;
  maxFrames: number;
  timeoutMs: number;
}

/** The typed config; a class so Nest can inject it by type. */
export class MediaConfig {
  readonly service: ServiceConfig;
  readonly databaseUrl: string;
  readonly databasePoolMax: number;
  readonly limits: MediaLimits;
  readonly queue: { concurrency: number; capacity: number; retryAfterSeconds: number };
  readonly sharp: { threads: number; cacheMb: number };
  readonly heic: { workers: number; recycleAfter: number };
  readonly socketTimeoutMs: number;

  constructor(e: MediaEnv) {
    this.service = toServiceConfig('media', e.PORT, e);
    this.databaseUrl = e.DATABASE_URL;
    this.databasePoolMax = e.DATABASE_POOL_MAX;
    this.limits = {
      uploadBytes: e.MEDIA_MAX_UPLOAD_BYTES,
      maxPixels: Math.round(e.MEDIA_MAX_MEGAPIXELS * 1_000_000),
      maxFrames: e.MEDIA_MAX_FRAMES,
      timeoutMs: e.MEDIA_PROCESSING_TIMEOUT_MS,
    };
    this.queue = {
      concurrency: e.MEDIA_CONCURRENCY,
      capacity: e.MEDIA_QUEUE_CAPACITY,
      retryAfterSeconds: e.MEDIA_RETRY_AFTER_SECONDS,
    };
    this.sharp = { threads: e.MEDIA_SHARP_THREADS, cacheMb: e.MEDIA_SHARP_CACHE_MB };
    this.heic = { workers: e.MEDIA_HEIC_WORKERS, recycleAfter: e.MEDIA_HEIC_RECYCLE_AFTER };
    this.socketTimeoutMs = e.MEDIA_SOCKET_TIMEOUT_MS;
  }
}
