import { describe, expect, it } from 'vitest';
import { singleBinaryCopyValue } from './binary-copy.js';

const header = (extension = Buffer.alloc(0)) => {
  const fixed = Buffer.alloc(8);
  fixed.writeUInt32BE(extension.length, 4);
  return Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), fixed, extension]);
};
const int16 = (n: number) => Buffer.from([(n >> 8) & 0xff, n & 0xff]);
const int32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};
const row = (value: Buffer | null) =>
  Buffer.concat([int16(1), int32(value ? value.length : -1), value ?? Buffer.alloc(0)]);
const trailer = int16(-1);

describe('singleBinaryCopyValue', () => {
  it('reads the bytes of the one column, binary-safe, past a header extension', () => {
    const bytes = Buffer.from([0, 0xff, 0x0a, 0x0d, 0x80, 0x00]);
    expect(singleBinaryCopyValue(Buffer.concat([header(), row(bytes), trailer]))).toEqual(bytes);
    const withExtension = Buffer.concat([header(Buffer.from('ext!')), row(bytes), trailer]);
    expect(singleBinaryCopyValue(withExtension)).toEqual(bytes);
  });

  it('tells NULL (null) from no row (undefined) and an empty value', () => {
    expect(singleBinaryCopyValue(Buffer.concat([header(), row(null), trailer]))).toBeNull();
    expect(singleBinaryCopyValue(Buffer.concat([header(), trailer]))).toBeUndefined();
    expect(singleBinaryCopyValue(Buffer.concat([header(), row(Buffer.alloc(0)), trailer]))).toEqual(
      Buffer.alloc(0),
    );
  });

  it('refuses what is not a whole one-column binary COPY', () => {
    expect(() => singleBinaryCopyValue(Buffer.from('id\tdata\n'.repeat(4)))).toThrow(
      /not a binary/,
    );
    const truncated = Buffer.concat([header(), row(Buffer.alloc(100))]).subarray(0, 40);
    expect(() => singleBinaryCopyValue(truncated)).toThrow(/truncated/);
    const twoColumns = Buffer.concat([header(), int16(2), int32(0), int32(0), trailer]);
    expect(() => singleBinaryCopyValue(twoColumns)).toThrow(/one column/);
  });
});
