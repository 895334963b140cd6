import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

const IMAGE_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** Why an upload or a variant was refused (`lateral_media_rejections_total{reason}`). */
export type RejectionReason =
  | 'too_large'
  | 'too_many_pixels'
  | 'too_many_frames'
  | 'unsupported_type'
  | 'timeout'
  | 'queue_full'
  | 'corrupt';

/** What an object-store call does (`operation` label of the store series). */
export type StoreOperation = 'put' | 'get' | 'head' | 'delete' | 'list' | 'check';

/** Why a store call failed (`kind` label); see `storage/store-errors.ts`. */
export type StoreErrorKind =
  'timeout' | 'unreachable' | 'denied' | 'not_found' | 'server' | 'other';

/** Reads answer at the first byte and writes at the store's confirmation: 1 ms to 10 s. */
const STORE_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Media's own series, named exactly as docs/metrics.md (dashboards and alerts read them). */
export class MediaMetrics {
  readonly queueDepth: Gauge;
  readonly queueCapacity: Gauge;
  readonly inFlight: Gauge;
  readonly processed: Counter<'input_format' | 'output_format'>;
  readonly decodeDuration: Histogram<'format'>;
  readonly encodeDuration: Histogram<'format'>;
  readonly bytesIn: Counter;
  readonly bytesOut: Counter;
  readonly rejections: Counter<'reason'>;
  readonly storeDuration: Histogram<'store' | 'operation'>;
  readonly storeErrors: Counter<'store' | 'operation' | 'kind'>;
  readonly storeBytes: Counter<'store' | 'direction'>;
  readonly heicDecoder: Gauge<'decoder'>;
  readonly heicDecodes: Counter<'decoder'>;
  readonly originalsCacheLookups: Counter<'result'>;
  readonly originalsCacheBytes: Gauge;

  constructor(readonly registry: Registry) {
    this.heicDecoder = new Gauge({
      name: 'lateral_media_heic_decoder_info',
      help: 'The HEIC decoder start-up chose: 1 for native (libheif) or wasm (worker pool).',
      labelNames: ['decoder'],
      registers: [registry],
    });
    this.heicDecodes = new Counter({
      name: 'lateral_media_heic_decodes_total',
      help: 'HEVC HEIC images decoded, by decoder (wasm also takes images with alpha).',
      labelNames: ['decoder'],
      registers: [registry],
    });
    this.originalsCacheLookups = new Counter({
      name: 'lateral_media_originals_cache_lookups_total',
      help: 'On-demand renders looking for their original in memory: hit (kept, or being read) or miss (read from the store).',
      labelNames: ['result'],
      registers: [registry],
    });
    this.originalsCacheBytes = new Gauge({
      name: 'lateral_media_originals_cache_bytes',
      help: 'Bytes of originals kept in memory for on-demand renders.',
      registers: [registry],
    });
    this.queueDepth = new Gauge({
      name: 'lateral_media_queue_depth',
      help: 'Image jobs waiting for a processing slot.',
      registers: [registry],
    });
    this.queueCapacity = new Gauge({
      name: 'lateral_media_queue_capacity',
      help: 'Image jobs allowed to wait; one more is answered 503.',
      registers: [registry],
    });
    this.inFlight = new Gauge({
      name: 'lateral_media_in_flight',
      help: 'Image jobs being processed.',
      registers: [registry],
    });
    this.processed = new Counter({
      name: 'lateral_media_images_processed_total',
      help: 'Images encoded, by input and output format.',
      labelNames: ['input_format', 'output_format'],
      registers: [registry],
    });
    this.decodeDuration = new Histogram({
      name: 'lateral_media_decode_duration_seconds',
      help: 'Time to decode an upload to pixels (HEIC in the worker pool).',
      labelNames: ['format'],
      buckets: IMAGE_BUCKETS,
      registers: [registry],
    });
    this.encodeDuration = new Histogram({
      name: 'lateral_media_encode_duration_seconds',
      help: 'Time to resize and encode one output (on-demand variants include their decode).',
      labelNames: ['format'],
      buckets: IMAGE_BUCKETS,
      registers: [registry],
    });
    this.bytesIn = new Counter({
      name: 'lateral_media_bytes_in_total',
      help: 'Bytes of uploaded images received.',
      registers: [registry],
    });
    this.bytesOut = new Counter({
      name: 'lateral_media_bytes_out_total',
      help: 'Bytes of images served.',
      registers: [registry],
    });
    this.rejections = new Counter({
      name: 'lateral_media_rejections_total',
      help: 'Uploads and variant requests refused, by reason.',
      labelNames: ['reason'],
      registers: [registry],
    });
    this.storeDuration = new Histogram({
      name: 'lateral_media_store_duration_seconds',
      help: 'Object store calls by store (bytea, s3) and operation; a get until its first byte.',
      labelNames: ['store', 'operation'],
      buckets: STORE_BUCKETS,
      registers: [registry],
    });
    this.storeErrors = new Counter({
      name: 'lateral_media_store_errors_total',
      help: 'Failed object store calls by store, operation and kind (timeout, unreachable, ...).',
      labelNames: ['store', 'operation', 'kind'],
      registers: [registry],
    });
    this.storeBytes = new Counter({
      name: 'lateral_media_store_bytes_total',
      help: 'Image bytes written to (direction="in") and read from (direction="out") a store.',
      labelNames: ['store', 'direction'],
      registers: [registry],
    });
  }
}
