import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, serializeError } from './logger.js';

const HASH = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA';
const EMAIL = 'victim@example.com';
const BODY = 'Top secret page body';

/** Built the way TypeORM's QueryFailedError is: the driver's fields copied onto it. */
class QueryFailedError extends Error {
  override name = 'QueryFailedError';
  constructor(
    readonly query: string,
    readonly parameters: unknown[],
    readonly driverError: Record<string, unknown>,
  ) {
    super(String(driverError.message));
    Object.assign(this, driverError);
  }
}

function uniqueViolation(): QueryFailedError {
  return new QueryFailedError(
    'INSERT INTO "users"("email", "password_hash", "bio") VALUES ($1, $2, $3)',
    [EMAIL, HASH, BODY],
    {
      message: 'duplicate key value violates unique constraint "users_email_key"',
      severity: 'ERROR',
      code: '23505',
      detail: `Key (email)=(${EMAIL}) already exists.`,
      schema: 'public',
      table: 'users',
      constraint: 'users_email_key',
    },
  );
}

function capture(): { lines: string[]; logger: ReturnType<typeof createLogger> } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, logger: createLogger({ service: 'test', level: 'info' }, sink) };
}

describe('the logger', () => {
  it('logs a failed query with its code and constraint but none of its values', () => {
    const { lines, logger } = capture();
    logger.error({ err: uniqueViolation() }, 'unhandled error');
    logger.error(uniqueViolation());

    expect(lines).toHaveLength(2);
    for (const line of lines) {
      expect(line).not.toContain(HASH);
      expect(line).not.toContain('argon2');
      expect(line).not.toContain(EMAIL);
      expect(line).not.toContain(BODY);
      expect(line).not.toContain('parameters');
      const { err } = JSON.parse(line) as { err: Record<string, unknown> };
      expect(err).toMatchObject({
        type: 'QueryFailedError',
        code: '23505',
        constraint: 'users_email_key',
        table: 'users',
      });
      expect(err.stack).toMatch(/^QueryFailedError: duplicate key value/);
    }
  });

  it('drops values PostgreSQL and TypeORM quote after a colon, in the message and the stack', () => {
    const error = new QueryFailedError('SELECT 1 WHERE id = $1', [EMAIL], {
      message: `invalid input syntax for type uuid: "${EMAIL}"`,
      code: '22P02',
      severity: 'ERROR',
    });
    const out = serializeError(error);
    expect(out.message).toBe('invalid input syntax for type uuid: [redacted]');
    expect(JSON.stringify(out)).not.toContain(EMAIL);
    expect(
      serializeError({ name: 'EntityNotFoundError', message: `matching: ${EMAIL}` }).message,
    ).toBe('matching: [redacted]');
  });

  it('keeps a plain error readable, follows causes and leaves extra fields behind', () => {
    const error = Object.assign(new Error('upstream said no', { cause: uniqueViolation() }), {
      body: { password: HASH },
    });
    const out = serializeError(error);
    expect(out.message).toBe('upstream said no');
    expect(out.cause?.constraint).toBe('users_email_key');
    expect(JSON.stringify(out)).not.toContain(HASH);
    expect(serializeError(out)).toBe(out);
  });
});
