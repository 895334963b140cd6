import { malformedMultipart } from '@lateral/http';
import { type FastifyRequest } from 'fastify';

/**
 * The uploaded file (the first file part), read to the end of the body: a body that breaks off
 * after the file, or never closes, is refused rather than imported from what arrived.
 */
export async function readImportUpload(
  request: FastifyRequest,
): Promise<{ filename: string; data: Buffer } | undefined> {
  let upload: { filename: string; data: Buffer } | undefined;
  try {
    for await (const part of request.parts()) {
      if (part.type !== 'file') continue;
      const data = await part.toBuffer();
      upload ??= { filename: part.filename, data };
    }
  } catch (error) {
    throw malformedMultipart(error);
  }
  return upload;
}
