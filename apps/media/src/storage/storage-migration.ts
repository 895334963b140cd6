import { type Logger } from '@lateral/observability';
import { type StoreKind } from '../media.config.js';
import { hashOfEtag, sha256 } from '../media/media.records.js';
import { type FileRow, type MediaRepository } from '../media/media.repository.js';
import { type MediaStorage } from './media-storage.js';

export interface MigrationOptions {
  /** Rows read per batch (default 100). */
  batchSize?: number;
  /** Files moved at once within a batch (default 4). */
  concurrency?: number;
  /** After each batch: files moved so far (progress, tests). */
  onBatch?: (progress: { moved: number; failed: number }) => void | Promise<void>;
}

export interface MigrationReport {
  to: StoreKind;
  moved: number;
  movedBytes: number;
  /** Files left where they were: their bytes did not hash to their key, or went missing. */
  failed: { mediaId: string; name: string; reason: string }[];
  /** Files and bytes per store after the run. */
  counts: Record<StoreKind, { files: number; bytes: number }>;
}

type Outcome = { moved: true; bytes: number } | { moved: false; reason?: string };

/**
 * Moves every file's bytes into one store (`npm run media:migrate-storage -- --to s3|bytea`)
 * while the service serves: one row at a time, each move atomic (the row points to the old
 * store until the new copy is written and verified; reads follow the row). Every copy is read
 * back and its SHA-256 compared with the file's key before the row moves. Resumable: a run
 * walks the files not yet in the target, so a second run continues where one stopped. A store
 * outage stops the run (rerun it); a file whose bytes do not match its hash is reported and left.
 */
export class StorageMigration {
  constructor(
    private readonly repository: MediaRepository,
    private readonly storage: MediaStorage,
    private readonly logger: Logger,
  ) {}

  async run(to: StoreKind, options: MigrationOptions = {}): Promise<MigrationReport> {
    const batchSize = options.batchSize ?? 100;
    const concurrency = options.concurrency ?? 4;
    if (to === 's3') void this.storage.objects; // fails early without MEDIA_S3_BUCKET
    const report: MigrationReport = {
      to,
      moved: 0,
      movedBytes: 0,
      failed: [],
      counts: await this.repository.countByStore(),
    };
    this.logger.info({ to, counts: report.counts }, 'storage migration started');
    let after: { mediaId: string; name: string } | undefined;
    for (;;) {
      const batch = await this.repository.filesOutside(to, batchSize, after);
      if (batch.length === 0) break;
      for (let i = 0; i < batch.length; i += concurrency) {
        const slice = batch.slice(i, i + concurrency);
        const outcomes = await Promise.all(slice.map((file) => this.move(file, to)));
        slice.forEach((file, index) => {
          const outcome = outcomes[index] as Outcome;
          if (outcome.moved) {
            report.moved += 1;
            report.movedBytes += outcome.bytes;
          } else if (outcome.reason) {
            report.failed.push({ mediaId: file.mediaId, name: file.name, reason: outcome.reason });
            this.logger.error(
              { mediaId: file.mediaId, file: file.name, reason: outcome.reason },
              'file not moved',
            );
          }
        });
      }
      const last = batch[batch.length - 1] as FileRow;
      after = { mediaId: last.mediaId, name: last.name };
      this.logger.info({ moved: report.moved, failed: report.failed.length }, 'batch done');
      await options.onBatch?.({ moved: report.moved, failed: report.failed.length });
    }
    report.counts = await this.repository.countByStore();
    this.logger.info(
      { to, moved: report.moved, failed: report.failed.length, counts: report.counts },
      'storage migration finished',
    );
    return report;
  }

  private move(file: FileRow, to: StoreKind): Promise<Outcome> {
    return to === 's3' ? this.toObjectStore(file) : this.toRow(file);
  }

  private async toObjectStore(file: FileRow): Promise<Outcome> {
    const data = await this.repository.readData(file.mediaId, file.name);
    if (!data) return { moved: false }; // moved meanwhile (another run)
    const hash = hashOfEtag(file.etag);
    if (sha256(data) !== hash) return { moved: false, reason: 'bytes in PostgreSQL do not match' };
    await this.storage.putObject({ etag: file.etag, data });
    const back = await this.storage.readObjectFully(file.etag, file.bytes);
    if (!back || sha256(back) !== hash)
      return { moved: false, reason: 'object read back does not match' };
    const moved = await this.repository.moveToObjectStore(file, () =>
      this.storage.ensureObjects([{ etag: file.etag, data }]),
    );
    return moved ? { moved: true, bytes: data.length } : { moved: false };
  }

  private async toRow(file: FileRow): Promise<Outcome> {
    const data = await this.storage.readObjectFully(file.etag, file.bytes);
    if (!data) return { moved: false, reason: 'object missing from the store' };
    if (sha256(data) !== hashOfEtag(file.etag))
      return { moved: false, reason: 'object does not match its hash' };
    // The object stays: the janitor deletes it once no row points to it and the grace is over.
    const moved = await this.repository.moveToRow(file, data);
    return moved ? { moved: true, bytes: data.length } : { moved: false };
  }
}
