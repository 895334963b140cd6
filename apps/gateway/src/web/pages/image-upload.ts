import { Readable } from 'node:stream';
import { type MultipartFile } from '@fastify/multipart';
import { DomainException, malformedMultipart } from '@lateral/http';
import { type FastifyRequest } from 'fastify';
import { GatewayException } from '../platform.js';

/** Room for the multipart framing and a few small fields around the file. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

export interface ImageUpload {
  /** The file's bytes; fails (and so aborts the upstream request) if the body turns bad. */
  stream: Readable;
  filename: string;
  mimetype: string;
}

const tooLarge = () =>
  new GatewayException('payload_too_large', 'The image is larger than uploads allow.');

/**
 * Streams the form's file to `send` (media) without buffering it. The stream fails, so the
 * upstream request is aborted before media stores anything, when the file passes `maxBytes`
 * (413: media would otherwise get a cut-off image and answer 415) or when the body breaks off
 * or never closes (400). Answers `undefined` when the form has no file.
 */
export async function sendImageUpload<T>(
  request: FastifyRequest,
  maxBytes: number,
  send: (upload: ImageUpload) => Promise<T>,
): Promise<T | undefined> {
  const declared = Number(request.headers['content-length']);
  if (declared > maxBytes + MULTIPART_OVERHEAD_BYTES) throw tooLarge();
  const parts = request.parts({ limits: { fileSize: maxBytes, files: 1 } });
  let file: MultipartFile | undefined;
  try {
    // Fields before the file are skipped; the file must be read before the next part comes.
    while (!file) {
      const next = await parts.next();
      if (next.done) break;
      if (next.value.type === 'file') file = next.value;
    }
  } catch (error) {
    throw malformedMultipart(error);
  }
  if (!file) return undefined;
  const part = file;
  let failure: unknown;
  async function* checked(): AsyncGenerator<Buffer> {
    try {
      for await (const chunk of part.file) yield chunk as Buffer;
      if (part.file.truncated) throw tooLarge();
      // Read to the end of the body (files: 1, so only fields can follow): a body that never
      // closes is refused before media gets the end of its own body, so nothing is stored.
      while (!(await parts.next()).done);
    } catch (error) {
      failure = error instanceof DomainException ? error : malformedMultipart(error);
      throw failure;
    }
  }
  try {
    return await send({
      stream: Readable.from(checked()),
      filename: part.filename,
      mimetype: part.mimetype,
    });
  } catch (error) {
    throw failure ?? error;
  }
}
