import { env, serviceEnvSchema, toServiceConfig, type ServiceConfig } from '@lateral/config';
import { z } from 'zod';

/**
 * Every variable media reads, validated at boot. Nothing else in the app reads `process.env`:
 * features receive the typed {@link MediaConfig}.
 */
export const mediaEnvSchema = serviceEnvSchema
  .extend({
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
     * Originals kept in memory for on-demand renders (a srcset's widths read the original once;
     * docs/media.md). 0 turns it off.
     */
    MEDIA_ORIGINALS_CACHE_MB: env.nonNegativeInt().default(64),
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
    /**
     * Who decodes HEVC HEIC: `native` (libheif's heif-convert as a sandboxed child process; start-up
     * fails without it), `wasm` (the worker pool), or `auto`: native when start-up finds it usable,
     * else wasm.
     */
    MEDIA_HEIC_DECODER: z.enum(['auto', 'native', 'wasm']).default('auto'),
    /** The native decoder's command (Debian's libheif-examples). */
    MEDIA_HEIC_DECODER_COMMAND: z.string().min(1).default('heif-convert'),
    /** Address-space limit of one native decode (a 12 MP photo needs ~100 MiB). */
    MEDIA_HEIC_DECODER_MEMORY_MB: env.positiveInt().default(1024),
    /**
     * Where new image bytes go: `bytea` (in PostgreSQL, the default) or `s3` (an S3-compatible
     * object store). Reads follow each file's row, so a mixed database serves during a migration.
     */
    MEDIA_STORAGE: z.enum(['bytea', 's3']).default('bytea'),
    /** The store's URL (MinIO, Ceph RGW, Garage, ...); unset for AWS S3 itself. */
    MEDIA_S3_ENDPOINT: env.url().optional(),
    MEDIA_S3_REGION: z.string().min(1).default('us-east-1'),
    /** Set whenever any file may be in S3 (MEDIA_STORAGE=s3, or rows not yet migrated back). */
    MEDIA_S3_BUCKET: z
      .string()
      .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name')
      .optional(),
    /** Key prefix inside the bucket, so one bucket can hold several wikis. */
    MEDIA_S3_PREFIX: z
      .string()
      .regex(/^(?:[\w.-]+\/)*$/, 'must be empty or end with / (letters, digits, . _ -)')
      .default(''),
    /** `bucket` in the path instead of the host name: MinIO, Ceph RGW and Garage want it. */
    MEDIA_S3_FORCE_PATH_STYLE: env.boolean().default(false),
    /**
     * Static credentials (from a Secret). Unset: the AWS SDK's default chain, which includes the
     * pod's web identity (AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE, IRSA).
     */
    MEDIA_S3_ACCESS_KEY_ID: z.string().min(1).optional(),
    MEDIA_S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
    /** One store request's budget (connect, then socket idle); an outage answers 503 past it. */
    MEDIA_S3_TIMEOUT_MS: env.positiveInt().default(5_000),
    /** Objects no row points to are deleted after this long (an upload writes the object first). */
    MEDIA_S3_ORPHAN_GRACE_HOURS: env.positiveInt().default(24),
    /** How often a replica sweeps for such objects; 0 turns the sweep off. */
    MEDIA_S3_JANITOR_INTERVAL_MINUTES: env.nonNegativeInt().default(60),
  })
  .superRefine((e, ctx) => {
    if (e.MEDIA_STORAGE === 's3' && !e.MEDIA_S3_BUCKET)
      ctx.addIssue({
        code: 'custom',
        path: ['MEDIA_S3_BUCKET'],
        message: 'is required when MEDIA_STORAGE=s3',
      });
    if (!e.MEDIA_S3_ACCESS_KEY_ID !== !e.MEDIA_S3_SECRET_ACCESS_KEY)
      ctx.addIssue({
        code: 'custom',
        path: [e.MEDIA_S3_ACCESS_KEY_ID ? 'MEDIA_S3_SECRET_ACCESS_KEY' : 'MEDIA_S3_ACCESS_KEY_ID'],
        message:
          'must be set together with its pair (or neither, for the default credential chain)',
      });
  });

export type MediaEnv = z.infer<typeof mediaEnvSchema>;

export type StoreKind = 'bytea' | 's3';

/** How to reach the object store; present whenever MEDIA_S3_BUCKET is set. */
export interface S3Settings {
  endpoint: string | undefined;
  region: string;
  bucket: string;
  prefix: string;
  forcePathStyle: boolean;
  credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
  timeoutMs: number;
  orphanGraceMs: number;
  janitorIntervalMs: number;
}

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
  /** Bytes of originals kept in memory for on-demand renders (OriginalsCache). */
  readonly originalsCacheBytes: number;
  readonly heic: {
    workers: number;
    recycleAfter: number;
    decoder: 'auto' | 'native' | 'wasm';
    command: string;
    memoryBytes: number;
  };
  readonly socketTimeoutMs: number;
  /** Where new bytes are written. */
  readonly storage: StoreKind;
  readonly s3: S3Settings | undefined;

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
    this.originalsCacheBytes = e.MEDIA_ORIGINALS_CACHE_MB * 1024 * 1024;
    this.heic = {
      workers: e.MEDIA_HEIC_WORKERS,
      recycleAfter: e.MEDIA_HEIC_RECYCLE_AFTER,
      decoder: e.MEDIA_HEIC_DECODER,
      command: e.MEDIA_HEIC_DECODER_COMMAND,
      memoryBytes: e.MEDIA_HEIC_DECODER_MEMORY_MB * 1024 * 1024,
    };
    this.socketTimeoutMs = e.MEDIA_SOCKET_TIMEOUT_MS;
    this.storage = e.MEDIA_STORAGE;
    this.s3 = e.MEDIA_S3_BUCKET ? toS3Settings(e, e.MEDIA_S3_BUCKET) : undefined;
  }
}

function toS3Settings(e: MediaEnv, bucket: string): S3Settings {
  return {
    endpoint: e.MEDIA_S3_ENDPOINT,
    region: e.MEDIA_S3_REGION,
    bucket,
    prefix: e.MEDIA_S3_PREFIX,
    forcePathStyle: e.MEDIA_S3_FORCE_PATH_STYLE,
    credentials:
      e.MEDIA_S3_ACCESS_KEY_ID && e.MEDIA_S3_SECRET_ACCESS_KEY
        ? { accessKeyId: e.MEDIA_S3_ACCESS_KEY_ID, secretAccessKey: e.MEDIA_S3_SECRET_ACCESS_KEY }
        : undefined,
    timeoutMs: e.MEDIA_S3_TIMEOUT_MS,
    orphanGraceMs: e.MEDIA_S3_ORPHAN_GRACE_HOURS * 3_600_000,
    janitorIntervalMs: e.MEDIA_S3_JANITOR_INTERVAL_MINUTES * 60_000,
  };
}
