import { describe, expect, it } from 'vitest';
import { safeNextPath } from './safe-redirect.js';

describe('safeNextPath', () => {
  it.each([
    ['/notes/abc?x=1', '/notes/abc?x=1'],
    ['//evil.example/x', '/'],
    ['/\\evil.example', '/'],
    ['https://evil.example', '/'],
    ['/ok\r\nSet-Cookie: x', '/'],
    [undefined, '/'],
  ])('%s → %s', (input, expected) => {
    expect(safeNextPath(input)).toBe(expected);
  });

  it.each(['/a\u0000b', '/a\u0007', '/a\u001b[0m', '/a\u007f', '/a\u0085', '/a\tb'])(
    'refuses control characters (%j)',
    (input) => {
      expect(safeNextPath(input)).toBe('/');
    },
  );

  it('percent-encodes non-ASCII and spaces as UTF-8, keeping existing escapes', () => {
    expect(safeNextPath('/notes/Café Crème?q=ü')).toBe('/notes/Caf%C3%A9%20Cr%C3%A8me?q=%C3%BC');
    expect(safeNextPath('/notes/%C3%A9')).toBe('/notes/%C3%A9');
    expect(safeNextPath('/notes/日本')).toBe('/notes/%E6%97%A5%E6%9C%AC');
  });

  it('falls back for a lone surrogate, which has no UTF-8 form', () => {
    expect(safeNextPath('/a\ud800')).toBe('/');
  });
});
