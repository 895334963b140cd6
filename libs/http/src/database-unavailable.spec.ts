import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from './database-unavailable.js';

/** What TypeORM throws: a QueryFailedError carrying node-postgres's error. */
const queryFailed = (driverError: object) =>
  Object.assign(new Error('query failed'), { driverError });

describe('isDatabaseUnavailable', () => {
  it('recognises a server shutting down, restarting or refusing connections', () => {
    expect(isDatabaseUnavailable(queryFailed({ code: '57P01' }))).toBe(true); // admin shutdown
    expect(isDatabaseUnavailable(queryFailed({ code: '57P03' }))).toBe(true); // starting up
    expect(isDatabaseUnavailable(queryFailed({ code: '08006' }))).toBe(true); // connection failure
    expect(isDatabaseUnavailable({ code: 'ECONNREFUSED' })).toBe(true);
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(
      isDatabaseUnavailable(
        new Error('x', { cause: new Error('timeout exceeded when trying to connect') }),
      ),
    ).toBe(true);
  });

  it('leaves query errors and bugs as they are', () => {
    expect(isDatabaseUnavailable(queryFailed({ code: '23505' }))).toBe(false); // unique violation
    expect(isDatabaseUnavailable(queryFailed({ code: '42P01' }))).toBe(false); // no such table
    expect(isDatabaseUnavailable(new TypeError('cannot read properties of undefined'))).toBe(false);
    expect(isDatabaseUnavailable(undefined)).toBe(false);
  });
});
