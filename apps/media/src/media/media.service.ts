import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { decodeTimeCursor, encodeCursor } from '@lateral/http';
import { type Identity } from '@lateral/identity';
import { MediaException, type MediaErrorCode } from '../errors/media-errors.js';
import { type EncodedImage, ImageProcessor } from '../images/image-processor.js';
import {
  CONTENT_TYPES,
  formatOfContentType,
  type ImageType,
  type OutputFormat,
} from '../images/image-type.js';
import { clientAccepts, negotiateFormat, parseFormatParam } from '../images/negotiate.js';
import { sniffImageType } from '../images/sniff.js';
import { effectiveWidth, parseWidthParam } from '../images/widths.js';
import { MediaMetrics, type RejectionReason } from '../media.metrics.js';
import { ImageQueue } from '../queue/image-queue.js';
import { type ByteRange } from '../http/byte-range.js';
import {
  ORIGINAL,
  type MediaRecord,
  type StoredFile,
  type StoredFileInfo,
  variantName,
} from './media.records.js';
import { MediaRepository } from './media.repository.js';
import { type MediaJson, toMediaJson } from './media.view.js';

const ID_PATTERN = /^[\w-]{1,128}$/;

/** What to send for a GET: the bytes and whether the choice depended on `Accept`. */
export interface ServedImage {
  /** Size, type and ETag: enough for 304, HEAD and range checks without reading the bytes. */
  file: StoredFileInfo;
  /** The bytes, or an inclusive range of them. */
  read: (range?: ByteRange) => Promise<Buffer>;
  negotiated: boolean;
  isOriginal: boolean;
}

export interface VariantQuery {
  w?: string;
  format?: string;
}

const REJECTION_REASONS: Partial<Record<MediaErrorCode, RejectionReason>> = {
  payload_too_large: 'too_large',
  too_many_pixels: 'too_many_pixels',
  too_many_frames: 'too_many_frames',
  unsupported_type: 'unsupported_type',
  svg_refused: 'unsupported_type',
  processing_timeout: 'timeout',
  queue_full: 'queue_full',
  corrupt_image: 'corrupt',
};

/** Media ids are text (content-derived), not UUIDs: the table's own CHECK pattern. */
const isMediaId = (id: string) => ID_PATTERN.test(id);

const slice = (data: Buffer, range?: ByteRange) =>
  range ? data.subarray(range.start, range.end + 1) : data;

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('base64url');

function toStoredFile(name: string, image: EncodedImage): StoredFile {
  return {
    name,
    contentType: CONTENT_TYPES[image.format],
    width: image.width,
    height: image.height,
    bytes: image.data.length,
    etag: `"${sha256(image.data)}"`,
    data: image.data,
  };
}

/**
 * The rules: content addressing and dedup, which bytes answer a GET (never upscaled, original
 * kept when smaller, one render per variant however many ask at once), and what gets counted.
 */
@Injectable()
export class MediaService {
  private readonly rendering = new Map<string, Promise<StoredFile>>();
  private readonly storing = new Map<string, Promise<boolean>>();

  constructor(
    private readonly repository: MediaRepository,
    private readonly processor: ImageProcessor,
    private readonly queue: ImageQueue,
    private readonly metrics: MediaMetrics,
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
    return this.counted(async () => {
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
      if (existing) return { created: false, media: await this.view(existing, caller) };
      // The same new file sent twice at once (a double click, a retry) is processed once.
      let pending = this.storing.get(id);
      if (!pending) {
        pending = this.store(id, input, type, caller).finally(() => this.storing.delete(id));
        this.storing.set(id, pending);
      }
      const created = await pending;
      const stored = await this.repository.findItem(id);
      if (!stored) throw new Error(`media ${id} vanished right after it was stored`);
      return { created, media: await this.view(stored, caller) };
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
    return this.repository.insertItem(
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
    return this.view(await this.item(id), caller);
  }

  /** The bytes for `GET /api/v1/media/:id[?w=&format=]`. */
  async serve(id: string, query: VariantQuery, accept: string | undefined): Promise<ServedImage> {
    const item = await this.item(id);
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
    const stored = await this.repository.findFileInfo(item.id, name);
    if (stored)
      return { file: stored, read: (range) => this.repository.readData(item.id, name, range) };
    // Many <img> tags asking for the same new width render it once.
    const key = `${item.id}/${name}`;
    let pending = this.rendering.get(key);
    if (!pending) {
      pending = this.counted(() => this.renderAndStore(item, name, width, format)).finally(() =>
        this.rendering.delete(key),
      );
      this.rendering.set(key, pending);
    }
    const rendered = await pending;
    return { file: rendered, read: (range) => Promise.resolve(slice(rendered.data, range)) };
  }

  private async renderAndStore(
    item: MediaRecord,
    name: string,
    width: number,
    format: OutputFormat,
  ): Promise<StoredFile> {
    const original = await this.original(item);
    const image = await this.queue.run((signal) =>
      this.processor.render(
        original.data,
        item.inputFormat,
        width,
        format,
        item.frames > 1,
        signal,
      ),
    );
    const file = toStoredFile(name, image);
    await this.repository.insertFile(item.id, file);
    return file;
  }

  private async item(id: string): Promise<MediaRecord> {
    const item = ID_PATTERN.test(id) ? await this.repository.findItem(id) : null;
    if (!item) throw new MediaException('media_not_found', 'No such image.');
    return item;
  }

  private async storedOriginal(item: MediaRecord): Promise<Pick<ServedImage, 'file' | 'read'>> {
    const file = await this.repository.findFileInfo(item.id, ORIGINAL);
    if (!file) throw new Error(`media ${item.id} has no stored original`);
    return { file, read: (range) => this.repository.readData(item.id, ORIGINAL, range) };
  }

  private async original(item: MediaRecord): Promise<StoredFile> {
    const file = await this.repository.findFile(item.id, ORIGINAL);
    if (!file) throw new Error(`media ${item.id} has no stored original`);
    return file;
  }

  private async view(item: MediaRecord, caller: Identity): Promise<MediaJson> {
    return toMediaJson(item, await this.repository.listFiles(item.id), caller);
  }

  /** Counts refusals by reason (`lateral_media_rejections_total`). */
  private async counted<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      const reason = error instanceof MediaException ? REJECTION_REASONS[error.code] : undefined;
      if (reason) this.metrics.rejections.inc({ reason });
      throw error;
    }
  }
}
