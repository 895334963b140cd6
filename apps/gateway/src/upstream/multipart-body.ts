import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';

/**
 * A `multipart/form-data` body with one `file` part, streamed: an upload is never held in
 * memory twice on its way to media.
 */
export function multipartFile(
  data: Buffer | Readable,
  filename: string,
  contentType: string,
): { body: Readable; contentType: string; length: number | undefined } {
  const boundary = `----lateral${randomBytes(12).toString('hex')}`;
  const safeName = filename.replace(/["\r\n\\]/g, '_');
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${safeName}"\r\n` +
      `Content-Type: ${contentType.replace(/[\r\n]/g, '')}\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  async function* parts(): AsyncGenerator<Buffer> {
    yield head;
    if (Buffer.isBuffer(data)) yield data;
    else for await (const chunk of data) yield chunk as Buffer;
    yield tail;
  }
  return {
    body: Readable.from(parts()),
    contentType: `multipart/form-data; boundary=${boundary}`,
    length: Buffer.isBuffer(data) ? head.length + data.length + tail.length : undefined,
  };
}
