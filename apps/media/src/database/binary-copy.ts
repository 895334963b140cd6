const COPY_SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

/**
 * The one column of the first row of a binary COPY: its bytes, null for SQL NULL, undefined when
 * there was no row. The format: a signature, flags and a header extension, then per row a field
 * count and each field's length (-1 for NULL) and bytes, then a field count of -1.
 */
export function singleBinaryCopyValue(copy: Buffer): Buffer | null | undefined {
  if (copy.length < 21 || !copy.subarray(0, 11).equals(COPY_SIGNATURE))
    throw new Error('not a binary COPY stream');
  const start = 19 + copy.readUInt32BE(15); // past the flags and the header extension
  if (copy.readInt16BE(start) === -1) return undefined;
  if (copy.readInt16BE(start) !== 1) throw new Error('binary COPY row is not one column');
  const length = copy.readInt32BE(start + 2);
  if (length === -1) return null;
  if (start + 6 + length > copy.length) throw new Error('binary COPY stream is truncated');
  return copy.subarray(start + 6, start + 6 + length);
}
