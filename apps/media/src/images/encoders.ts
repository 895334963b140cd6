import { type Sharp } from 'sharp';
import { type OutputFormat } from './image-type.js';

/**
 * Encoder settings. AVIF at effort 2: effort 4 (the default) costs ~3x the CPU for a few
 * percent smaller files, and variants are made on a request's critical path. JPEG without
 * mozjpeg for the same reason. The stored original is kept at a higher quality because every
 * variant is derived from it, and as a baseline (not progressive) JPEG because every on-demand
 * variant decodes it: libjpeg-turbo's shrink-on-load of a progressive 12 MP JPEG must buffer
 * every coefficient scan first, which doubled a 1280 px WebP render (~250 vs ~125 ms, #15).
 * Progressive stays for variants, which browsers show while they arrive.
 */
/** A variant's WebP settings (the benchmark asks imgproxy for the same quality). */
export const VARIANT_WEBP = { quality: 78, effort: 4 };

export function encode(image: Sharp, format: OutputFormat, role: 'original' | 'variant'): Sharp {
  const original = role === 'original';
  switch (format) {
    case 'jpeg':
      return image.jpeg(original ? { quality: 90 } : { quality: 80, progressive: true });
    case 'webp':
      return image.webp(original ? { ...VARIANT_WEBP, quality: 90 } : VARIANT_WEBP);
    case 'avif':
      return image.avif({ quality: original ? 70 : 50, effort: 2 });
    case 'png':
      return image.png({ compressionLevel: 8 });
    case 'gif':
      return image.gif();
  }
}
