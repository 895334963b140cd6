import { Readable } from 'node:stream';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { type ServedImage } from '../media/delivery.service.js';
import { etagMatches, parseRange } from './byte-range.js';

/** An id names immutable content, so every answer may be cached forever. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * Writes an image answer: immutable caching, strong ETag and 304, `Vary: Accept` when the
 * format was negotiated, byte ranges (206/416) for originals. Served images are never active
 * content: no sniffing, and a sandboxing CSP should one ever be opened directly.
 * Returns the body bytes sent.
 */
export async function sendImage(
  request: FastifyRequest,
  reply: FastifyReply,
  served: ServedImage,
): Promise<number> {
  const { file } = served;
  void reply.headers({
    'cache-control': IMMUTABLE,
    etag: file.etag,
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; sandbox",
  });
  if (served.negotiated) void reply.header('vary', 'Accept');
  if (served.isOriginal) void reply.header('accept-ranges', 'bytes');

  // Revalidation never reads the bytes from the database.
  if (etagMatches(request.headers['if-none-match'], file.etag)) {
    void reply.status(304).send();
    return 0;
  }
  void reply.header('content-type', file.contentType);

  const ifRange = request.headers['if-range'];
  const rangeApplies = served.isOriginal && (ifRange === undefined || ifRange === file.etag);
  const range = rangeApplies ? parseRange(request.headers.range, file.bytes) : undefined;
  if (range === 'unsatisfiable') {
    void reply
      .status(416)
      .header('content-range', `bytes */${file.bytes}`)
      .header('content-type', 'application/json; charset=utf-8')
      .send({
        error: { code: 'range_not_satisfiable', message: 'The range is outside the image.' },
      });
    return 0;
  }
  if (range) {
    void reply
      .status(206)
      .header('content-range', `bytes ${range.start}-${range.end}/${file.bytes}`);
  }
  const length = range ? range.end - range.start + 1 : file.bytes;
  void reply.header('content-length', String(length));
  // HEAD is answered from the row alone, like a 304: the store is not asked for bytes.
  // (Fastify's HEAD route keeps our Content-Length for a stream, but writes 0 for no payload.)
  if (request.method === 'HEAD') {
    void reply.send(Readable.from([]));
    return 0;
  }
  // A buffer (PostgreSQL, a fresh render) or a stream from the object store, piped as it
  // arrives: a 50 MB original never sits in memory whole. Fastify destroys the stream when
  // the client goes away.
  void reply.send(await served.read(range));
  return length;
}
