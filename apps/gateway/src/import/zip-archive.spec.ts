import { strToU8, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { bombZip, declareSize } from './testing/zip-builders.js';
import { normaliseArchivePath, readZip, type ArchiveLimits } from './zip-archive.js';

const limits: ArchiveLimits = { maxUncompressedBytes: 1_000_000, maxFiles: 10, timeoutMs: 10_000 };
const everything = () => Infinity;
const markdownOnly = (path: string) => (path.endsWith('.md') ? Infinity : undefined);
const MiB = 2 ** 20;

describe('readZip', () => {
  it('extracts selected files with normalised paths', async () => {
    const zip = zipSync({ 'a/b.md': strToU8('# B'), 'a/c.txt': strToU8('c') });
    const { files } = await readZip(zip, limits, markdownOnly);
    expect(files.map((f) => f.path)).toEqual(['a/b.md']);
    expect(new TextDecoder().decode(files[0]!.data)).toBe('# B');
  });

  it('reads stored (uncompressed) entries', async () => {
    const zip = zipSync({ 'a.md': strToU8('# A stored') }, { level: 0 });
    const { files } = await readZip(zip, limits, everything);
    expect(new TextDecoder().decode(files[0]!.data)).toBe('# A stored');
  });

  it('opens zips inside the zip (Notion splits big exports into parts)', async () => {
    const inner = zipSync({ 'p.md': strToU8('# P') });
    const outer = zipSync({ 'Export-Part-1.zip': inner });
    const { files } = await readZip(outer, limits, everything);
    expect(files.map((f) => f.path)).toEqual(['p.md']);
  });

  it('holds nested zips to the same byte budget as the outer one', async () => {
    const part = (name: string) => zipSync({ [name]: new Uint8Array(600_000) }, { level: 9 });
    const outer = zipSync({ '1.zip': part('a.md'), '2.zip': part('b.md') }, { level: 0 });
    await expect(readZip(outer, limits, everything)).rejects.toThrow(/too much data/);
  });

  it('refuses archives that declare more than the byte budget, before inflating', async () => {
    const zip = zipSync({ 'zeros.md': new Uint8Array(2_000_000) }, { level: 9 });
    expect(zip.length).toBeLessThan(10_000);
    await expect(readZip(zip, limits, everything)).rejects.toThrow(/too much data/);
  });

  it('counts every entry against the file limit, not only the selected ones', async () => {
    const entries = Object.fromEntries(
      Array.from({ length: 11 }, (_, i) => [`attachment-${i}.bin`, strToU8('x')]),
    );
    await expect(readZip(zipSync(entries), limits, markdownOnly)).rejects.toThrow(/too many files/);
  });

  it('counts the entries of nested zips against the same file limit', async () => {
    const inner = (n: number) =>
      zipSync(
        Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`${n}-${i}.md`, strToU8('x')])),
      );
    const outer = zipSync({ '1.zip': inner(1), '2.zip': inner(2) });
    await expect(readZip(outer, limits, everything)).rejects.toThrow(/too many files/);
  });

  it('leaves out files larger than the selector allows, and says which', async () => {
    const zip = zipSync({ 'big.md': new Uint8Array(5000), 'small.md': strToU8('# S') });
    const contents = await readZip(zip, limits, () => 1000);
    expect(contents.files.map((f) => f.path)).toEqual(['small.md']);
    expect(contents.oversized).toEqual([{ path: 'big.md', bytes: 5000, maxBytes: 1000 }]);
  });

  it('refuses an entry that inflates to less than its header declares', async () => {
    const zip = declareSize(zipSync({ 'page.md': strToU8('# Short') }), 'page.md', 5000);
    await expect(readZip(zip, limits, everything)).rejects.toMatchObject({
      code: 'import_invalid',
      message: expect.stringMatching(/page\.md does not match the size/),
    });
  });

  it('refuses a stored entry whose header lies about its size', async () => {
    const zip = declareSize(
      zipSync({ 'page.md': strToU8('# Stored') }, { level: 0 }),
      'page.md',
      3,
    );
    await expect(readZip(zip, limits, everything)).rejects.toMatchObject({
      code: 'import_invalid',
    });
  });

  it('refuses files that are not zips, path traversal, and truncated archives', async () => {
    await expect(readZip(strToU8('not a zip'), limits, everything)).rejects.toThrow(
      /not a readable zip/,
    );
    const evil = zipSync({ '../evil.md': strToU8('x') });
    await expect(readZip(evil, limits, everything)).rejects.toThrow(/unsafe path/);
    const zip = zipSync({ 'a.md': new Uint8Array(50_000).fill(65) });
    await expect(readZip(zip.subarray(0, zip.length - 30), limits, everything)).rejects.toThrow(
      /not a readable zip/,
    );
  });

  describe('a 200 MiB entry of zeros (about 200 KB zipped)', () => {
    let bomb: Uint8Array;
    beforeAll(() => {
      bomb = bombZip({ 'zeros.md': 200 * MiB });
    }, 60_000);

    it('is refused quickly, with bounded memory, when its header understates its size', async () => {
      expect(bomb.length).toBeLessThan(400_000);
      const liar = declareSize(bomb, 'zeros.md', 1000);
      const rss = process.memoryUsage().rss;
      const started = performance.now();
      await expect(readZip(liar, limits, everything)).rejects.toMatchObject({
        code: 'import_invalid',
        message: expect.stringMatching(/does not match the size/),
      });
      expect(performance.now() - started).toBeLessThan(1000);
      expect(process.memoryUsage().rss - rss).toBeLessThan(32 * MiB);
    });

    it('is refused before inflating when it declares more than the budget', async () => {
      const rss = process.memoryUsage().rss;
      const started = performance.now();
      await expect(readZip(bomb, limits, everything)).rejects.toThrow(/too much data/);
      expect(performance.now() - started).toBeLessThan(200);
      expect(process.memoryUsage().rss - rss).toBeLessThan(32 * MiB);
    });

    it('is stopped by the time budget while inflating inside the byte budget', async () => {
      const generous = { ...limits, maxUncompressedBytes: 512 * MiB, timeoutMs: 20 };
      const started = performance.now();
      await expect(readZip(bomb, generous, everything)).rejects.toMatchObject({
        code: 'import_too_large',
        message: expect.stringMatching(/longer than 0.02 s/),
      });
      expect(performance.now() - started).toBeLessThan(1000);
    });

    it('keeps the event loop free while it inflates', async () => {
      const generous = { ...limits, maxUncompressedBytes: 512 * MiB };
      let longestGap = 0;
      let last = performance.now();
      const ticker = setInterval(() => {
        const now = performance.now();
        longestGap = Math.max(longestGap, now - last);
        last = now;
      }, 5);
      try {
        const { files } = await readZip(bomb, generous, everything);
        expect(files[0]!.data.length).toBe(200 * MiB);
      } finally {
        clearInterval(ticker);
      }
      // Inflating it on the event loop takes seconds; here it only waits for zlib's chunks
      // (the margin is for a loaded CI machine and the 200 MiB allocation).
      expect(longestGap).toBeLessThan(400);
    });
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
