import { tmpdir } from 'node:os';
import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { LOGGER, type Logger } from '@lateral/observability';
import sharp, { type Metadata, type Sharp, type SharpOptions } from 'sharp';
import { rgbaToThumbHash } from 'thumbhash';
import { JobTimeoutError } from '@lateral/work';
import { MediaException } from '../errors/media-errors.js';
import { MediaConfig } from '../media.config.js';
import { MediaMetrics } from '../media.metrics.js';
import { encode } from './encoders.js';
import { parseExif, type PhotoMetadata } from './exif-metadata.js';
import { type DecodedPixels, HeicDecodeError, HeicPool } from './heic/heic-pool.js';
import { NativeHeicDecoder } from './heic/native-heic.js';
import { type ImageType, type OutputFormat } from './image-type.js';
import { EAGER_WIDTHS } from './widths.js';

export interface EncodedImage {
  data: Buffer;
  format: OutputFormat;
  width: number;
  height: number;
}

export interface IngestedImage {
  original: EncodedImage;
  /** Eager WebP variants (thumbnail and display size), without duplicates. */
  variants: EncodedImage[];
  thumbhash: string;
  metadata: PhotoMetadata;
  hasAlpha: boolean;
  frames: number;
}

interface Probe {
  meta: Metadata;
  width: number;
  frameHeight: number;
  frames: number;
  animated: boolean;
}

/** The format an upload is stored in: its own when browsers show it, else JPEG/PNG. */
export function storedFormat(type: ImageType, hasAlpha: boolean): OutputFormat {
  switch (type) {
    case 'jpeg':
    case 'png':
    case 'webp':
    case 'avif':
    case 'gif':
      return type;
    case 'heic':
    case 'tiff':
      return hasAlpha ? 'png' : 'jpeg';
  }
}

/**
 * Everything sharp (libvips) and the HEIC workers do, behind one injectable class. Uploads are
 * decoded once to oriented sRGB pixels, from which the stored original (metadata stripped: no
 * GPS in served bytes), the eager variants and the ThumbHash are encoded. On-demand variants
 * are made from the stored original, which is already clean.
 */
@Injectable()
export class ImageProcessor implements OnModuleInit, OnApplicationShutdown {
  private readonly heic: HeicPool;
  /** libheif's own decoder, when start-up found it usable (and config allows it). */
  private native: NativeHeicDecoder | undefined;

  constructor(
    private readonly config: MediaConfig,
    private readonly metrics: MediaMetrics,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.heic = new HeicPool({ size: config.heic.workers, recycleAfter: config.heic.recycleAfter });
  }

  /**
   * Chooses the HEIC decoder once, says which in the log and `lateral_media_heic_decoder_info`:
   * native libheif is ~4x faster than the WebAssembly pool, which stays the fallback.
   */
  async onModuleInit(): Promise<void> {
    const { decoder, command, memoryBytes } = this.config.heic;
    let detail = 'MEDIA_HEIC_DECODER=wasm';
    if (decoder !== 'wasm') {
      const tempDir = tmpdir();
      const probe = await NativeHeicDecoder.probe({ binary: command, tempDir });
      if (probe.available) {
        this.native = new NativeHeicDecoder({
          binary: command,
          tempDir,
          memoryBytes,
          timeoutMs: this.config.limits.timeoutMs,
          maxPixels: this.config.limits.maxPixels,
        });
      } else if (decoder === 'native') {
        throw new Error(`MEDIA_HEIC_DECODER=native, but ${probe.detail}`);
      }
      detail = probe.detail;
    }
    const chosen = this.heicDecoder;
    this.metrics.heicDecoder.set({ decoder: chosen }, 1);
    this.logger.info({ heicDecoder: chosen, detail }, `HEIC decoder: ${chosen} (${detail})`);
  }

  /** The decoder HEVC HEIC without alpha goes to. */
  get heicDecoder(): 'native' | 'wasm' {
    return this.native ? 'native' : 'wasm';
  }

  /** HEIC workers started so far (tests observe recycling through it). */
  get heicWorkersStarted(): number {
    return this.heic.spawned;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.heic.close();
  }

  async ingest(input: Buffer, type: ImageType, signal: AbortSignal): Promise<IngestedImage> {
    const probe = await this.probe(input, type);
    const metadata = parseExif(probe.meta.exif);
    const hevc = type === 'heic' && probe.meta.compression !== 'av1';
    const decodeStart = performance.now();
    const decoded = probe.animated
      ? { open: () => this.open(input, { pages: -1 }), channels: probe.meta.hasAlpha ? 4 : 3 }
      : await this.decodeStill(input, hevc && { alpha: probe.meta.hasAlpha === true }, signal);
    // Animations are decoded inside each output's pipeline; there is no separate decode to time.
    if (!probe.animated) {
      this.metrics.decodeDuration.observe(
        { format: type },
        (performance.now() - decodeStart) / 1000,
      );
    }
    const base = decoded.open;
    // An alpha channel that is opaque everywhere (every HEIC decode, many PNG exports) is none.
    const hasAlpha =
      decoded.channels % 2 === 0 &&
      (probe.animated ||
        !(await base()
          .stats()
          .then((s) => s.isOpaque)));
    signal.throwIfAborted();

    const format = storedFormat(type, hasAlpha);
    const original = await this.encodeTimed(type, format, base(), 'original', hasAlpha);
    const variants: EncodedImage[] = [];
    for (const width of new Set(EAGER_WIDTHS.map((w) => Math.min(w, original.width)))) {
      signal.throwIfAborted();
      const image = base().resize({ width, withoutEnlargement: true });
      variants.push(await this.encodeTimed(type, 'webp', image, 'variant', hasAlpha));
    }
    signal.throwIfAborted();
    const thumbhash = await this.thumbhash(
      probe.animated ? this.open(input, { pages: 1 }) : base(),
    );
    return { original, variants, thumbhash, metadata, hasAlpha, frames: probe.frames };
  }

  /** A variant of a stored original (already oriented, sRGB and clean). */
  async render(
    original: Buffer,
    inputFormat: string,
    width: number,
    format: OutputFormat,
    animated: boolean,
    signal: AbortSignal,
  ): Promise<EncodedImage> {
    const keepFrames = animated && (format === 'webp' || format === 'gif');
    const image = this.open(original, { pages: keepFrames ? -1 : 1 }).resize({
      width,
      withoutEnlargement: true,
    });
    signal.throwIfAborted();
    return this.encodeTimed(inputFormat, format, image, 'variant', true);
  }

  /** Header only: dimensions, frames and EXIF, checked against the limits before any decoding. */
  private async probe(input: Buffer, type: ImageType): Promise<Probe> {
    let meta: Metadata;
    try {
      meta = await sharp(input, { limitInputPixels: false }).metadata();
    } catch (error) {
      throw this.translate(error);
    }
    const animatable = type === 'gif' || type === 'webp';
    const frames = animatable ? Math.max(1, meta.pages ?? 1) : 1;
    const frameHeight = animatable ? (meta.pageHeight ?? meta.height) : meta.height;
    if (!meta.width || !frameHeight) {
      throw new MediaException('corrupt_image', 'The image has no dimensions.');
    }
    if (frames > this.config.limits.maxFrames) {
      throw new MediaException(
        'too_many_frames',
        `The animation has ${frames} frames; at most ${this.config.limits.maxFrames} are accepted.`,
        { frames, maxFrames: this.config.limits.maxFrames },
      );
    }
    const pixels = meta.width * frameHeight * frames;
    if (pixels > this.config.limits.maxPixels) {
      throw new MediaException(
        'too_many_pixels',
        `The image is ${meta.width}x${frameHeight}${frames > 1 ? ` x ${frames} frames` : ''}; at most ${this.config.limits.maxPixels / 1e6} megapixels are accepted.`,
        { width: meta.width, height: frameHeight, frames, maxPixels: this.config.limits.maxPixels },
      );
    }
    return { meta, width: meta.width, frameHeight, frames, animated: frames > 1 };
  }

  /** Decodes once to raw oriented sRGB pixels; every output is encoded from them. */
  private async decodeStill(
    input: Buffer,
    hevc: false | { alpha: boolean },
    signal: AbortSignal,
  ): Promise<{ open: () => Sharp; channels: number }> {
    if (hevc) {
      const pixels = await this.decodeHevc(input, hevc.alpha, signal);
      // libheif applies the HEIF rotation/mirror boxes itself; EXIF orientation is ignored by spec.
      const raw = { width: pixels.width, height: pixels.height, channels: pixels.channels };
      return { open: () => this.withTimeout(sharp(pixels.data, { raw })), channels: raw.channels };
    }
    try {
      const { data, info } = await this.open(input, { pages: 1 })
        .toColourspace('srgb')
        .raw()
        .toBuffer({ resolveWithObject: true });
      const raw = { width: info.width, height: info.height, channels: info.channels };
      return { open: () => this.withTimeout(sharp(data, { raw })), channels: info.channels };
    } catch (error) {
      throw this.translate(error);
    }
  }

  /** Native libheif when available; the WebAssembly pool otherwise and for alpha (JPEG has none). */
  private async decodeHevc(
    input: Buffer,
    alpha: boolean,
    signal: AbortSignal,
  ): Promise<DecodedPixels> {
    const decoder = alpha ? undefined : this.native;
    try {
      const pixels = decoder
        ? await decoder.decode(input, signal)
        : await this.heic.decode(input, signal);
      this.metrics.heicDecodes.inc({ decoder: decoder ? 'native' : 'wasm' });
      return pixels;
    } catch (error) {
      if (error instanceof HeicDecodeError)
        throw new MediaException('corrupt_image', 'The HEIC image could not be decoded.');
      throw error;
    }
  }

  private open(input: Buffer, options: SharpOptions): Sharp {
    return this.withTimeout(
      sharp(input, {
        limitInputPixels: this.config.limits.maxPixels,
        // Truncated and broken data fail; harmless warnings (common in phone JPEGs) do not.
        failOn: 'error',
        autoOrient: true,
        ...options,
      }),
    );
  }

  /** libvips' own clock, so a job past its budget really stops instead of burning a thread. */
  private withTimeout(image: Sharp): Sharp {
    return image.timeout({ seconds: Math.max(1, Math.ceil(this.config.limits.timeoutMs / 1000)) });
  }

  private async encodeTimed(
    inputFormat: string,
    format: OutputFormat,
    image: Sharp,
    role: 'original' | 'variant',
    hasAlpha: boolean,
  ): Promise<EncodedImage> {
    const start = performance.now();
    try {
      // JPEG has no alpha: transparent areas become white, not the black of dropped alpha.
      const opaque = format === 'jpeg' ? image.flatten({ background: '#ffffff' }) : image;
      const pipeline =
        hasAlpha || format === 'png' || format === 'gif' ? opaque : opaque.removeAlpha();
      const { data, info } = await encode(pipeline.toColourspace('srgb'), format, role).toBuffer({
        resolveWithObject: true,
      });
      this.metrics.encodeDuration.observe({ format }, (performance.now() - start) / 1000);
      this.metrics.processed.inc({ input_format: inputFormat, output_format: format });
      return { data, format, width: info.width, height: info.pageHeight ?? info.height };
    } catch (error) {
      throw this.translate(error);
    }
  }

  private async thumbhash(image: Sharp): Promise<string> {
    const { data, info } = await image
      .resize(100, 100, { fit: 'inside' })
      .toColourspace('srgb')
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    return Buffer.from(rgbaToThumbHash(info.width, info.height, data)).toString('base64');
  }

  /** sharp's errors are strings; the ones a client caused become coded 4xx answers. */
  private translate(error: unknown): Error {
    if (error instanceof MediaException || error instanceof JobTimeoutError) return error;
    const message = error instanceof Error ? error.message : String(error);
    if (/pixel limit/i.test(message))
      return new MediaException('too_many_pixels', 'The image has too many pixels.');
    if (/timeout/i.test(message))
      return new MediaException('processing_timeout', 'Processing the image took too long.');
    return new MediaException('corrupt_image', 'The image data is damaged or truncated.', {
      decoder: message.split('\n')[0]?.slice(0, 200),
    });
  }
}
