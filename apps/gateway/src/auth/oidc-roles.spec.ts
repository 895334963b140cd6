import { describe, expect, it } from 'vitest';
import { roleFromGroups } from './oidc-roles.js';

const MAPPING = [
  { role: 'admin' as const, groups: ['wiki-admins'] },
  { role: 'editor' as const, groups: ['engineering', 'docs'] },
  { role: 'reader' as const, groups: [] },
];

describe('roleFromGroups', () => {
  it('gives the highest role any of the groups maps to', () => {
    expect(roleFromGroups(['docs', 'wiki-admins'], MAPPING, 'reader')).toBe('admin');
    expect(roleFromGroups(['sales', 'docs'], MAPPING, 'reader')).toBe('editor');
  });

  it('falls back when no group matches, exactly (no prefixes, no case folding)', () => {
    expect(roleFromGroups([], MAPPING, 'reader')).toBe('reader');
    expect(roleFromGroups(['Wiki-Admins', 'wiki-admins-old'], MAPPING, 'editor')).toBe('editor');
  });
});
