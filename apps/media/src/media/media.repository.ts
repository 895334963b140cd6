import { Injectable } from '@nestjs/common';
import { inTransaction, onConnection, pgPool, rows } from '@lateral/database';
import { to as copyTo } from 'pg-copy-streams';
import { singleBinaryCopyValue } from '../database/binary-copy.js';
import { DataSource, type QueryRunner } from 'typeorm';
import { type StoreKind } from '../media.config.js';
import {
  hashOfEtag,
  type MediaRecord,
  type StoredFile,
  type StoredFileInfo,
} from './media.records.js';

type NewMedia = Omit<MediaRecord, 'createdAt'>;

const ITEM_COLUMNS = `
  id, content_type AS "contentType", input_format AS "inputFormat", width, height, bytes,
  upload_bytes AS "uploadBytes", has_alpha AS "hasAlpha", frames, thumbhash,
  taken_at AS "takenAt", camera_make AS "cameraMake", camera_model AS "cameraModel", location,
  uploaded_by AS "uploadedBy", created_at AS "createdAt"`;

/** The list's sort key: the index expression of `media_items_uploader_recent_idx`, verbatim. */
const CREATED_MS = `date_trunc('milliseconds', created_at AT TIME ZONE 'UTC')`;

const FILE_INFO_COLUMNS = `name, content_type AS "contentType", width, height, bytes, etag, store`;

/** A file row as the storage migration walks them. */
export type FileRow = StoredFileInfo & { mediaId: string };

/**
 * Runs inside the transaction that wrote or moved rows pointing to objects, while their keys are
 * locked: the caller makes sure each object is there (see {@link MediaRepository.lockObjects}).
 */
export type ConfirmObjects = () => Promise<void>;

/** All SQL media runs. Bytes are bytea; metadata never selects them. */
@Injectable()
export class MediaRepository {
  constructor(private readonly dataSource: DataSource) {}

  async findItem(id: string): Promise<MediaRecord | null> {
    const rows: MediaRecord[] = await this.dataSource.query(
      `SELECT ${ITEM_COLUMNS} FROM media_items WHERE id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  /**
   * One person's uploads, newest first, after a keyset cursor. `created_at` has microseconds
   * (`now()`) but a cursor carries milliseconds, so order and compare on the millisecond (ties
   * broken by id): comparing the raw column with a truncated cursor would skip the rows created
   * later in the cursor's millisecond. Served by `media_items_uploader_recent_idx`.
   */
  async listByUploader(
    uploadedBy: string,
    limit: number,
    after?: { createdAt: Date; id: string },
  ): Promise<MediaRecord[]> {
    return this.dataSource.query(
      `SELECT ${ITEM_COLUMNS} FROM media_items
       WHERE uploaded_by = $1 AND ($2::timestamptz IS NULL
         OR (${CREATED_MS}, id) < ($2::timestamptz AT TIME ZONE 'UTC', $3))
       ORDER BY ${CREATED_MS} DESC, id DESC LIMIT $4`,
      [uploadedBy, after?.createdAt ?? null, after?.id ?? '', limit],
    );
  }

  /**
   * Images uploaded before `before`, in id order after `afterId`: the pages the gateway's
   * collection of unused images walks (the primary key serves the order; a daily walk).
   */
  async listUploadedBefore(
    before: Date,
    afterId: string,
    limit: number,
  ): Promise<{ id: string; createdAt: Date }[]> {
    return this.dataSource.query(
      `SELECT id, created_at AS "createdAt" FROM media_items
       WHERE created_at < $1 AND id > $2 ORDER BY id LIMIT $3`,
      [before, afterId, limit],
    );
  }

  /**
   * Deletes an image's rows (its files' go with it); false when there was none. Bytes in the
   * object store are the janitor's: no row points to them any more, so it removes them after
   * MEDIA_S3_ORPHAN_GRACE_HOURS, under the same per-key lock an upload of the same bytes takes.
   */
  async deleteItem(id: string): Promise<boolean> {
    const deleted = await onConnection(this.dataSource, (runner) =>
      rows(runner, `DELETE FROM media_items WHERE id = $1 RETURNING id`, [id]),
    );
    return deleted.length > 0;
  }

  /** Files of several images at once (no bytes), for lists. */
  async listFilesOf(ids: string[]): Promise<(StoredFileInfo & { mediaId: string })[]> {
    if (!ids.length) return [];
    return this.dataSource.query(
      `SELECT media_id AS "mediaId", ${FILE_INFO_COLUMNS} FROM media_files
       WHERE media_id = ANY($1) ORDER BY width, name`,
      [ids],
    );
  }

  async listFiles(id: string): Promise<StoredFileInfo[]> {
    return this.dataSource.query(
      `SELECT ${FILE_INFO_COLUMNS} FROM media_files WHERE media_id = $1 ORDER BY width, name`,
      [id],
    );
  }

  async findFileInfo(id: string, name: string): Promise<StoredFileInfo | null> {
    const rows: StoredFileInfo[] = await this.dataSource.query(
      `SELECT ${FILE_INFO_COLUMNS} FROM media_files WHERE media_id = $1 AND name = $2`,
      [id, name],
    );
    return rows[0] ?? null;
  }

  /**
   * A file's bytes, or only the inclusive range asked for: with `STORAGE EXTERNAL`, PostgreSQL
   * reads just the TOAST chunks that hold it, so a range of a 50 MB original stays cheap.
   * `COPY … TO STDOUT (FORMAT binary)` sends the bytes as they are: a query's bytea would travel
   * as hex text (2 characters a byte), encoded by PostgreSQL and decoded here, which made
   * reading a 2.8 MB original a sixth of a 12 MP → 1280 px WebP render (#15).
   */
  async readData(
    id: string,
    name: string,
    range?: { start: number; end: number },
  ): Promise<Buffer | null> {
    if (range && !(Number.isSafeInteger(range.start) && Number.isSafeInteger(range.end)))
      throw new Error(`byte range ${range.start}-${range.end} is not integers`);
    const pool = pgPool(this.dataSource);
    if (!pool) throw new Error('the database is not connected yet');
    const client = await pool.connect();
    // A connection cut mid-COPY (PostgreSQL restarting) fails the stream and is also emitted as
    // an 'error' on the client, which the pool does not listen to while the client is lent out:
    // unheard, it ended the process. Heard here, and kept on a client released as broken.
    let cut: Error | undefined;
    const onCut = (error: Error) => {
      cut ??= error;
    };
    client.on('error', onCut);
    // COPY takes no parameters: the values are quoted by the driver; the range is integers.
    const bytes = range
      ? `substring(data FROM ${range.start + 1} FOR ${range.end - range.start + 1})`
      : 'data';
    const chunks: Buffer[] = [];
    try {
      const copy = client.query(
        copyTo(
          `COPY (SELECT ${bytes} FROM media_files WHERE media_id = ${client.escapeLiteral(id)}
           AND name = ${client.escapeLiteral(name)}) TO STDOUT (FORMAT binary)`,
        ),
      );
      for await (const chunk of copy) chunks.push(chunk as Buffer);
      if (cut) throw cut;
    } catch (error) {
      client.release(error as Error); // a connection cut mid-stream is not given back
      throw error;
    }
    client.off('error', onCut);
    client.release();
    const value = singleBinaryCopyValue(Buffer.concat(chunks));
    if (value === undefined) throw new Error(`media file ${id}/${name} vanished`);
    // null: the file was moved to the object store since its row was read (a migration).
    return value;
  }

  async findFile(
    id: string,
    name: string,
  ): Promise<(StoredFileInfo & { data: Buffer | null }) | null> {
    const rows: (StoredFileInfo & { data: Buffer | null })[] = await this.dataSource.query(
      `SELECT ${FILE_INFO_COLUMNS}, data FROM media_files WHERE media_id = $1 AND name = $2`,
      [id, name],
    );
    return rows[0] ?? null;
  }

  /**
   * Stores an image with its files in one transaction. Returns false (and stores nothing) when
   * the same content was stored first by a concurrent upload. With `store: 's3'` the objects
   * were written first; the rows carry no bytes and `confirm` runs under their keys' locks.
   */
  async insertItem(
    item: NewMedia,
    files: StoredFile[],
    store: StoreKind = 'bytea',
    confirm?: ConfirmObjects,
  ): Promise<boolean> {
    return inTransaction(this.dataSource, async (runner) => {
      if (store === 's3') await this.lockObjects(runner, files);
      const inserted = await rows<{ id: string }>(
        runner,
        `INSERT INTO media_items (id, content_type, input_format, width, height, bytes,
           upload_bytes, has_alpha, frames, thumbhash, taken_at, camera_make, camera_model,
           location, uploaded_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
         ON CONFLICT (id) DO NOTHING RETURNING id`,
        [
          item.id,
          item.contentType,
          item.inputFormat,
          item.width,
          item.height,
          item.bytes,
          item.uploadBytes,
          item.hasAlpha,
          item.frames,
          item.thumbhash,
          item.takenAt,
          item.cameraMake,
          item.cameraModel,
          item.location ? JSON.stringify(item.location) : null,
          item.uploadedBy,
        ],
      );
      if (inserted.length === 0) return false;
      for (const file of files) await this.insertFileWith(runner, item.id, file, store);
      await confirm?.();
      return true;
    });
  }

  /** A variant made on demand; a concurrent identical render is a no-op. */
  async insertFile(
    id: string,
    file: StoredFile,
    store: StoreKind = 'bytea',
    confirm?: ConfirmObjects,
  ): Promise<void> {
    if (store === 'bytea') {
      await this.insertFileWith(this.dataSource, id, file, store);
      return;
    }
    await inTransaction(this.dataSource, async (runner) => {
      await this.lockObjects(runner, [file]);
      await this.insertFileWith(runner, id, file, store);
      await confirm?.();
    });
  }

  /** On the transaction's connection inside `insertItem`, on any pooled one otherwise. */
  private async insertFileWith(
    sql: Pick<QueryRunner, 'query'> | DataSource,
    id: string,
    file: StoredFile,
    store: StoreKind,
  ): Promise<void> {
    await sql.query(
      `INSERT INTO media_files
         (media_id, name, content_type, width, height, bytes, etag, store, data)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (media_id, name) DO NOTHING`,
      [
        id,
        file.name,
        file.contentType,
        file.width,
        file.height,
        file.bytes,
        file.etag,
        store,
        store === 'bytea' ? file.data : null,
      ],
    );
  }

  /**
   * Transaction-scoped locks on object keys (their hashes), in one order so two writers never
   * deadlock. A writer holds them while it inserts rows and checks the objects are there; the
   * janitor holds one while it checks that no row points to an object and deletes it. So the
   * janitor either deletes first (the writer then finds the object gone and writes it again)
   * or sees the committed row and keeps the object: a row never points to a deleted object.
   */
  private async lockObjects(
    runner: Pick<QueryRunner, 'query'>,
    files: readonly Pick<StoredFileInfo, 'etag'>[],
  ): Promise<void> {
    const hashes = [...new Set(files.map((f) => hashOfEtag(f.etag)))].sort();
    for (const hash of hashes) {
      await runner.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [hash]);
    }
  }

  /**
   * The janitor's step for one object: under the key's lock, `remove` runs only when no row
   * points to the object. True when it ran.
   */
  async removeIfUnreferenced(hash: string, remove: () => Promise<void>): Promise<boolean> {
    return inTransaction(this.dataSource, async (runner) => {
      const etag = `"${hash}"`;
      await this.lockObjects(runner, [{ etag }]);
      const used = await rows<{ one: number }>(
        runner,
        `SELECT 1 AS one FROM media_files WHERE store = 's3' AND etag = $1 LIMIT 1`,
        [etag],
      );
      if (used.length > 0) return false;
      await remove();
      return true;
    });
  }

  /** Files whose bytes are not in `store`, in key order after `after` (the migration's walk). */
  async filesOutside(
    store: StoreKind,
    limit: number,
    after?: { mediaId: string; name: string },
  ): Promise<FileRow[]> {
    return this.dataSource.query(
      `SELECT media_id AS "mediaId", ${FILE_INFO_COLUMNS} FROM media_files
       WHERE store <> $1 AND (media_id, name) > ($2, $3)
       ORDER BY media_id, name LIMIT $4`,
      [store, after?.mediaId ?? '', after?.name ?? '', limit],
    );
  }

  /**
   * Points a file's row at its object (bytes dropped from the row) if it is still in the row
   * with the same content; `confirm` runs under the key's lock. False when nothing changed.
   */
  async moveToObjectStore(file: FileRow, confirm: ConfirmObjects): Promise<boolean> {
    return inTransaction(this.dataSource, async (runner) => {
      await this.lockObjects(runner, [file]);
      const moved = await rows<{ one: number }>(
        runner,
        `UPDATE media_files SET store = 's3', data = NULL
         WHERE media_id = $1 AND name = $2 AND etag = $3 AND store = 'bytea' RETURNING 1 AS one`,
        [file.mediaId, file.name, file.etag],
      );
      if (moved.length > 0) await confirm();
      return moved.length > 0;
    });
  }

  /** Puts a file's bytes back into its row; the object stays until the janitor's grace ends. */
  async moveToRow(file: FileRow, data: Buffer): Promise<boolean> {
    const moved = await onConnection(this.dataSource, (runner) =>
      rows(
        runner,
        `UPDATE media_files SET store = 'bytea', data = $4
         WHERE media_id = $1 AND name = $2 AND etag = $3 AND store = 's3' RETURNING 1 AS one`,
        [file.mediaId, file.name, file.etag, data],
      ),
    );
    return moved.length > 0;
  }

  /** Files and bytes per store (migration progress). */
  async countByStore(): Promise<Record<StoreKind, { files: number; bytes: number }>> {
    const counts: { store: StoreKind; files: number; bytes: number }[] =
      await this.dataSource.query(
        `SELECT store, count(*)::int AS files, coalesce(sum(bytes), 0)::bigint::float8 AS bytes
       FROM media_files GROUP BY store`,
      );
    const result = { bytea: { files: 0, bytes: 0 }, s3: { files: 0, bytes: 0 } };
    for (const c of counts) result[c.store] = { files: c.files, bytes: c.bytes };
    return result;
  }
}
