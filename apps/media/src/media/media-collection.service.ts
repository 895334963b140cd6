import { Inject, Injectable } from '@nestjs/common';
import { type UploadedBefore } from '@lateral/contracts';
import { type Identity } from '@lateral/identity';
import { LOGGER, type Logger } from '@lateral/observability';
import { MediaException } from '../errors/media-errors.js';
import { isMediaId } from './media.records.js';
import { MediaRepository } from './media.repository.js';

/** Listing old images and deleting one, for the collection of unused images (admins). */
@Injectable()
export class MediaCollectionService {
  constructor(
    private readonly repository: MediaRepository,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async uploadedBefore(
    before: Date,
    after: string,
    limit: number,
    caller: Identity,
  ): Promise<UploadedBefore> {
    adminOnly(caller);
    const found = await this.repository.listUploadedBefore(before, after, limit);
    return {
      items: found.map((i) => ({ id: i.id, createdAt: i.createdAt.toISOString() })),
      next: found.length === limit ? (found[found.length - 1]?.id ?? null) : null,
    };
  }

  /** 404 `media_not_found` for an id with no image, as every other route answers it. */
  async delete(id: string, caller: Identity): Promise<void> {
    adminOnly(caller);
    if (!isMediaId(id) || !(await this.repository.deleteItem(id))) {
      throw new MediaException('media_not_found', 'No such image.');
    }
    this.logger.info({ mediaId: id, by: caller.userId }, 'image deleted');
  }
}

function adminOnly(caller: Identity): void {
  if (caller.role !== 'admin') {
    throw new MediaException('forbidden', 'Only admins can list or delete images for collection.');
  }
}
