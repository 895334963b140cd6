import { describe, expect, it } from 'vitest';
import { slugForTitle, slugify } from './slug.js';

describe('slugify', () => {
  it('folds accents and case, and joins words with single dashes', () => {
    expect(slugify('Café Crème — Menu!')).toBe('cafe-creme-menu');
    expect(slugify('  Ünïcödé   Tëst  ')).toBe('unicode-test');
  });

  it('keeps digits and drops leading and trailing punctuation', () => {
    expect(slugify('--2024: Q1 Roadmap?--')).toBe('2024-q1-roadmap');
  });

  it('cuts long titles without leaving a dangling dash', () => {
    const slug = slugify(`${'a'.repeat(119)} b`);
    expect(slug).toBe('a'.repeat(119));
    expect(slugify('x'.repeat(500))).toHaveLength(120);
  });

  it('gives a title with no Latin letters a slug from the page id', () => {
    expect(slugify('日本語のページ')).toBe('');
    expect(slugForTitle('日本語のページ', '0f8e2c1a-1111-2222-3333-444455556666')).toBe(
      'page-0f8e2c1a1111',
    );
    expect(slugForTitle('Plain', '0f8e2c1a-1111-2222-3333-444455556666')).toBe('plain');
  });
});
