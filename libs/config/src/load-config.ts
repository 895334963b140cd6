import { z } from 'zod';

export type Env = Record<string, string | undefined>;

/** Thrown when the environment does not satisfy a schema; names every bad variable. */
export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(
      'Invalid configuration:\n' + problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

/**
 * Parses environment variables with a zod object schema whose keys are the variable names.
 * Empty strings count as unset, so `FOO=` in a manifest falls back to the default instead of
 * failing later in a surprising place.
 */
export function loadConfig<S extends z.ZodObject>(schema: S, env: Env): z.infer<S> {
  const input: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') input[key] = value;
  }
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => ({
      variable: String(issue.path[0] ?? '(root)'),
      message:
        issue.path[0] !== undefined && input[String(issue.path[0])] === undefined
          ? `is required (${issue.message})`
          : issue.message,
    })),
  );
}

/** For `main.ts`: a bad environment stops the process with a message naming the variable. */
/** At boot: the process environment by default, so no other module reads `process.env`. */
export function loadConfigOrExit<S extends z.ZodObject>(
  schema: S,
  env: Env = process.env,
): z.infer<S> {
  try {
    return loadConfig(schema, env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(
        JSON.stringify({ level: 'fatal', msg: error.message, problems: error.problems }) + '\n',
      );
      process.exit(78); // EX_CONFIG from sysexits.h
    }
    throw error;
  }
}
