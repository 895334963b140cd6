import { describe, expect, it } from 'vitest';
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
