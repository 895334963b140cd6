/** The code the shared error filter maps to 400 `malformed_multipart`. */
export const MALFORMED_MULTIPART = 'ERR_MALFORMED_MULTIPART';

/**
 * busboy (inside @fastify/multipart) throws plain errors without a code for a body it cannot
 * parse: no boundary, a body that ends early, a missing closing boundary. This gives them the
 * code the shared error filter maps to 400 `malformed_multipart`; errors that already carry a
 * code (ours, Fastify's size limits) keep theirs.
 */
export function malformedMultipart(error: unknown): unknown {
  if (typeof (error as { code?: unknown } | undefined)?.code === 'string') return error;
  const reason = error instanceof Error ? error.message : String(error);
  return Object.assign(new Error(`Malformed multipart body: ${reason}`, { cause: error }), {
    code: MALFORMED_MULTIPART,
  });
}
