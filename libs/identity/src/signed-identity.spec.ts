import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  IdentityError,
  STREAMED_BODY,
  signIdentity,
  verifyIdentity,
  verifyIdentityHeader,
  type SignedRequest,
} from './index.js';

const secret = 'a'.repeat(32);
const alice = { userId: 'u-1', name: 'Alice Ó. Example', role: 'editor' as const };
const put = { method: 'PUT', path: '/api/v1/notes/n-1?x=1', body: '{"title":"A"}' };
const T = 1_000_000;

describe('signed identity', () => {
  it('round-trips a user through the header for the request it was made for', () => {
    const header = signIdentity(alice, secret, put, T);
    expect(verifyIdentity(header, secret, put, { now: T + 500 })).toEqual(alice);
  });

  it('rejects a header signed with another secret', () => {
    const header = signIdentity(alice, 'b'.repeat(32), put);
    expect(() => verifyIdentity(header, secret, put)).toThrow('bad identity signature');
  });

  it('rejects a tampered role', () => {
    const header = signIdentity(alice, secret, put).replace('.editor.', '.admin.');
    expect(() => verifyIdentity(header, secret, put)).toThrow(IdentityError);
  });

  it('rejects a header replayed with another method, path, query or body', () => {
    const header = signIdentity(alice, secret, put, T);
    const at = { now: T };
    expect(() => verifyIdentity(header, secret, { ...put, method: 'DELETE' }, at)).toThrow(
      'bad identity signature',
    );
    expect(() => verifyIdentity(header, secret, { ...put, path: '/api/v1/notes/n-2' }, at)).toThrow(
      'bad identity signature',
    );
    expect(() =>
      verifyIdentity(header, secret, { ...put, path: '/api/v1/notes/n-1?x=2' }, at),
    ).toThrow('bad identity signature');
    expect(() => verifyIdentity(header, secret, { ...put, body: '{"title":"B"}' }, at)).toThrow(
      'another body',
    );
    expect(() => verifyIdentity(header, secret, { ...put, body: undefined }, at)).toThrow(
      'another body',
    );
  });

  it('binds an empty body, and a streamed body only where the receiver accepts one', () => {
    const get = { method: 'GET', path: '/api/v1/notes' };
    const header = signIdentity(alice, secret, get, T);
    expect(verifyIdentity(header, secret, { ...get, body: Buffer.alloc(0) }, { now: T })).toEqual(
      alice,
    );
    const upload: SignedRequest = { method: 'POST', path: '/api/v1/media', body: STREAMED_BODY };
    const streamed = signIdentity(alice, secret, upload, T);
    expect(verifyIdentity(streamed, secret, upload, { now: T })).toEqual(alice);
    // A receiver that hashes what it read never accepts the "streamed" digest.
    expect(() => verifyIdentity(streamed, secret, { ...upload, body: '-' }, { now: T })).toThrow(
      'another body',
    );
  });

  it('rejects a header older than 30 s and one from the future beyond 2 s of skew', () => {
    const header = signIdentity(alice, secret, put, T);
    expect(() => verifyIdentity(header, secret, put, { now: T + 30_001 })).toThrow('expired');
    expect(() => verifyIdentity(header, secret, put, { now: T - 2_001 })).toThrow('expired');
    expect(verifyIdentity(header, secret, put, { now: T - 1_500 })).toEqual(alice);
  });

  it('accepts a legacy v1 header during the rollout, under the same past-only window', () => {
    const payload = ['v1', 'dS0x', 'QWxpY2U', 'editor', String(T)].join('.');
    const v1 = `${payload}.${createHmac('sha256', secret).update(payload).digest('base64url')}`;
    expect(verifyIdentityHeader(v1, secret, put, { now: T + 1_000 })).toEqual({
      identity: { userId: 'u-1', name: 'Alice', role: 'editor' },
      bodyDigest: undefined,
    });
    expect(() => verifyIdentityHeader(v1, secret, put, { now: T - 10_000 })).toThrow('expired');
  });

  it('rejects missing and malformed headers', () => {
    expect(() => verifyIdentity(undefined, secret, put)).toThrow('missing');
    expect(() => verifyIdentity('v1.x.y', secret, put)).toThrow('malformed');
    expect(() => verifyIdentity('v3.a.b.editor.1.d.s', secret, put)).toThrow('malformed');
  });
});
