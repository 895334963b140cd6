import { type Readable } from 'node:stream';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { HealthService } from '@lateral/health';
import { isDatabaseUnavailable } from '@lateral/http';
import { LOGGER, type Logger } from '@lateral/observability';
import { MediaException } from '../errors/media-errors.js';
import { type ByteRange } from '../http/byte-range.js';
import { MediaConfig, type StoreKind } from '../media.config.js';
import { MediaMetrics, type StoreOperation } from '../media.metrics.js';
import {
  hashOfEtag,
  type MediaRecord,
  type StoredFile,
  type StoredFileInfo,
} from '../media/media.records.js';
import { MediaRepository } from '../media/media.repository.js';
import { S3ObjectStore, type ObjectInfo, type ObjectRead } from './s3-object-store.js';
import { StoreError, classifyStoreError, isStoreOutage } from './store-errors.js';

/** The object store client when a bucket is configured, else null (bytea only). */
export const S3_STORE = Symbol('S3_STORE');

type NewMedia = Omit<MediaRecord, 'createdAt'>;

/**
 * The storage seam: where image bytes are written (MEDIA_STORAGE) and where each file's bytes
 * are read from (its row's `store`, so a half-migrated database serves). Objects are keyed by
 * their SHA-256 and written before the rows that point to them; reads from the object store are
 * streams (a range is the store's own ranged GET). Every call is timed and counted by store and
 * operation; an unreachable store becomes 503 `storage_unavailable` with `Retry-After`.
 */
@Injectable()
export class MediaStorage implements OnApplicationShutdown {
  constructor(
    private readonly config: MediaConfig,
    private readonly repository: MediaRepository,
    private readonly metrics: MediaMetrics,
    @Inject(S3_STORE) private readonly s3: S3ObjectStore | null,
    @Inject(LOGGER) private readonly logger: Logger,
    health: HealthService,
  ) {
    // Readiness says why the pod cannot serve files from the store (its message is the kind).
    if (s3) health.addReadinessCheck('object_store', () => this.checkObjectStore());
    // Zero series for the stores in use, so error-rate panels and alerts have data before the
    // first failure.
    for (const store of s3 ? (['bytea', 's3'] as const) : (['bytea'] as const)) {
      for (const operation of ['get', 'put'] as const)
        metrics.storeErrors.inc({ store, operation, kind: 'unreachable' }, 0);
    }
  }

  /** Where new files go. */
  get target(): StoreKind {
    return this.config.storage;
  }

  /** The object store, for the migration and the janitor; an error when none is configured. */
  get objects(): S3ObjectStore {
    if (!this.s3) throw new Error('no object store configured (MEDIA_S3_BUCKET)');
    return this.s3;
  }

  /** A new image: its objects first (when the target is s3), then its rows. */
  async saveItem(item: NewMedia, files: StoredFile[]): Promise<boolean> {
    const bytes = files.reduce((sum, f) => sum + f.bytes, 0);
    if (this.target === 'bytea') {
      const stored = await this.timed('bytea', 'put', () =>
        this.repository.insertItem(item, files),
      );
      if (stored) this.metrics.storeBytes.inc({ store: 'bytea', direction: 'in' }, bytes);
      return stored;
    }
    return this.forRequest(async () => {
      await Promise.all(files.map((file) => this.putObject(file)));
      return this.repository.insertItem(item, files, 's3', () => this.ensureObjects(files));
    });
  }

  /** A variant rendered on demand, stored where new files go. */
  async saveVariant(mediaId: string, file: StoredFile): Promise<void> {
    if (this.target === 'bytea') {
      await this.timed('bytea', 'put', () => this.repository.insertFile(mediaId, file));
      this.metrics.storeBytes.inc({ store: 'bytea', direction: 'in' }, file.bytes);
      return;
    }
    await this.forRequest(async () => {
      await this.putObject(file);
      await this.repository.insertFile(mediaId, file, 's3', () => this.ensureObjects([file]));
    });
  }

  /**
   * A file's bytes (or an inclusive range) for an answer: a buffer from PostgreSQL, a stream
   * from the object store. When a migration moved the file between reading its row and now,
   * the other store is asked.
   */
  async open(mediaId: string, file: StoredFileInfo, range?: ByteRange): Promise<Buffer | Readable> {
    if (file.store === 'bytea') {
      const data = await this.readRow(mediaId, file.name, range);
      if (data) return data;
    } else {
      const read = await this.forRequest(() => this.readObject(file.etag, range));
      if (read) return read.body;
    }
    return this.openMoved(mediaId, file, range);
  }

  /** A whole file in memory (the input of an on-demand render). */
  async readAll(mediaId: string, file: StoredFileInfo): Promise<Buffer> {
    const data = await this.open(mediaId, file);
    return Buffer.isBuffer(data) ? data : this.forRequest(() => collect(data, file.bytes));
  }

  /** Writes an object under its hash; the store's confirmation is the acknowledgement. */
  async putObject(file: Pick<StoredFile, 'etag' | 'data'>): Promise<void> {
    const key = this.objects.keyOf(hashOfEtag(file.etag));
    await this.timed('s3', 'put', () => this.objects.put(key, file.data));
    this.metrics.storeBytes.inc({ store: 's3', direction: 'in' }, file.data.length);
  }

  /**
   * Under the keys' locks, after the rows are written: every object is there (the janitor may
   * have deleted an unreferenced copy between our PUT and the lock; then it is written again).
   */
  async ensureObjects(files: Pick<StoredFile, 'etag' | 'data'>[]): Promise<void> {
    for (const file of files) {
      const key = this.objects.keyOf(hashOfEtag(file.etag));
      const found = await this.timed('s3', 'head', () => this.objects.head(key));
      if (!found) await this.putObject(file);
    }
  }

  /** An object's bytes as a stream, or null when there is no such object. */
  async readObject(etag: string, range?: ByteRange): Promise<ObjectRead | null> {
    const key = this.objects.keyOf(hashOfEtag(etag));
    try {
      const read = await this.timed('s3', 'get', () => this.objects.get(key, range));
      this.metrics.storeBytes.inc({ store: 's3', direction: 'out' }, read.length);
      read.body.once('error', (error) => {
        // The store went away mid-body: the client's answer is cut short (the length tells it).
        this.metrics.storeErrors.inc({
          store: 's3',
          operation: 'get',
          kind: classifyStoreError(error),
        });
      });
      return read;
    } catch (error) {
      if (error instanceof StoreError && error.kind === 'not_found') return null;
      throw error;
    }
  }

  /** A whole object, or null when there is none (the migration's read-back). */
  async readObjectFully(etag: string, bytes: number): Promise<Buffer | null> {
    const read = await this.readObject(etag);
    return read && collect(read.body, bytes);
  }

  /** One page of our objects (the janitor's walk). */
  listObjects(
    continuation: string | undefined,
  ): Promise<{ objects: ObjectInfo[]; next: string | undefined }> {
    return this.timed('s3', 'list', () => this.objects.list(continuation));
  }

  deleteObject(key: string): Promise<void> {
    return this.timed('s3', 'delete', () => this.objects.delete(key));
  }

  onApplicationShutdown(): void {
    this.s3?.close();
  }

  private async checkObjectStore(): Promise<void> {
    try {
      await this.timed('s3', 'check', () => this.objects.checkBucket());
    } catch (error) {
      // A missing bucket is named in readiness's reason: it is the one setting to fix.
      if (
        error instanceof StoreError &&
        (error.cause as Error | undefined)?.name === 'NoSuchBucket'
      )
        throw new Error(`object store check failed: ${(error.cause as Error).message}`);
      throw error;
    }
  }

  private async readRow(mediaId: string, name: string, range?: ByteRange): Promise<Buffer | null> {
    const data = await this.timed('bytea', 'get', () =>
      this.repository.readData(mediaId, name, range),
    );
    if (data) this.metrics.storeBytes.inc({ store: 'bytea', direction: 'out' }, data.length);
    return data;
  }

  private async openMoved(
    mediaId: string,
    file: StoredFileInfo,
    range?: ByteRange,
  ): Promise<Buffer | Readable> {
    const now = await this.repository.findFileInfo(mediaId, file.name);
    if (now && now.store !== file.store) return this.open(mediaId, now, range);
    // A row pointing to a missing object: not an outage, and not something a retry fixes.
    this.logger.error({ mediaId, file: file.name, store: file.store }, 'stored file is missing');
    throw new Error(`media file ${mediaId}/${file.name} is missing from ${file.store}`);
  }

  /** Times a store call; a failure is counted by kind and thrown as a {@link StoreError}. */
  private async timed<T>(store: StoreKind, operation: StoreOperation, call: () => Promise<T>) {
    const stop = this.metrics.storeDuration.startTimer({ store, operation });
    try {
      const result = await call();
      stop();
      return result;
    } catch (error) {
      stop();
      if (store === 'bytea') {
        const kind = isDatabaseUnavailable(error) ? 'unreachable' : 'other';
        this.metrics.storeErrors.inc({ store, operation, kind });
        throw error; // database errors keep their own mapping (503 database_unavailable)
      }
      const kind = classifyStoreError(error);
      this.metrics.storeErrors.inc({ store, operation, kind });
      throw new StoreError(kind, operation, error);
    }
  }

  /** For request paths: an outage becomes 503 `storage_unavailable` with `Retry-After`. */
  private async forRequest<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof StoreError && isStoreOutage(error.kind)) {
        const retryAfterSeconds = this.config.queue.retryAfterSeconds;
        throw new MediaException(
          'storage_unavailable',
          'Image storage is not reachable right now; try again shortly.',
          { retryAfterSeconds },
          { 'retry-after': String(retryAfterSeconds) },
        );
      }
      throw error;
    }
  }
}

/** Reads a stream into one buffer, refusing more than `limit` bytes (the row's size). */
async function collect(body: Readable, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body) {
    const buffer = chunk as Buffer;
    total += buffer.length;
    if (total > limit) {
      body.destroy();
      throw new Error(`object is larger than its row says (${limit} bytes)`);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks, total);
}
