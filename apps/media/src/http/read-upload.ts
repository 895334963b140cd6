import { malformedMultipart } from '@lateral/http';
import { type FastifyRequest } from 'fastify';
import { MediaException } from '../errors/media-errors.js';

/** Room for the multipart framing and a few small fields around the file. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

const tooLarge = (maxBytes: number) =>
  new MediaException(
    'payload_too_large',
    `The file is larger than ${Math.floor(maxBytes / (1024 * 1024))} MiB.`,
    { maxBytes },
  );

/**
 * Reads the multipart `file` field, streaming and counting: a body that declares (or turns
 * out to be) bigger than the limit is refused without buffering more than the limit.
 */
export async function readUpload(request: FastifyRequest, maxBytes: number): Promise<Buffer> {
  if (!request.isMultipart()) {
    throw new MediaException(
      'unsupported_media_type',
      'Send the image as multipart/form-data with a `file` field.',
    );
  }
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes + MULTIPART_OVERHEAD_BYTES) {
    throw tooLarge(maxBytes);
  }
  let data: Buffer | undefined;
  try {
    // Read to the end of the body: one that breaks off or never closes after the file is
    // refused, not stored from what arrived (files: 1, so only fields can follow).
    for await (const part of request.parts({ limits: { fileSize: maxBytes, files: 1 } })) {
      if (part.type !== 'file') continue;
      if (part.fieldname !== 'file') {
        throw new MediaException('missing_file', 'The form has no `file` field.');
      }
      const chunks: Buffer[] = [];
      for await (const chunk of part.file) chunks.push(chunk as Buffer);
      if (part.file.truncated) throw tooLarge(maxBytes);
      data = Buffer.concat(chunks);
    }
  } catch (error) {
    if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge(maxBytes);
    throw malformedMultipart(error);
  }
  if (!data) throw new MediaException('missing_file', 'The form has no `file` field.');
  return data;
}
