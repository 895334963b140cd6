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
];

export function createLogger(
  options: { service: string; level: string; version?: string },
  destination?: DestinationStream,
): Logger {
  return pino(
    {
      level: options.level,
      base: { service: options.service, version: options.version },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACT, censor: '[redacted]' },
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
