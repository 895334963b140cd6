import { type Identity } from '@lateral/identity';
import { type Camera, type GeoPoint } from '../images/exif-metadata.js';
import { formatOfContentType } from '../images/image-type.js';
import { type MediaRecord, type StoredFileInfo } from './media.records.js';

export interface VariantJson {
  width: number;
  height: number;
  format: string;
  contentType: string;
  bytes: number;
}

/** What `POST /api/v1/media` and `GET /api/v1/media/:id/meta` answer. */
export interface MediaJson {
  id: string;
  contentType: string;
  width: number;
  height: number;
  bytes: number;
  thumbhash: string | null;
  takenAt: string | null;
  camera: Camera | null;
  /** Only for the person who uploaded it (and admins): a photo's location is private. */
  location: GeoPoint | null;
  animated: boolean;
  variants: VariantJson[];
  createdAt: string;
}

export function toMediaJson(
  item: MediaRecord,
  files: StoredFileInfo[],
  caller: Identity,
): MediaJson {
  const mayLocate = caller.userId === item.uploadedBy || caller.role === 'admin';
  return {
    id: item.id,
    contentType: item.contentType,
    width: item.width,
    height: item.height,
    bytes: item.bytes,
    thumbhash: item.thumbhash,
    takenAt: item.takenAt ? new Date(item.takenAt).toISOString() : null,
    camera:
      item.cameraMake || item.cameraModel
        ? { make: item.cameraMake, model: item.cameraModel }
        : null,
    location: mayLocate ? item.location : null,
    animated: item.frames > 1,
    variants: files
      .filter((f) => f.name !== 'original')
      .map((f) => ({
        width: f.width,
        height: f.height,
        format: formatOfContentType(f.contentType) ?? f.contentType,
        contentType: f.contentType,
        bytes: f.bytes,
      })),
    createdAt: new Date(item.createdAt).toISOString(),
  };
}
