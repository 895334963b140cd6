import { describe, expect, it } from 'vitest';
import { effectiveRole, hashApiToken } from './api-tokens.service.js';

describe('API tokens', () => {
  it('are stored as a SHA-256 digest, never as given', () => {
    const hash = hashApiToken('lat_secret');
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain('secret');
    expect(hashApiToken('lat_secret')).toBe(hash);
    expect(hashApiToken('lat_secres')).not.toBe(hash);
  });

  it('never act above the role of the person they belong to', () => {
    expect(effectiveRole('admin', 'editor')).toBe('editor');
    expect(effectiveRole('reader', 'admin')).toBe('reader');
    expect(effectiveRole('editor', undefined)).toBe('editor');
  });
});
