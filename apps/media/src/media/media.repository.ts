import { Injectable } from '@nestjs/common';
import { inTransaction, rows } from '@lateral/database';
import { DataSource, type QueryRunner } from 'typeorm';
import { type MediaRecord, type StoredFile, type StoredFileInfo } from './media.records.js';

type NewMedia = Omit<MediaRecord, 'createdAt'>;

const ITEM_COLUMNS = `
  id, content_type AS "contentType", input_format AS "inputFormat", width, height, bytes,
  upload_bytes AS "uploadBytes", has_alpha AS "hasAlpha", frames, thumbhash,
  taken_at AS "takenAt", camera_make AS "cameraMake", camera_model AS "cameraModel", location,
  uploaded_by AS "uploadedBy", created_at AS "createdAt"`;

/** The list's sort key: the index expression of `media_items_uploader_recent_idx`, verbatim. */
const CREATED_MS = `date_trunc('milliseconds', created_at AT TIME ZONE 'UTC')`;

const FILE_INFO_COLUMNS = `name, content_type AS "contentType", width, height, bytes, etag`;

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
   */
  async readData(
    id: string,
    name: string,
    range?: { start: number; end: number },
  ): Promise<Buffer> {
    const rows: { data: Buffer }[] = range
      ? await this.dataSource.query(
          `SELECT substring(data FROM $3 FOR $4) AS data FROM media_files
           WHERE media_id = $1 AND name = $2`,
          [id, name, range.start + 1, range.end - range.start + 1],
        )
      : await this.dataSource.query(
          `SELECT data FROM media_files WHERE media_id = $1 AND name = $2`,
          [id, name],
        );
    const row = rows[0];
    if (!row) throw new Error(`media file ${id}/${name} vanished`);
    return row.data;
  }

  async findFile(id: string, name: string): Promise<StoredFile | null> {
    const rows: StoredFile[] = await this.dataSource.query(
      `SELECT ${FILE_INFO_COLUMNS}, data FROM media_files WHERE media_id = $1 AND name = $2`,
      [id, name],
    );
    return rows[0] ?? null;
  }

  /**
   * Stores an image with its files in one transaction. Returns false (and stores nothing) when
   * the same content was stored first by a concurrent upload.
   */
  async insertItem(item: NewMedia, files: StoredFile[]): Promise<boolean> {
    return inTransaction(this.dataSource, async (runner) => {
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
      for (const file of files) await this.insertFileWith(runner, item.id, file);
      return true;
    });
  }

  /** A variant made on demand; a concurrent identical render is a no-op. */
  async insertFile(id: string, file: StoredFile): Promise<void> {
    await this.insertFileWith(this.dataSource, id, file);
  }

  /** On the transaction's connection inside `insertItem`, on any pooled one otherwise. */
  private async insertFileWith(
    sql: Pick<QueryRunner, 'query'> | DataSource,
    id: string,
    file: StoredFile,
  ): Promise<void> {
    await sql.query(
      `INSERT INTO media_files (media_id, name, content_type, width, height, bytes, etag, data)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (media_id, name) DO NOTHING`,
      [id, file.name, file.contentType, file.width, file.height, file.bytes, file.etag, file.data],
    );
  }
}
