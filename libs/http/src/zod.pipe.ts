import { type PipeTransform } from '@nestjs/common';
import { type z } from 'zod';
import { DomainException } from './domain.exception.js';
import { INVALID_CHARACTERS, isInvalidCharactersIssue } from './safe-text.js';

/**
 * Validates and narrows untrusted input; failures become 400 `validation_failed` with each issue,
 * or `invalid_characters` when a field carries NUL or control characters (see safe-text.ts).
 */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    path: issue.path.join('.'),
    message: issue.message,
  }));
  const first = issues[0];
  throw new DomainException(
    result.error.issues.some(isInvalidCharactersIssue) ? INVALID_CHARACTERS : 'validation_failed',
    first ? `${first.path || 'body'}: ${first.message}` : 'Invalid input.',
    issues,
  );
}

export class ZodPipe<S extends z.ZodType> implements PipeTransform<unknown, z.infer<S>> {
  constructor(private readonly schema: S) {}

  transform(value: unknown): z.infer<S> {
    return parseWith(this.schema, value);
  }
}
