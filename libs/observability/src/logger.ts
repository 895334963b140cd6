import { pino, type Logger as PinoLogger, type DestinationStream } from 'pino';
import { requestContext } from './request-context.js';

export type Logger = PinoLogger;

/** Paths never written to logs, whatever object they appear in. */
const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-lateral-identity"]',
  'res.headers["set-cookie"]',
  // Headers logged as they are, or one level down (`{ upstream: { headers } }`).
  ...['headers', '*.headers'].flatMap((at) => [
    `${at}.authorization`,
    `${at}.cookie`,
    `${at}["set-cookie"]`,
    `${at}["x-lateral-identity"]`,
  ]),
  '*.password',
  '*.token',
  '*.secret',
  'password',
  'token',
  // Query parameters (argon2 hashes, token hashes, e-mails, page bodies) in whatever object
  // carries them; errors are covered by serializeError, this catches hand-built objects.
  'parameters',
  '*.parameters',
];

/** Fields of an error that carry names, never values (PostgreSQL's and TypeORM's included). */
const SAFE_ERROR_FIELDS = ['code', 'constraint', 'table', 'column', 'schema', 'dataType'] as const;
const MAX_MESSAGE_LENGTH = 500;
const MAX_CAUSE_DEPTH = 3;
const serialized = new WeakSet<object>();

export interface SerializedError {
  type: string;
  message: string;
  stack?: string;
  code?: string;
  constraint?: string;
  table?: string;
  column?: string;
  schema?: string;
  dataType?: string;
  cause?: SerializedError;
}

/** A database error (pg's, or TypeORM's wrapper around it), whose message may quote values. */
function isDatabaseError(error: Record<string, unknown>): boolean {
  return (
    'driverError' in error ||
    'parameters' in error ||
    (typeof error.severity === 'string' && typeof error.code === 'string') ||
    (typeof error.name === 'string' && /^(?:QueryFailed|EntityNotFound)Error$/.test(error.name))
  );
}

/**
 * PostgreSQL and TypeORM put values after a colon (`invalid input syntax for type uuid: "x"`,
 * `... matching: {"email":"..."}`); what comes before names the problem and the objects.
 */
function withoutValues(message: string, database: boolean): string {
  const cut = database ? message.indexOf(': ') : -1;
  const kept = cut >= 0 ? `${message.slice(0, cut)}: [redacted]` : message;
  return kept.length > MAX_MESSAGE_LENGTH ? `${kept.slice(0, MAX_MESSAGE_LENGTH)}…` : kept;
}

/**
 * The one way an error reaches a log line: its type, a message without values, codes and the
 * names of the constraint/table/column involved, and the stack (whose first line repeats the
 * message, so it is rebuilt). Everything else an error carries — TypeORM's `parameters` and
 * `query`, pg's `detail` (`Key (email)=(a@b.c)`), `where`, request bodies a library attached —
 * is dropped, so a failed query cannot copy a password hash or a page into the logs.
 */
export function serializeError(value: unknown, depth = 0): SerializedError {
  if (typeof value !== 'object' || value === null) {
    return { type: typeof value, message: withoutValues(String(value), false) };
  }
  if (serialized.has(value)) return value as SerializedError;
  const error = value as Record<string, unknown>;
  const driver =
    typeof error.driverError === 'object' && error.driverError !== null
      ? (error.driverError as Record<string, unknown>)
      : {};
  const database = isDatabaseError(error);
  const name =
    typeof error.name === 'string'
      ? error.name
      : typeof error.type === 'string'
        ? error.type
        : 'Error';
  const rawMessage = typeof error.message === 'string' ? error.message : '';
  const message = withoutValues(rawMessage, database);
  const out: SerializedError = { type: name, message };
  if (typeof error.stack === 'string') {
    const frames = error.stack.indexOf('\n    at ');
    out.stack = `${name}: ${message}${frames >= 0 ? error.stack.slice(frames) : ''}`;
  }
  for (const field of SAFE_ERROR_FIELDS) {
    const found = error[field] ?? driver[field];
    if (typeof found === 'string' || typeof found === 'number') out[field] = String(found);
  }
  if (error.cause !== undefined && depth < MAX_CAUSE_DEPTH) {
    out.cause = serializeError(error.cause, depth + 1);
  }
  serialized.add(out);
  return out;
}

/**
 * stdout, written in batches: one write per request line was a syscall per request (~6% of a
 * notes read's CPU under load). Lines are buffered up to 4 KiB and flushed at least every
 * 250 ms; pino flushes what is left synchronously when the process exits (SIGTERM's exit, a
 * fatal error's `process.exit`), so no line is lost, only delayed by at most 250 ms.
 */
export function batchedStdout(): DestinationStream {
  return pino.destination({ dest: 1, sync: false, minLength: 4096, periodicFlush: 250 });
}

export function createLogger(
  options: { service: string; level: string; version?: string },
  destination: DestinationStream = batchedStdout(),
): Logger {
  return pino(
    {
      level: options.level,
      base: { service: options.service, version: options.version },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACT, censor: '[redacted]' },
      serializers: { err: serializeError, error: serializeError },
      // Every line written inside a request carries its id, so one user action can be followed
      // across gateway, notes and media.
      mixin: (mergeObject: object) => {
        const ctx = requestContext.getStore();
        if (!ctx || 'requestId' in mergeObject) return {};
        return { requestId: ctx.requestId, ...(ctx.userId ? { userId: ctx.userId } : {}) };
      },
    },
    destination,
  );
}
