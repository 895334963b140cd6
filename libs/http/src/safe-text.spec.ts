import { describe, expect, it } from 'vitest';
import { jsonNestingExceeds } from './request-guards.js';
import { hasInvalidCharacters, safeText, singleLineText } from './safe-text.js';

describe('safeText', () => {
  it('refuses NUL, C0 and C1 controls but keeps tabs and line breaks', () => {
    expect(safeText().safeParse('a\u0000b').success).toBe(false);
    expect(safeText().safeParse('del\u007f').success).toBe(false);
    expect(safeText().safeParse('nel\u0085').success).toBe(false);
    expect(safeText().parse('a\tb\r\nc\n')).toBe('a\tb\r\nc\n');
  });
});

describe('singleLineText', () => {
  it('refuses every control character and bidi overrides or isolates', () => {
    for (const value of ['a\nb', 'a\tb', 'abc\u202egnp.exe', 'x\u2066y\u2069', 'z\u202a']) {
      expect(hasInvalidCharacters(value, { singleLine: true }), JSON.stringify(value)).toBe(true);
      expect(singleLineText().safeParse(value).success).toBe(false);
    }
  });

  it('removes zero-width characters, normalises to NFC and trims', () => {
    expect(singleLineText().parse(' ad\u200bmin\u200c\u200d\u2060\ufeff ')).toBe('admin');
    expect(singleLineText().parse('Cafe\u0301')).toBe('Café');
    expect(singleLineText().min(1).safeParse('\u200b').success).toBe(false);
  });
});

describe('jsonNestingExceeds', () => {
  const bytes = (text: string) => Buffer.from(text, 'utf8');
  it('counts nesting outside strings only', () => {
    expect(jsonNestingExceeds(bytes('['.repeat(65)), 64)).toBe(true);
    expect(jsonNestingExceeds(bytes('['.repeat(64) + ']'.repeat(64)), 64)).toBe(false);
    expect(jsonNestingExceeds(bytes(`{"a":"${'['.repeat(100)}\\"["}`), 64)).toBe(false);
    expect(jsonNestingExceeds(bytes(`["é${'{'.repeat(10)}"]`), 2)).toBe(false);
  });
});
