import { z } from 'zod';

const UNITS: Record<string, number> = {
  b: 1,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
};

/** Typed parsers for environment variables (all env values arrive as strings). */
export const env = {
  port: () => z.coerce.number().int().min(1).max(65535),
  positiveInt: () => z.coerce.number().int().positive(),
  nonNegativeInt: () => z.coerce.number().int().min(0),
  url: () => z.url(),
  postgresUrl: () =>
    z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL'),
  /** A shared secret: long enough that guessing it is not an option. */
  secret: (minLength = 32) => z.string().min(minLength, `must be at least ${minLength} characters`),
  boolean: () =>
    z
      .enum(['true', 'false', '1', '0', 'yes', 'no'])
      .transform((v) => ['true', '1', 'yes'].includes(v)),
  logLevel: () => z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  /** Sizes such as `50MiB`, `512kb` or a plain byte count. */
  bytes: () =>
    z.string().transform((value, ctx) => {
      const match = /^\s*(\d+(?:\.\d+)?)\s*(?:([kmg]i?b|b)\s*)?$/i.exec(value);
      if (!match) {
        ctx.addIssue({
          code: 'custom',
          message: 'must be a size such as 1048576, 512KiB or 50MiB',
        });
        return z.NEVER;
      }
      return Math.floor(Number(match[1]) * (UNITS[(match[2] ?? 'b').toLowerCase()] ?? 1));
    }),
};
