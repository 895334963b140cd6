import { describe, expect, it } from 'vitest';
import { sniffImageType } from './sniff.js';

const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(
    parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))),
  );

function ftyp(major: string, ...compatible: string[]): Buffer {
  const size = 16 + compatible.length * 4;
  return bytes([0, 0, 0, size], 'ftyp', major, [0, 0, 0, 0], ...compatible, 'rest-of-file');
}

describe('sniffImageType', () => {
  it.each([
    ['jpeg', bytes([0xff, 0xd8, 0xff, 0xe0, 0, 0x10], 'JFIF')],
    ['png', bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13], 'IHDR')],
    ['gif', bytes('GIF89a', [1, 0, 1, 0])],
    ['gif', bytes('GIF87a', [1, 0, 1, 0])],
    ['webp', bytes('RIFF', [0x24, 0, 0, 0], 'WEBPVP8 ')],
    ['tiff', bytes([0x49, 0x49, 0x2a, 0x00, 8, 0, 0, 0])],
    ['tiff', bytes([0x4d, 0x4d, 0x00, 0x2a, 0, 0, 0, 8])],
    ['heic', ftyp('heic', 'mif1', 'heic')],
    ['heic', ftyp('heix', 'mif1')],
    ['heic', ftyp('mif1', 'heic', 'miaf')],
    ['heic', ftyp('mif1', 'miaf')],
    ['avif', ftyp('avif', 'mif1', 'miaf')],
    ['avif', ftyp('mif1', 'avif', 'miaf')],
    ['avif', ftyp('avis', 'msf1')],
  ])('recognises %s by its signature', (expected, input) => {
    expect(sniffImageType(input)).toBe(expected);
  });

  it('calls SVG by its name so it can be refused explicitly', () => {
    expect(sniffImageType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBe('svg');
    expect(sniffImageType(Buffer.from('\uFEFF  <?xml version="1.0"?>\n<svg></svg>'))).toBe('svg');
    expect(sniffImageType(Buffer.from('<!-- hi --><svg onload="alert(1)"/>'))).toBe('svg');
  });

  it.each([
    ['a zip renamed .heic', bytes('PK', [3, 4, 20, 0, 0, 0, 8, 0])],
    ['an MP4 video', ftyp('isom', 'iso2', 'mp41')],
    ['a PDF', bytes('%PDF-1.7\n')],
    ['HTML', bytes('<!doctype html><html>')],
    ['an XML file that is not SVG', bytes('<?xml version="1.0"?><note/>')],
    ['empty input', bytes()],
    ['a lone JPEG marker', bytes([0xff, 0xd8])],
    ['RIFF that is WAV', bytes('RIFF', [0x24, 0, 0, 0], 'WAVEfmt ')],
  ])('refuses %s', (_name, input) => {
    expect(sniffImageType(input)).toBeUndefined();
  });
});
