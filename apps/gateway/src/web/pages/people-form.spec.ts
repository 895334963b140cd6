import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { acceptInviteFields, GatewayException } from '../platform.js';
import { readForm, refusal } from './people-form.js';

describe('the people forms', () => {
  it('answer the first message with 422, control characters with 400', () => {
    expect(readForm(acceptInviteFields, { name: 'Eve', password: 'short' })).toEqual({
      ok: false,
      error: 'Choose a password of at least 12 characters.',
      status: 422,
    });
    expect(
      readForm(acceptInviteFields, { name: 'Eve\u0000', password: 'long enough pw' }),
    ).toMatchObject({
      ok: false,
      status: 400,
    });
    expect(readForm(z.object({ n: z.coerce.number() }), { n: '3' })).toEqual({
      ok: true,
      data: { n: 3 },
    });
  });

  it('turn known refusals into a status and message, and rethrow the rest', () => {
    const taken = new GatewayException('email_taken', 'Taken.');
    expect(refusal(taken, { email_taken: 409 })).toEqual({ status: 409, message: 'Taken.' });
    expect(() => refusal(taken, { invite_invalid: 410 })).toThrow(taken);
    const bug = new TypeError('boom');
    expect(() => refusal(bug, { email_taken: 409 })).toThrow(bug);
  });
});
