import { type Logger } from '@lateral/observability';
import { describe, expect, it } from 'vitest';
import { commonErrors, errorModel, toErrorResponse } from './api-exception.filter.js';
import { type CommonErrorCode, DomainException } from './domain.exception.js';

const HASH = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA';
const EMAIL = 'victim@example.com';

/** A logger that keeps what it was given as JSON, as any pino destination would write it. */
function recordingLogger(): { lines: string[]; logger: Logger } {
  const lines: string[] = [];
  const record = (object: unknown, message?: string) =>
    void lines.push(JSON.stringify({ ...(object as object), msg: message }));
  return { lines, logger: { error: record, warn: record } as unknown as Logger };
}

describe('toErrorResponse', () => {
  it('logs a failed query through the error serializer: no parameters, no detail values', () => {
    const failed = Object.assign(new Error('duplicate key value violates unique constraint "u"'), {
      name: 'QueryFailedError',
      query: 'INSERT INTO "users"("email", "password_hash") VALUES ($1, $2)',
      parameters: [EMAIL, HASH],
      driverError: { code: '23505', constraint: 'u', detail: `Key (email)=(${EMAIL}) exists.` },
      detail: `Key (email)=(${EMAIL}) exists.`,
    });
    const { lines, logger } = recordingLogger();

    const response = toErrorResponse(failed, commonErrors, logger);

    expect(response.status).toBe(500);
    expect(response.body.error.code).toBe('internal');
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain(HASH);
    expect(lines[0]).not.toContain(EMAIL);
    expect(lines[0]).toContain('"constraint":"u"');
    expect(lines[0]).toContain('"code":"23505"');
  });
});

type ThingsCode = CommonErrorCode | 'thing_not_found' | 'thing_locked';
class ThingsException extends DomainException<ThingsCode> {}
const thingsErrors = errorModel(ThingsException, { thing_not_found: 404, thing_locked: 423 });
class OtherException extends DomainException<CommonErrorCode | 'other_code'> {}

describe('an app error model', () => {
  const { logger, lines } = recordingLogger();
  const answer = (error: unknown) => {
    const { status, body } = toErrorResponse(error, thingsErrors, logger);
    return { status, code: body.error.code, message: body.error.message };
  };

  it("maps the app's own codes and the common ones", () => {
    expect(answer(new ThingsException('thing_locked', 'Locked.'))).toEqual({
      status: 423,
      code: 'thing_locked',
      message: 'Locked.',
    });
    expect(answer(new ThingsException('rate_limited', 'Slow down.')).status).toBe(429);
    expect(answer(new DomainException('invalid_cursor', 'Bad cursor.')).status).toBe(400);
  });

  it("answers another app's exception as an internal error, logged, without its message", () => {
    expect(answer(new OtherException('other_code', 'Secret detail.'))).toEqual({
      status: 500,
      code: 'internal',
      message: 'Something went wrong on our side. It has been logged.',
    });
    expect(lines.at(-1)).toContain('Secret detail.');
  });

  it('refuses unknown codes at compile time', () => {
    // @ts-expect-error a code outside the common union
    const bare = new DomainException('thing_not_found', 'No.');
    // @ts-expect-error a code outside the app's union
    const typo = new ThingsException('thing_not_fuond', 'No.');
    // @ts-expect-error the table must map every own code
    errorModel(ThingsException, { thing_not_found: 404 });
    // @ts-expect-error common codes keep their one status
    errorModel(ThingsException, { thing_not_found: 404, thing_locked: 423, not_found: 410 });
    // @ts-expect-error a table for other codes than the exception's
    errorModel(OtherException, { thing_not_found: 404 });
    expect([bare.code, typo.code]).toEqual(['thing_not_found', 'thing_not_fuond']);
  });
});
