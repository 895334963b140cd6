import { describe, expect, it } from 'vitest';
import { dmsToDegrees, gpsToPoint, parseExif } from './exif-metadata.js';

describe('dmsToDegrees', () => {
  it('turns degrees/minutes/seconds and the hemisphere into signed decimals', () => {
    expect(dmsToDegrees([48, 51, 29.6], 'N', 90)).toBeCloseTo(48.858222, 5);
    expect(dmsToDegrees([2, 17, 40.2], 'E', 180)).toBeCloseTo(2.2945, 5);
    expect(dmsToDegrees([33, 52, 4], 'S', 90)).toBeCloseTo(-33.867778, 5);
    expect(dmsToDegrees([151, 12, 36], 'W', 180)).toBeCloseTo(-151.21, 5);
  });

  it('refuses values that are not coordinates', () => {
    expect(dmsToDegrees([91, 0, 0], 'N', 90)).toBeNull();
    expect(dmsToDegrees([10, 75, 0], 'N', 90)).toBeNull();
    expect(dmsToDegrees([Number.NaN, 0, 0], 'N', 90)).toBeNull();
    expect(dmsToDegrees('48.8', 'N', 90)).toBeNull();
    expect(dmsToDegrees([], 'N', 90)).toBeNull();
  });
});

describe('gpsToPoint', () => {
  it('builds a GeoJSON Point in longitude, latitude order', () => {
    expect(
      gpsToPoint({
        GPSLatitude: [48, 51, 29.6],
        GPSLatitudeRef: 'N',
        GPSLongitude: [2, 17, 40.2],
        GPSLongitudeRef: 'E',
      }),
    ).toEqual({ type: 'Point', coordinates: [2.2945, 48.8582222] });
  });

  it('adds altitude, negative below sea level', () => {
    const point = gpsToPoint({
      GPSLatitude: [31, 30, 0],
      GPSLatitudeRef: 'N',
      GPSLongitude: [35, 30, 0],
      GPSLongitudeRef: 'E',
      GPSAltitude: 430.5,
      GPSAltitudeRef: 1,
    });
    expect(point?.coordinates).toEqual([35.5, 31.5, -430.5]);
  });

  it('treats a missing half or the 0,0 no-fix value as no location', () => {
    expect(gpsToPoint({ GPSLatitude: [1, 2, 3], GPSLatitudeRef: 'N' })).toBeNull();
    expect(
      gpsToPoint({
        GPSLatitude: [0, 0, 0],
        GPSLatitudeRef: 'N',
        GPSLongitude: [0, 0, 0],
        GPSLongitudeRef: 'E',
      }),
    ).toBeNull();
    expect(gpsToPoint(undefined)).toBeNull();
  });
});

describe('parseExif', () => {
  it('yields nothing, not an error, for missing or garbage EXIF', () => {
    const empty = { takenAt: null, camera: null, location: null };
    expect(parseExif(undefined)).toEqual(empty);
    expect(parseExif(Buffer.from('Exif\0\0garbage-garbage'))).toEqual(empty);
  });
});
