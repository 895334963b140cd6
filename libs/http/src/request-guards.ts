import { UNMATCHED_ROUTE, type ServiceMetrics } from '@lateral/observability';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { DomainException } from './domain.exception.js';
import { INVALID_CHARACTERS } from './safe-text.js';

/** Deepest JSON accepted: real documents stay far below, and deeper input overflows recursion. */
export const MAX_JSON_DEPTH = 64;

/**
 * Longest path parameter, before decoding. The longest legal key is a 120-character ASCII slug
 * (or a 36-character id); notes validates keys up to 200 characters, and a hand-typed non-ASCII
 * key percent-encodes to up to 12 bytes a character, so 2,400 lets every key reach validation
 * (and its own 404) instead of Fastify's raw 414 page.
 */
export const MAX_PARAM_LENGTH = 2_400;

const OPEN_BRACKET = 0x5b;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACKET = 0x5d;
const CLOSE_BRACE = 0x7d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Whether JSON text nests arrays/objects deeper than `max`, in one pass without recursion.
 * Works on UTF-8 bytes: no byte of a multi-byte character is ASCII, so brackets and quotes
 * inside strings are told apart exactly. Malformed text is left to the JSON parser.
 */
export function jsonNestingExceeds(bytes: Uint8Array, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) {
      inString = true;
    } else if (byte === OPEN_BRACKET || byte === OPEN_BRACE) {
      if (++depth > max) return true;
    } else if (byte === CLOSE_BRACKET || byte === CLOSE_BRACE) {
      depth--;
    }
  }
  return false;
}

export function tooDeepJson(): DomainException {
  return new DomainException(
    'malformed_json',
    `The JSON body is nested deeper than ${MAX_JSON_DEPTH} levels.`,
  );
}

/**
 * NUL in the path or query (`%00`, any case) is refused before routing: it would reach
 * PostgreSQL (which refuses it with a 500) through any handler that forgot to validate.
 */
export function nulInUrl(request: FastifyRequest): DomainException | undefined {
  const url = request.raw.url ?? '';
  if (!url.includes('\0') && !/%00/.test(url)) return undefined;
  return new DomainException(INVALID_CHARACTERS, 'The address contains a NUL character.');
}

/**
 * Errors Fastify answers before Nest sees the request (a path parameter over
 * {@link MAX_PARAM_LENGTH}, a malformed percent-encoding): our JSON shape, and never the URL
 * echoed back as Fastify's own body does.
 */
export function frameworkErrorHandler(metrics: ServiceMetrics) {
  return (error: { code?: string }, request: FastifyRequest, reply: FastifyReply): void => {
    const [status, code, message] =
      error.code === 'FST_ERR_MAX_PARAM_LENGTH'
        ? [414, 'uri_too_long', 'The address is too long.']
        : [400, 'malformed_request', 'The address is not valid.'];
    // These answers skip the Fastify hooks that record the others; count them here.
    metrics.httpRequestDuration.observe(
      { method: request.method, route: UNMATCHED_ROUTE, status_code: String(status) },
      0,
    );
    void reply
      .status(status)
      .header('content-type', 'application/json; charset=utf-8')
      .send({ error: { code, message } });
  };
}
