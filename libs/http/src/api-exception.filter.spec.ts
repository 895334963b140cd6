import { type Logger } from '@lateral/observability';
import { describe, expect, it } from 'vitest';
import { toErrorResponse } from './api-exception.filter.js';

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

    const response = toErrorResponse(failed, () => 500, logger);

    expect(response.status).toBe(500);
    expect(response.body.error.code).toBe('internal');
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain(HASH);
    expect(lines[0]).not.toContain(EMAIL);
    expect(lines[0]).toContain('"constraint":"u"');
    expect(lines[0]).toContain('"code":"23505"');
  });
});
