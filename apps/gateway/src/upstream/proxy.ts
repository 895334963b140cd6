import { type Readable } from 'node:stream';
import { pipeline } from 'node:stream';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { GatewayException } from '../errors/gateway-errors.js';
import { type SessionUser } from '../auth/current-user.js';
import { limitBytes } from './limit-stream.js';
import { type UpstreamHttp } from './upstream-http.js';

/** Request headers an API client may pass on to notes/media (content negotiation, caching, ranges). */
const FORWARD_REQUEST_HEADERS = [
  'accept',
  'accept-language',
  'content-type',
  'if-none-match',
  'if-modified-since',
  'if-match',
  'range',
  'if-range',
];

/** Response headers passed back; hop-by-hop and internal headers stay behind. */
const FORWARD_RESPONSE_HEADERS = [
  'content-type',
  'content-length',
  'content-range',
  'content-disposition',
  'content-language',
  'accept-ranges',
  'cache-control',
  'etag',
  'last-modified',
  'expires',
  'vary',
  'location',
  'retry-after',
  'x-content-type-options',
];

export interface ForwardOptions {
  caller: SessionUser | undefined;
  /** Largest request body streamed through (uploads). */
  maxBodyBytes: number;
  headersTimeoutMs?: number;
  /** Media is private to the wiki: a shared cache must never keep it, even if media says public. */
  privateCache?: boolean;
}

/**
 * Forwards an API request nearly 1:1: same path and query, JSON bodies re-sent, other bodies
 * (multipart uploads) streamed with the byte limit, the answer streamed back with its status
 * and caching headers (ETag/304, Vary, ranges).
 */
export async function forward(
  upstream: UpstreamHttp,
  request: FastifyRequest,
  reply: FastifyReply,
  options: ForwardOptions,
): Promise<FastifyReply> {
  const headers: Record<string, string> = {};
  for (const name of FORWARD_REQUEST_HEADERS) {
    const value = request.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  const body = requestBody(request, headers, options.maxBodyBytes);
  const response = await upstream.request({
    method: request.method,
    path: request.url,
    caller: options.caller,
    headers,
    body,
    ...(options.headersTimeoutMs ? { headersTimeoutMs: options.headersTimeoutMs } : {}),
  });
  void reply.status(response.statusCode);
  for (const name of FORWARD_RESPONSE_HEADERS) {
    let value = response.headers[name];
    if (value === undefined) continue;
    if (name === 'cache-control' && options.privateCache) {
      value = String(value).replace(/\bpublic\b/i, 'private');
    }
    void reply.header(name, value);
  }
  const stream = response.body;
  stream.once('close', () => response.done());
  if (response.statusCode === 204 || response.statusCode === 304) {
    stream.resume();
    return reply.send();
  }
  // For HEAD the stream is empty; sending it (rather than nothing) keeps media's Content-Length.
  return reply.send(stream);
}

function requestBody(
  request: FastifyRequest,
  headers: Record<string, string>,
  maxBytes: number,
): string | Readable | null {
  if (request.method === 'GET' || request.method === 'HEAD') return null;
  const contentType = headers['content-type'] ?? '';
  if (request.body !== undefined && request.body !== null) {
    // Fastify parsed it (JSON, form, text): send the same content again.
    if (typeof request.body === 'string') return request.body;
    if (contentType.startsWith('application/x-www-form-urlencoded')) {
      return new URLSearchParams(request.body as Record<string, string>).toString();
    }
    headers['content-type'] = 'application/json';
    return JSON.stringify(request.body);
  }
  const declared = Number(request.headers['content-length'] ?? NaN);
  const chunked = request.headers['transfer-encoding'] !== undefined;
  if (!chunked && !(declared > 0)) return null;
  if (declared > maxBytes) {
    throw new GatewayException(
      'payload_too_large',
      `The upload is larger than the ${maxBytes} byte limit.`,
    );
  }
  if (!chunked) headers['content-length'] = String(declared);
  return pipeline(request.raw, limitBytes(maxBytes), () => {});
}
