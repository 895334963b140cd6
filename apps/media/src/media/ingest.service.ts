import { Injectable } from '@nestjs/common';
import { type Identity } from '@lateral/identity';
import { MediaException } from '../errors/media-errors.js';
import { ImageProcessor } from '../images/image-processor.js';
import { type ImageType } from '../images/image-type.js';
import { sniffImageType } from '../images/sniff.js';
import { MediaMetrics } from '../media.metrics.js';
import { ImageQueue } from '../queue/image-queue.js';
import { MediaStorage } from '../storage/media-storage.js';
import { MediaListingService } from './media-listing.service.js';
import { ORIGINAL, sha256, toStoredFile, variantName } from './media.records.js';
import { MediaRepository } from './media.repository.js';
import { type MediaJson } from './media.view.js';
import { RejectionMetrics } from './rejections.metrics.js';

/**
 * Upload → sniff → process → store. Content addressing: the id is the SHA-256 of the uploaded
 * bytes, so bytes already stored are answered from the database without processing them again.
 */
@Injectable()
export class IngestService {
  /** Uploads being processed, by id: the same new file sent twice at once is processed once. */
  private readonly storing = new Map<string, Promise<boolean>>();

  constructor(
    private readonly repository: MediaRepository,
    private readonly listing: MediaListingService,
    private readonly processor: ImageProcessor,
    private readonly queue: ImageQueue,
    private readonly metrics: MediaMetrics,
    private readonly rejections: RejectionMetrics,
    private readonly storage: MediaStorage,
  ) {}

  /**
   * Stores an upload; `created` is false when the same bytes were already stored. `read`
   * receives the bytes (it enforces the size limit), so refusals while reading count too.
   */
  async upload(
    read: () => Promise<Buffer>,
    caller: Identity,
  ): Promise<{ created: boolean; media: MediaJson }> {
    if (caller.role === 'reader') {
      throw new MediaException('forbidden', 'Readers cannot upload images.');
    }
    return this.rejections.counted(async () => {
      const input = await read();
      this.metrics.bytesIn.inc(input.length);
      const type = sniffImageType(input);
      if (type === 'svg') {
        throw new MediaException(
          'svg_refused',
          'SVG is not accepted: it can carry scripts. Upload a PNG or WebP export instead.',
        );
      }
      if (!type) {
        throw new MediaException(
          'unsupported_type',
          'This file is not an image we accept (JPEG, PNG, WebP, AVIF, GIF, HEIC, TIFF).',
        );
      }
      const id = sha256(input);
      const existing = await this.repository.findItem(id);
      if (existing) return { created: false, media: await this.listing.view(existing, caller) };
      // The same new file sent twice at once (a double click, a retry) is processed once.
      let pending = this.storing.get(id);
      if (!pending) {
        pending = this.store(id, input, type, caller).finally(() => this.storing.delete(id));
        this.storing.set(id, pending);
      }
      const created = await pending;
      const stored = await this.repository.findItem(id);
      if (!stored) throw new Error(`media ${id} vanished right after it was stored`);
      return { created, media: await this.listing.view(stored, caller) };
    });
  }

  /** Processes an upload and stores it; false when another upload stored it first. */
  private async store(
    id: string,
    input: Buffer,
    type: ImageType,
    caller: Identity,
  ): Promise<boolean> {
    const image = await this.queue.run((signal) => this.processor.ingest(input, type, signal));
    const original = toStoredFile(ORIGINAL, image.original);
    const files = [
      original,
      ...image.variants.map((v) => toStoredFile(variantName(v.width, v.format), v)),
    ];
    return this.storage.saveItem(
      {
        id,
        contentType: original.contentType,
        inputFormat: type,
        width: original.width,
        height: original.height,
        bytes: original.bytes,
        uploadBytes: input.length,
        hasAlpha: image.hasAlpha,
        frames: image.frames,
        thumbhash: image.thumbhash,
        takenAt: image.metadata.takenAt ? new Date(image.metadata.takenAt) : null,
        cameraMake: image.metadata.camera?.make ?? null,
        cameraModel: image.metadata.camera?.model ?? null,
        location: image.metadata.location,
        uploadedBy: caller.userId,
      },
      files,
    );
  }
}
