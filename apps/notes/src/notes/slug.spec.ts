import { describe, expect, it } from 'vitest';
import { slugForTitle } from './slug.js';

describe('slugForTitle', () => {
  it('is the title slug, or one from the page id for a title with no Latin letters', () => {
    expect(slugForTitle('日本語のページ', '0f8e2c1a-1111-2222-3333-444455556666')).toBe(
      'page-0f8e2c1a1111',
    );
    expect(slugForTitle('Plain', '0f8e2c1a-1111-2222-3333-444455556666')).toBe('plain');
  });
});
