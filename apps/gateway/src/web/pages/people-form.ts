import { isDomainException, isInvalidCharactersIssue } from '@lateral/http';
import { z } from 'zod';

/**
 * The people pages' forms are checked by their route's ZodPipe for shape only (strings): bad
 * content is not an error page but the form shown again with a message (422; 400 for control
 * characters), which this decides.
 */
export function readForm<T extends z.ZodType>(
  schema: T,
  fields: unknown,
): { ok: true; data: z.infer<T> } | { ok: false; error: string; status: 400 | 422 } {
  const parsed = schema.safeParse(fields);
  if (parsed.success) return { ok: true, data: parsed.data };
  if (parsed.error.issues.some(isInvalidCharactersIssue)) {
    return { ok: false, error: 'Remove the control characters and try again.', status: 400 };
  }
  return { ok: false, error: parsed.error.issues[0]?.message ?? 'Check the form.', status: 422 };
}

/** A coded refusal from a service, as the status and message a form shows (others rethrown). */
export function refusal(
  error: unknown,
  statuses: Readonly<Record<string, number>>,
): { status: number; message: string } {
  if (isDomainException(error) && statuses[error.code] !== undefined) {
    return { status: statuses[error.code]!, message: error.message };
  }
  throw error;
}

/** Every form field a page posts arrives as a string (or is missing). */
export const formStrings = <K extends string>(...keys: K[]) =>
  z.object(
    Object.fromEntries(keys.map((k) => [k, z.string().max(10_000).optional()])) as Record<
      K,
      z.ZodOptional<z.ZodString>
    >,
  );
