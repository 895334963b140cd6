import { Injectable } from '@nestjs/common';
import { decodeTimeCursor, encodeCursor } from '@lateral/http';
import { type Identity } from '@lateral/identity';
import { MediaException } from '../errors/media-errors.js';
import { isMediaId, type MediaRecord } from './media.records.js';
import { MediaRepository } from './media.repository.js';
import { type MediaJson, toMediaJson } from './media.view.js';

/** Finding images and describing them as JSON: one image by id, or the caller's own uploads. */
@Injectable()
export class MediaListingService {
  constructor(private readonly repository: MediaRepository) {}

  /** The caller's own uploads, newest first (`cursor` from the previous page). */
  async list(
    caller: Identity,
    limit: number,
    cursor: string | undefined,
  ): Promise<{ items: MediaJson[]; nextCursor: string | null }> {
    const key = cursor === undefined ? undefined : decodeTimeCursor(cursor, isMediaId);
    const after = key && { createdAt: new Date(key.at), id: key.id };
    const items = await this.repository.listByUploader(caller.userId, limit + 1, after);
    const page = items.slice(0, limit);
    const files = await this.repository.listFilesOf(page.map((i) => i.id));
    const last = page[page.length - 1];
    return {
      items: page.map((item) =>
        toMediaJson(
          item,
          files.filter((f) => f.mediaId === item.id),
          caller,
        ),
      ),
      nextCursor:
        items.length > limit && last
          ? encodeCursor({ at: new Date(last.createdAt).toISOString(), id: last.id })
          : null,
    };
  }

  async meta(id: string, caller: Identity): Promise<MediaJson> {
    return this.view(await this.find(id), caller);
  }

  /** A stored image, or 404 `media_not_found` (also for an id that could never exist). */
  async find(id: string): Promise<MediaRecord> {
    const item = isMediaId(id) ? await this.repository.findItem(id) : null;
    if (!item) throw new MediaException('media_not_found', 'No such image.');
    return item;
  }

  /** The image JSON, with its variants; the location only for its uploader and admins. */
  async view(item: MediaRecord, caller: Identity): Promise<MediaJson> {
    return toMediaJson(item, await this.repository.listFiles(item.id), caller);
  }
}
