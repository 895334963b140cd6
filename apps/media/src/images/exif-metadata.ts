import exifReader from 'exif-reader';

export interface GeoPoint {
  type: 'Point';
  /** GeoJSON order: longitude, latitude (and altitude in metres when known). */
  coordinates: [number, number] | [number, number, number];
}

export interface Camera {
  make: string | null;
  model: string | null;
}

/** What the owner may see about a photo; none of it is ever left in served bytes. */
export interface PhotoMetadata {
  takenAt: string | null;
  camera: Camera | null;
  location: GeoPoint | null;
}

export const EMPTY_METADATA: PhotoMetadata = { takenAt: null, camera: null, location: null };

type GpsInfo = NonNullable<ReturnType<typeof exifReader>['GPSInfo']>;

/** Degrees, minutes, seconds and a hemisphere letter to signed decimal degrees. */
export function dmsToDegrees(dms: unknown, ref: unknown, max: number): number | null {
  if (!Array.isArray(dms) || dms.length === 0 || dms.length > 3) return null;
  const [d = 0, m = 0, s = 0] = dms.map(Number);
  if (![d, m, s].every((n) => Number.isFinite(n) && n >= 0) || m >= 60 || s >= 60) return null;
  const value = d + m / 60 + s / 3600;
  if (value > max) return null;
  const sign = typeof ref === 'string' && /^[SW]/i.test(ref.trim()) ? -1 : 1;
  return Math.round(sign * value * 1e7) / 1e7;
}

export function gpsToPoint(gps: Partial<GpsInfo> | undefined): GeoPoint | null {
  if (!gps) return null;
  const lat = dmsToDegrees(gps.GPSLatitude, gps.GPSLatitudeRef, 90);
  const lon = dmsToDegrees(gps.GPSLongitude, gps.GPSLongitudeRef, 180);
  if (lat === null || lon === null) return null;
  // (0, 0) is what many cameras write when they had no fix.
  if (lat === 0 && lon === 0) return null;
  const alt = Number(gps.GPSAltitude);
  if (gps.GPSAltitude !== undefined && Number.isFinite(alt)) {
    const below = Number(gps.GPSAltitudeRef) === 1;
    return { type: 'Point', coordinates: [lon, lat, Math.round((below ? -alt : alt) * 100) / 100] };
  }
  return { type: 'Point', coordinates: [lon, lat] };
}

const clean = (value: unknown): string | null => {
  if (typeof value !== 'string') return null;
  // Camera strings are often NUL-padded; control characters are never useful to show.
  // eslint-disable-next-line no-control-regex
  const text = value.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return text ? text.slice(0, 128) : null;
};

/**
 * exif-reader reads `DateTimeOriginal` (a wall-clock time) as if it were UTC. With
 * `OffsetTimeOriginal` we can place it on the timeline; without it we keep the wall clock as UTC.
 */
function takenAt(date: unknown, offset: unknown): string | null {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) return null;
  const year = date.getUTCFullYear();
  if (year < 1900 || year > 2200) return null;
  const match = typeof offset === 'string' ? /^([+-])(\d{2}):(\d{2})$/.exec(offset.trim()) : null;
  if (!match) return date.toISOString();
  const minutes = (Number(match[2]) * 60 + Number(match[3])) * (match[1] === '-' ? -1 : 1);
  return new Date(date.getTime() - minutes * 60_000).toISOString();
}

/** Reads the few fields we keep from a raw EXIF block (as sharp's metadata gives it). */
export function parseExif(exif: Buffer | undefined): PhotoMetadata {
  if (!exif || exif.length < 8) return EMPTY_METADATA;
  let tags: ReturnType<typeof exifReader>;
  try {
    tags = exifReader(exif);
  } catch {
    // Broken EXIF is common (editors, old phones); the picture itself is still fine.
    return EMPTY_METADATA;
  }
  const make = clean(tags.Image?.Make);
  const model = clean(tags.Image?.Model);
  return {
    takenAt: takenAt(
      tags.Photo?.DateTimeOriginal ?? tags.Image?.DateTime,
      tags.Photo?.OffsetTimeOriginal,
    ),
    camera: make || model ? { make, model } : null,
    location: gpsToPoint(tags.GPSInfo),
  };
}
