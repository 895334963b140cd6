import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { normaliseArchivePath, readZip } from './zip-archive.js';

const limits = { maxUncompressedBytes: 1_000_000, maxFiles: 10 };
const everything = () => true;

describe('readZip', () => {
  it('extracts wanted files with normalised paths', () => {
    const zip = zipSync({ 'a/b.md': strToU8('# B'), 'a/c.txt': strToU8('c') });
    const files = readZip(zip, limits, (p) => p.endsWith('.md'));
    expect(files.map((f) => f.path)).toEqual(['a/b.md']);
    expect(new TextDecoder().decode(files[0]!.data)).toBe('# B');
  });

  it('opens zips inside the zip (Notion splits big exports into parts)', () => {
    const inner = zipSync({ 'p.md': strToU8('# P') });
    const outer = zipSync({ 'Export-Part-1.zip': inner });
    expect(readZip(outer, limits, everything).map((f) => f.path)).toEqual(['p.md']);
  });

  it('refuses archives that expand beyond the byte budget (zip bombs)', () => {
    const zip = zipSync({ 'zeros.md': new Uint8Array(2_000_000) }, { level: 9 });
    expect(zip.length).toBeLessThan(10_000);
    expect(() => readZip(zip, limits, everything)).toThrow(/too much data/);
  });

  it('refuses archives with too many files', () => {
    const entries = Object.fromEntries(
      Array.from({ length: 11 }, (_, i) => [`p${i}.md`, strToU8('x')]),
    );
    expect(() => readZip(zipSync(entries), limits, everything)).toThrow(/too many files/);
  });

  it('refuses path traversal and answers clearly for files that are not zips', () => {
    const zip = zipSync({ '../evil.md': strToU8('x') });
    expect(() => readZip(zip, limits, everything)).toThrow(/unsafe path/);
    expect(() => readZip(strToU8('not a zip'), limits, everything)).toThrow(/not a readable zip/);
  });
});

describe('normaliseArchivePath', () => {
  it.each([
    ['a\\b.md', 'a/b.md'],
    ['./a//b.md', 'a/b.md'],
    ['/etc/passwd', undefined],
    ['C:/x.md', undefined],
    ['a/../../b', undefined],
    ['a\u0000b', undefined],
  ])('%s → %s', (input, expected) => {
    expect(normaliseArchivePath(input)).toBe(expected);
  });
});
