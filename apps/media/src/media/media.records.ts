import { createHash } from 'node:crypto';
import { type GeoPoint } from '../images/exif-metadata.js';
import { type EncodedImage } from '../images/image-processor.js';
import { CONTENT_TYPES } from '../images/image-type.js';
import { type StoreKind } from '../media.config.js';

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
  /** Strong ETag, quotes included: the SHA-256 of the bytes, which is also the object key. */
  etag: string;
  /** Where the bytes are: in the row (`bytea`) or in the object store (`s3`). */
  store: StoreKind;
}

/** A file just made, with its bytes in memory, not yet stored anywhere. */
export interface StoredFile extends Omit<StoredFileInfo, 'store'> {
  data: Buffer;
}

/** The SHA-256 (base64url) inside a strong ETag: the file's content address. */
export const hashOfEtag = (etag: string) => etag.replace(/^"|"$/g, '');

export const ORIGINAL = 'original';
export const variantName = (width: number, format: string) => `${width}.${format}`;

const ID_PATTERN = /^[\w-]{1,128}$/;

/** Media ids are text (content-derived), not UUIDs: the table's own CHECK pattern. */
export const isMediaId = (id: string) => ID_PATTERN.test(id);

/** SHA-256, base64url: an image's id (of the uploaded bytes) and a file's strong ETag. */
export const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('base64url');

export function toStoredFile(name: string, image: EncodedImage): StoredFile {
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
