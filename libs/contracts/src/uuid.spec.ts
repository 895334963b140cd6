import { describe, expect, it } from 'vitest';
import { isUuid } from './uuid.js';

describe('isUuid', () => {
  it('accepts UUIDs in either case', () => {
    expect(isUuid('3f2b8c1e-9a4d-4e8f-b0c1-2d3e4f5a6b7c')).toBe(true);
    expect(isUuid('3F2B8C1E-9A4D-4E8F-B0C1-2D3E4F5A6B7C')).toBe(true);
  });

  it('refuses slugs, fragments and UUIDs with anything around them', () => {
    expect(isUuid('team-handbook')).toBe(false);
    expect(isUuid('3f2b8c1e-9a4d-4e8f-b0c1')).toBe(false);
    expect(isUuid('3f2b8c1e9a4d4e8fb0c12d3e4f5a6b7c')).toBe(false);
    expect(isUuid(' 3f2b8c1e-9a4d-4e8f-b0c1-2d3e4f5a6b7c')).toBe(false);
    expect(isUuid('3f2b8c1e-9a4d-4e8f-b0c1-2d3e4f5a6b7c\n')).toBe(false);
  });
});
