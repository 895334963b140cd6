import { z } from 'zod';
import { env } from './env-types.js';

/** Variables every Lateral service reads; each app extends this schema with its own. */
export const serviceEnvSchema = z.object({
  HOST: z.string().default('0.0.0.0'),
  METRICS_PORT: env.port(),
  LOG_LEVEL: env.logLevel().default('info'),
  /** After SIGTERM, how long readiness reports 503 before the server stops accepting work. */
  SHUTDOWN_DRAIN_MS: env.nonNegativeInt().default(5000),
  /** Hard limit for the whole shutdown; past it the process exits 1. */
  SHUTDOWN_TIMEOUT_MS: env.positiveInt().default(25000),
  /** Shared secret for the signed identity header between gateway and services. */
  LATERAL_INTERNAL_SECRET: env.secret(),
  LATERAL_VERSION: z.string().default('dev'),
  LATERAL_GIT_SHA: z.string().default('unknown'),
});

export interface ServiceConfig {
  name: string;
  host: string;
  port: number;
  metricsPort: number;
  logLevel: z.infer<ReturnType<typeof env.logLevel>>;
  shutdownDrainMs: number;
  shutdownTimeoutMs: number;
  internalSecret: string;
  version: string;
  gitSha: string;
}

export function toServiceConfig(
  name: string,
  port: number,
  e: z.infer<typeof serviceEnvSchema>,
): ServiceConfig {
  return {
    name,
    host: e.HOST,
    port,
    metricsPort: e.METRICS_PORT,
    logLevel: e.LOG_LEVEL,
    shutdownDrainMs: e.SHUTDOWN_DRAIN_MS,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    internalSecret: e.LATERAL_INTERNAL_SECRET,
    version: e.LATERAL_VERSION,
    gitSha: e.LATERAL_GIT_SHA,
  };
}
