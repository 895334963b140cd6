import { type Readable } from 'node:stream';
import { type BeforeApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import { LOGGER, type Logger } from '@lateral/observability';
import { MediaException } from '../errors/media-errors.js';
import { type ByteRange } from '../http/byte-range.js';
import { ImageProcessor } from '../images/image-processor.js';
import { formatOfContentType, type OutputFormat } from '../images/image-type.js';
import { clientAccepts, negotiateFormat, parseFormatParam } from '../images/negotiate.js';
import { effectiveWidth, parseWidthParam } from '../images/widths.js';
import { MediaConfig } from '../media.config.js';
import { MediaMetrics } from '../media.metrics.js';
import { ImageQueue } from '../queue/image-queue.js';
import { MediaStorage } from '../storage/media-storage.js';
import { MediaListingService } from './media-listing.service.js';
import {
  ORIGINAL,
  type MediaRecord,
  type StoredFile,
  type StoredFileInfo,
  toStoredFile,
  variantName,
} from './media.records.js';
import { MediaRepository } from './media.repository.js';
import { OriginalsCache } from './originals-cache.js';
import { RejectionMetrics } from './rejections.metrics.js';

/** What to send for a GET: the bytes and whether the choice depended on `Accept`. */
export interface ServedImage {
  /** Size, type and ETag: enough for 304, HEAD and range checks without reading the bytes. */
  file: StoredFileInfo;
  /**
   * The bytes, or an inclusive range of them: a buffer from PostgreSQL or a fresh render, a
   * stream from the object store. Not called for a 304 or a HEAD.
   */
  read: (range?: ByteRange) => Promise<Buffer | Readable>;
  negotiated: boolean;
  isOriginal: boolean;
}

export interface VariantQuery {
  w?: string;
  format?: string;
}

const slice = (data: Buffer, range?: ByteRange) =>
  range ? data.subarray(range.start, range.end + 1) : data;

/**
 * Which bytes answer a GET: the original or a variant (never upscaled, the original kept when
 * it is smaller, the format negotiated from `Accept` unless asked for), a missing variant
 * rendered once however many ask for it at once, answered, and stored after the answer.
 */
@Injectable()
export class DeliveryService implements BeforeApplicationShutdown {
  /**
   * Variants being rendered or stored, by `<id>/<variant>`: from the start of the render until
   * its row is written, every request for it shares these bytes instead of rendering again;
   * shutdown waits for their writes (`stored`) before the pool closes.
   */
  private readonly rendering = new Map<
    string,
    { rendered: Promise<StoredFile>; stored: Promise<void> }
  >();
  private readonly originals: OriginalsCache;

  constructor(
    private readonly repository: MediaRepository,
    private readonly listing: MediaListingService,
    private readonly processor: ImageProcessor,
    private readonly queue: ImageQueue,
    private readonly metrics: MediaMetrics,
    private readonly rejections: RejectionMetrics,
    private readonly storage: MediaStorage,
    config: MediaConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.originals = new OriginalsCache(config.originalsCacheBytes, metrics);
  }

  async beforeApplicationShutdown(): Promise<void> {
    while (this.rendering.size > 0) {
      await Promise.all([...this.rendering.values()].map((variant) => variant.stored));
    }
  }

  /** The bytes for `GET /api/v1/media/:id[?w=&format=]`. */
  async serve(id: string, query: VariantQuery, accept: string | undefined): Promise<ServedImage> {
    const item = await this.listing.find(id);
    if (query.w === undefined && query.format === undefined) {
      return { ...(await this.storedOriginal(item)), negotiated: false, isOriginal: true };
    }
    const width = query.w === undefined ? undefined : parseWidthParam(query.w);
    if (query.w !== undefined && width === undefined) {
      throw new MediaException('invalid_variant', 'w must be one of 320, 640, 960, 1280, 1600.');
    }
    const explicit = query.format === undefined ? undefined : parseFormatParam(query.format);
    if (query.format !== undefined && explicit === undefined) {
      throw new MediaException('invalid_variant', 'format must be avif, webp, jpeg, png or gif.');
    }
    const traits = { hasAlpha: item.hasAlpha, animated: item.frames > 1 };
    const format = explicit ?? negotiateFormat(accept, traits);
    const negotiated = explicit === undefined;
    const target = effectiveWidth(width, item.width);
    if (target === item.width && format === formatOfContentType(item.contentType)) {
      return { ...(await this.storedOriginal(item)), negotiated, isOriginal: true };
    }
    const variant = await this.variant(item, target, format);
    // An "optimized" copy that is bigger than the original helps no one.
    if (negotiated && variant.file.bytes >= item.bytes && clientAccepts(accept, item.contentType)) {
      return { ...(await this.storedOriginal(item)), negotiated, isOriginal: true };
    }
    return { ...variant, negotiated, isOriginal: false };
  }

  recordBytesOut(bytes: number): void {
    this.metrics.bytesOut.inc(bytes);
  }

  private async variant(
    item: MediaRecord,
    width: number,
    format: OutputFormat,
  ): Promise<Pick<ServedImage, 'file' | 'read'>> {
    const name = variantName(width, format);
    const key = `${item.id}/${name}`;
    // The map before the row: a variant leaves the map only once its row is written.
    let pending = this.rendering.get(key)?.rendered;
    if (!pending) {
      const stored = await this.repository.findFileInfo(item.id, name);
      if (stored) {
        return { file: stored, read: (range) => this.storage.open(item.id, stored, range) };
      }
      // Many <img> tags asking for the same new width render it once (checked again: another
      // request may have started it while the row was read).
      pending =
        this.rendering.get(key)?.rendered ?? this.renderThenStore(key, item, name, width, format);
    }
    const { data, ...rendered } = await pending;
    return {
      file: { ...rendered, store: this.storage.target },
      read: (range) => Promise.resolve(slice(data, range)),
    };
  }

  /**
   * Renders a variant for the requests waiting now and stores it after they are answered: the
   * write (a row, or an object and a row) is off the response path. A variant is derived data,
   * so a write that fails loses nothing: it is logged and counted by the store, and the next
   * request renders it again (the insert is idempotent, so a variant is stored once).
   */
  private renderThenStore(
    key: string,
    item: MediaRecord,
    name: string,
    width: number,
    format: OutputFormat,
  ): Promise<StoredFile> {
    const rendered = this.rejections.counted(() => this.render(item, name, width, format));
    const stored = rendered
      .then(
        (file) =>
          this.storage.saveVariant(item.id, file).catch((error: unknown) => {
            this.logger.warn(
              { mediaId: item.id, variant: name, err: error },
              'storing a rendered variant failed; the next request renders it again',
            );
          }),
        () => undefined, // a failed render was answered to its requests
      )
      .finally(() => this.rendering.delete(key));
    this.rendering.set(key, { rendered, stored });
    return rendered;
  }

  private async render(
    item: MediaRecord,
    name: string,
    width: number,
    format: OutputFormat,
  ): Promise<StoredFile> {
    const original = await this.original(item);
    const image = await this.queue.run((signal) =>
      this.processor.render(original, item.inputFormat, width, format, item.frames > 1, signal),
    );
    return toStoredFile(name, image);
  }

  private async storedOriginal(item: MediaRecord): Promise<Pick<ServedImage, 'file' | 'read'>> {
    const file = await this.repository.findFileInfo(item.id, ORIGINAL);
    if (!file) throw new Error(`media ${item.id} has no stored original`);
    return { file, read: (range) => this.storage.open(item.id, file, range) };
  }

  /** The original's bytes, the input of an on-demand render (kept a while: OriginalsCache). */
  private original(item: MediaRecord): Promise<Buffer> {
    return this.originals.get(item.id, async () => {
      const file = await this.repository.findFileInfo(item.id, ORIGINAL);
      if (!file) throw new Error(`media ${item.id} has no stored original`);
      return this.storage.readAll(item.id, file);
    });
  }
}
