import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import { currentRequestId, serializeError, type Logger } from '@lateral/observability';
import { type FastifyReply } from 'fastify';
import { isDatabaseUnavailable } from './database-unavailable.js';
import { MALFORMED_MULTIPART } from './malformed-multipart.js';
import {
  COMMON_ERROR_STATUS,
  isCommonErrorCode,
  isDomainException,
  type DomainException,
  type CommonErrorCode,
  type ErrorBody,
} from './domain.exception.js';

/** How one app's domain exceptions become statuses; built by {@link errorModel}. */
export interface ErrorModel {
  /** The status of a domain exception this app throws; undefined for anything else. */
  statusOf(error: unknown): number | undefined;
}

/** The app's exception class: its constructor accepts only the app's codes and the common ones. */
type AppException<Own extends string> = abstract new (
  ...args: never[]
) => DomainException<Own | CommonErrorCode>;

/**
 * An app's error model: its exception class and the status of each of its own codes (the app's
 * table is checked exhaustive with `satisfies Record<AppCode, number>`; a common code there is a
 * compile error, their statuses are {@link COMMON_ERROR_STATUS}). No code is ever cast: the
 * app's codes are typed by `instanceof`, the common ones by a membership check.
 */
export function errorModel<Own extends string>(
  exception: AppException<Own>,
  own: { readonly [C in Own]: C extends CommonErrorCode ? never : number },
): ErrorModel {
  const statuses: Readonly<Record<Own | CommonErrorCode, number>> = {
    ...COMMON_ERROR_STATUS,
    ...own,
  };
  return {
    statusOf: (error) =>
      error instanceof exception ? statuses[error.code] : commonErrors.statusOf(error),
  };
}

/** The model of a service (or test) that throws only the common codes; every app extends it. */
export const commonErrors: ErrorModel = {
  statusOf(error) {
    // Thrown by @lateral/http itself, whose constructor defaults to the common codes.
    if (!isDomainException(error) || !isCommonErrorCode(error.code)) return undefined;
    return COMMON_ERROR_STATUS[error.code];
  },
};

interface ErrorResponse {
  status: number;
  body: ErrorBody;
  headers?: Record<string, string>;
}

/** Fastify's own errors (body parsing, limits) by their codes, mapped to ours. */
const FASTIFY_ERRORS: Record<string, { status: number; code: string; message: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: {
    status: 400,
    code: 'malformed_json',
    message: 'The request body is not valid JSON.',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    status: 400,
    code: 'malformed_json',
    message: 'The JSON request body is empty.',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: {
    status: 413,
    code: 'payload_too_large',
    message: 'The request body is too large.',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: 'unsupported_media_type',
    message: 'This content type is not accepted here.',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    code: 'malformed_request',
    message: 'Content-Length does not match the body.',
  },
  FST_REQ_FILE_TOO_LARGE: {
    status: 413,
    code: 'payload_too_large',
    message: 'The uploaded file is too large.',
  },
  FST_INVALID_MULTIPART_CONTENT_TYPE: {
    status: 415,
    code: 'unsupported_media_type',
    message: 'Expected multipart/form-data.',
  },
  // busboy's parse errors (no boundary, a body that ends inside a part or before the closing
  // boundary) carry no code: the apps' multipart readers give them this one.
  [MALFORMED_MULTIPART]: {
    status: 400,
    code: 'malformed_multipart',
    message: 'The multipart/form-data body is malformed or incomplete.',
  },
  FST_MP_PREMATURE_CLOSE: {
    status: 400,
    code: 'malformed_multipart',
    message: 'The request ended before its multipart/form-data body was complete.',
  },
};

const HTTP_CODES: Record<number, string> = {
  400: 'validation_failed',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
  503: 'service_unavailable',
};

const INTERNAL_MESSAGE = 'Something went wrong on our side. It has been logged.';

/** Turns anything thrown into the one JSON error shape; a 500 never leaks internals. */
export function toErrorResponse(error: unknown, errors: ErrorModel, logger: Logger): ErrorResponse {
  const requestId = currentRequestId();
  const body = (code: string, message: string, details?: unknown): ErrorBody => ({
    error: {
      code,
      message,
      ...(requestId ? { requestId } : {}),
      ...(details !== undefined ? { details } : {}),
    },
  });

  if (isDomainException(error)) {
    const domain = error;
    const status = errors.statusOf(domain);
    // Only reachable by a code the app's types do not know (another app's exception): our bug,
    // answered like any other, without its message.
    if (status === undefined) {
      logger.error(
        { err: serializeError(domain) },
        'domain error with a code this app does not map',
      );
      return { status: 500, body: body('internal', INTERNAL_MESSAGE) };
    }
    if (status >= 500) logger.error({ err: serializeError(domain) }, 'domain error');
    return {
      status,
      body: body(domain.code, domain.message, domain.details),
      headers: domain.headers,
    };
  }
  // Nest wraps Fastify's body-parsing errors in an HttpException whose cause keeps the code.
  const fastifyCode =
    (error as { code?: unknown }).code ?? (error as { cause?: { code?: unknown } }).cause?.code;
  if (typeof fastifyCode === 'string' && FASTIFY_ERRORS[fastifyCode]) {
    const known = FASTIFY_ERRORS[fastifyCode];
    return { status: known.status, body: body(known.code, known.message) };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    if (status < 500) {
      const code = HTTP_CODES[status] ?? 'bad_request';
      const message = status === 404 ? 'No such route.' : error.message;
      return { status, body: body(status === 404 ? 'route_not_found' : code, message) };
    }
  }
  // Fastify errors that carry a 4xx (e.g. malformed headers) are the client's fault.
  const statusCode = (error as { statusCode?: unknown }).statusCode;
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    return {
      status: statusCode,
      body: body(
        HTTP_CODES[statusCode] ?? 'bad_request',
        (error as Error).message ?? 'Bad request.',
      ),
    };
  }
  // A database restart or failover is an outage to wait out, not a bug: 503 with Retry-After
  // (readiness fails too, so the load balancer stops sending work meanwhile).
  if (isDatabaseUnavailable(error)) {
    logger.warn({ err: serializeError(error) }, 'database unavailable');
    return {
      status: 503,
      body: body('service_unavailable', 'The database is not answering. Try again in a moment.'),
      headers: { 'retry-after': '5' },
    };
  }
  // Through the one serializer even if this logger was not built by createLogger: a failed
  // query's parameters (password hashes, e-mails, page bodies) must never reach a log line.
  logger.error({ err: serializeError(error) }, 'unhandled error');
  return {
    status: 500,
    body: body('internal', INTERNAL_MESSAGE),
  };
}

@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  constructor(
    private readonly errors: ErrorModel,
    private readonly logger: Logger,
  ) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const response = toErrorResponse(error, this.errors, this.logger);
    if (response.headers) void reply.headers(response.headers);
    void reply
      .status(response.status)
      .header('content-type', 'application/json; charset=utf-8')
      .send(response.body);
  }
}
