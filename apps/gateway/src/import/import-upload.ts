import { type FastifyRequest } from 'fastify';

/**
 * busboy's parse errors (no boundary, a body that ends early) carry no code; this one maps to
 * 400 `malformed_multipart` in the shared error filter. Coded errors (our own, Fastify's size
 * limits) keep theirs.
 */
export function malformedMultipart(error: unknown): unknown {
  if (typeof (error as { code?: unknown } | undefined)?.code === 'string') return error;
  const reason = error instanceof Error ? error.message : String(error);
  return Object.assign(new Error(`Malformed multipart body: ${reason}`, { cause: error }), {
    code: 'ERR_MALFORMED_MULTIPART',
  });
}

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
