import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseExportDate, parseMarkdownPage, parseTags } from './markdown-page.js';

describe('parseMarkdownPage', () => {
  it('takes the title, Created and Tags from a Notion page and keeps the rest of the body', () => {
    const page = parseMarkdownPage(
      '# Incident review\n\nCreated: January 5, 2024 3:14 PM\nTags: ops, postmortem\nOwner: Ana\n\nWhat happened.\n',
      'fallback',
    );
    expect(page).toEqual({
      title: 'Incident review',
      createdAt: '2024-01-05T15:14:00.000Z',
      tags: ['ops', 'postmortem'],
      body: 'Owner: Ana\n\nWhat happened.',
    });
  });

  it('falls back to the file name and leaves ordinary "Key: value" prose alone', () => {
    const page = parseMarkdownPage('Note: this is prose.\nMore text.', 'Meeting notes');
    expect(page.title).toBe('Meeting notes');
    expect(page.body).toBe('Note: this is prose.\nMore text.');
    expect(page.tags).toEqual([]);
    expect(page.createdAt).toBeUndefined();
  });

  it('keeps an unreadable Created line in the body rather than losing it', () => {
    const page = parseMarkdownPage('# T\n\nCreated: sometime last spring\nTags: a\n\nx', 'f');
    expect(page.createdAt).toBeUndefined();
    expect(page.tags).toEqual(['a']);
    expect(page.body).toBe('Created: sometime last spring\n\nx');
  });

  it('handles CRLF line endings and a byte-order mark', () => {
    const page = parseMarkdownPage('\uFEFF# Title\r\n\r\nTags: x\r\n\r\nBody', 'f');
    expect(page).toMatchObject({ title: 'Title', tags: ['x'], body: 'Body' });
  });
});

describe('parseExportDate', () => {
  it.each([
    ['January 5, 2024 3:14 PM', '2024-01-05T15:14:00.000Z'],
    ['December 31, 2023 12:05 AM', '2023-12-31T00:05:00.000Z'],
    ['March 1, 2022', '2022-03-01T00:00:00.000Z'],
    ['2024-02-29', '2024-02-29T00:00:00.000Z'],
    ['2024-02-29T10:11:12+02:00', '2024-02-29T08:11:12.000Z'],
  ])('reads %s', (text, iso) => {
    expect(parseExportDate(text)).toBe(iso);
  });

  it.each(['Smarch 3, 2020', 'February 30, 2023', 'yesterday', '2024-13-01'])(
    'refuses %s',
    (text) => {
      expect(parseExportDate(text)).toBeUndefined();
    },
  );
});

describe('parseTags', () => {
  it('splits on commas, trims and drops empties and duplicates', () => {
    expect(parseTags(' a, b ,,a, c d ')).toEqual(['a', 'b', 'c d']);
  });
});

/** Wall-clock milliseconds of `fn`: the hostile inputs below took seconds before issue #10's fix. */
function millis(fn: () => unknown): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

describe('parseMarkdownPage on hostile input (#10)', () => {
  it.each([3_000, 100_000])(
    'reads a heading with %i spaces inside it in well under a second',
    (spaces) => {
      let title = '';
      const ms = millis(() => {
        title = parseMarkdownPage(`# a${' '.repeat(spaces)}x ##\n\nbody`, 'f').title;
      });
      expect(title).toBe(`a${' '.repeat(spaces)}x`.slice(0, 300));
      expect(ms).toBeLessThan(1000);
    },
  );

  it('reads a 100 KB property line of spaces in well under a second', () => {
    const text = `# T\n\nTags: a${' '.repeat(100_000)}\u2028b\nCreated:${' '.repeat(100_000)}\u2028`;
    expect(millis(() => parseMarkdownPage(text, 'f'))).toBeLessThan(1000);
  });

  it('reads headings exactly as the old title regex did', () => {
    // The pre-#10 regex, kept as the reference; it is only run on lines of at most 12 chars.
    // eslint-disable-next-line regexp/no-super-linear-backtracking -- input is at most 12 chars
    const legacy = /^#\s+(.+?)\s*#*\s*$/;
    const line = fc.string({
      unit: fc.constantFrom('#', ' ', '\t', 'a', 'b', '\u00a0', '\u2028'),
      maxLength: 12,
    });
    fc.assert(
      fc.property(line, (heading) => {
        const expected = heading.trim() === '' ? 'f' : (legacy.exec(heading)?.[1]!.trim() ?? 'f');
        expect(parseMarkdownPage(`${heading}\n\nbody`, 'f').title).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });
});
