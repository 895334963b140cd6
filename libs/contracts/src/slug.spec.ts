import { describe, expect, it } from 'vitest';
import { MAX_SLUG_LENGTH, slugify } from './slug.js';

describe('slugify', () => {
  it('folds accents and case, and joins words with single dashes', () => {
    expect(slugify('Café Crème — Menu!')).toBe('cafe-creme-menu');
    expect(slugify('  Ünïcödé   Tëst  ')).toBe('unicode-test');
  });

  it('keeps digits and drops leading and trailing punctuation', () => {
    expect(slugify('--2024: Q1 Roadmap?--')).toBe('2024-q1-roadmap');
  });

  it('cuts long titles at the slug length', () => {
    expect(slugify('x'.repeat(500))).toHaveLength(MAX_SLUG_LENGTH);
  });

  // Issue #13: the gateway's copy kept the dash here, so `[[Title]]` asked notes for
  // `aaa…a-` while the page was stored as `aaa…a` and the link rendered as missing.
  it('drops the dash when the cut lands right after a separator (character 120)', () => {
    const title = `${'a'.repeat(MAX_SLUG_LENGTH - 1)} bcd`;
    expect(slugify(title)).toBe('a'.repeat(MAX_SLUG_LENGTH - 1));
    expect(slugify(`${'Long title '.repeat(20)}`)).not.toMatch(/-$/);
  });

  it('gives a title with no Latin letters or digits an empty slug', () => {
    expect(slugify('日本語のページ')).toBe('');
  });
});
