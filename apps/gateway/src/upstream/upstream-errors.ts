import { GatewayException, type GatewayErrorCode } from '../errors/gateway-errors.js';

export type UpstreamName = 'notes' | 'media';

/** Network-level failures that mean "not reachable right now" (retryable for idempotent calls). */
const CONNECT_ERRORS = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);
/** The connection broke (often a keep-alive socket the server had just closed). */
const BROKEN_CONNECTION_ERRORS = new Set([
  'ECONNRESET',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);
const TIMEOUT_ERRORS = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown })?.code;
  if (typeof code === 'string') return code;
  const cause = (error as { cause?: { code?: unknown } })?.cause?.code;
  return typeof cause === 'string' ? cause : undefined;
}

/** Whether a failed idempotent call may be sent again. */
export function isRetryable(error: unknown): boolean {
  const code = errorCode(error) ?? '';
  return CONNECT_ERRORS.has(code) || BROKEN_CONNECTION_ERRORS.has(code);
}

/** The upstream gave no usable answer: 503 when down or too slow, 502 when it answered badly. */
export function unavailable(upstream: UpstreamName, error: unknown): GatewayException {
  const code = errorCode(error) ?? '';
  if (CONNECT_ERRORS.has(code) || TIMEOUT_ERRORS.has(code) || BROKEN_CONNECTION_ERRORS.has(code)) {
    return new GatewayException(
      'upstream_unavailable',
      `The ${upstream} service is not answering. Try again in a moment.`,
      { upstream, reason: TIMEOUT_ERRORS.has(code) ? 'timeout' : 'unreachable' },
      { 'retry-after': '5' },
    );
  }
  return new GatewayException('bad_gateway', `The ${upstream} service answered unexpectedly.`, {
    upstream,
  });
}

/** An error answer from notes or media, kept with its original status and code for callers. */
export class UpstreamResponseError extends GatewayException {
  constructor(
    readonly upstream: UpstreamName,
    readonly status: number,
    readonly upstreamCode: string,
    message: string,
    readonly body: unknown,
  ) {
    super(gatewayCodeFor(status), message, { upstream, code: upstreamCode });
  }
}

function gatewayCodeFor(status: number): GatewayErrorCode {
  switch (status) {
    case 400:
    case 422:
      return 'validation_failed';
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    case 409:
      return 'conflict';
    case 413:
      return 'payload_too_large';
    case 415:
      return 'unsupported_media_type';
    case 429:
      return 'rate_limited';
    case 503:
      return 'upstream_unavailable';
    default:
      // 401 from an internal service means the gateway's signed identity was refused: our fault.
      return status >= 400 && status < 500 && status !== 401 ? 'validation_failed' : 'bad_gateway';
  }
}
