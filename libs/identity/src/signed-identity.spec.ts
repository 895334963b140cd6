import { describe, expect, it } from 'vitest';
import { IdentityError, signIdentity, verifyIdentity } from './index.js';

const secret = 'a'.repeat(32);
const alice = { userId: 'u-1', name: 'Alice Ó. Example', role: 'editor' as const };

describe('signed identity', () => {
  it('round-trips a user through the header', () => {
    const header = signIdentity(alice, secret, 1_000_000);
    expect(verifyIdentity(header, secret, { now: 1_000_500 })).toEqual(alice);
  });

  it('rejects a header signed with another secret', () => {
    const header = signIdentity(alice, 'b'.repeat(32));
    expect(() => verifyIdentity(header, secret)).toThrow('bad identity signature');
  });

  it('rejects a tampered role', () => {
    const header = signIdentity(alice, secret).replace('.editor.', '.admin.');
    expect(() => verifyIdentity(header, secret)).toThrow(IdentityError);
  });

  it('rejects a replayed header older than the allowed skew', () => {
    const header = signIdentity(alice, secret, 0);
    expect(() => verifyIdentity(header, secret, { now: 120_000 })).toThrow('expired');
  });

  it('rejects missing and malformed headers', () => {
    expect(() => verifyIdentity(undefined, secret)).toThrow('missing');
    expect(() => verifyIdentity('v1.x.y', secret)).toThrow('malformed');
  });
});
