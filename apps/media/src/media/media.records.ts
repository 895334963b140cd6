import { type GeoPoint } from '../images/exif-metadata.js';

/** One image as stored (`media_items`); bytes live in {@link StoredFile}s. */
export interface MediaRecord {
  id: string;
  contentType: string;
  inputFormat: string;
  width: number;
  height: number;
  /** Size of the stored (normalized) original. */
  bytes: number;
  uploadBytes: number;
  hasAlpha: boolean;
  frames: number;
  thumbhash: string | null;
  takenAt: Date | null;
  cameraMake: string | null;
  cameraModel: string | null;
  location: GeoPoint | null;
  uploadedBy: string;
  createdAt: Date;
}

export interface StoredFileInfo {
  /** `original` or `<width>.<format>`. */
  name: string;
  contentType: string;
  width: number;
  height: number;
  bytes: number;
  /** Strong ETag, quotes included. */
  etag: string;
}

export interface StoredFile extends StoredFileInfo {
  data: Buffer;
}

export const ORIGINAL = 'original';
export const variantName = (width: number, format: string) => `${width}.${format}`;
