import { describe, expect, it } from 'vitest';
import { linkTokenHash, linkUrl, newLinkToken } from './one-time-link.js';

describe('one-time links', () => {
  it('are 256 random bits with their kind as prefix; only a SHA-256 of them is kept', () => {
    const { token, hash } = newLinkToken('inv');
    expect(token).toMatch(/^inv_[\w-]{43}$/);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(linkTokenHash(token, 'inv')).toBe(hash);
    expect(newLinkToken('inv').token).not.toBe(token);
  });

  it('never look up a token of the other kind or of the wrong shape', () => {
    const { token } = newLinkToken('rst');
    expect(linkTokenHash(token, 'inv')).toBeUndefined();
    expect(linkTokenHash(`${token}x`, 'rst')).toBeUndefined();
    expect(linkTokenHash('rst_../../etc', 'rst')).toBeUndefined();
  });

  it('keep PUBLIC_URL’s path prefix', () => {
    expect(linkUrl(new URL('https://wiki.example'), '/invite/x')).toBe(
      'https://wiki.example/invite/x',
    );
    expect(linkUrl(new URL('https://example.org/wiki/'), '/reset/y')).toBe(
      'https://example.org/wiki/reset/y',
    );
  });
});
