import { describe, expect, it } from 'vitest';
import { editorName, safeSnippet, toRevision, toSearchItem, toTag } from './note-fields.js';

describe('search snippets', () => {
  it('keeps <mark> highlights and escapes everything else', () => {
    expect(safeSnippet('a <mark>wiki</mark> <script>alert(1)</script>').toString()).toBe(
      'a <mark>wiki</mark> &lt;script&gt;alert(1)&lt;/script&gt;',
    );
  });

  it('escapes the text notes already escaped exactly once', () => {
    expect(safeSnippet('a &lt;b&gt; &amp; <mark>c&amp;d</mark> &lt;mark&gt;').toString()).toBe(
      'a &lt;b&gt; &amp; <mark>c&amp;d</mark> &lt;mark&gt;',
    );
  });

  it('balances marks that a truncated headline left open or stray', () => {
    expect(safeSnippet('</mark>x <mark>open').toString()).toBe('x <mark>open</mark>');
  });

  it('does not let a mark carry attributes', () => {
    expect(safeSnippet('<mark onclick="x">a</mark>').toString()).toBe(
      '&lt;mark onclick=&quot;x&quot;&gt;a',
    );
  });

  it('drops markdown syntax around the words', () => {
    expect(
      safeSnippet(
        '## Steps\n> See [[On-call]] and **<mark>rollback</mark>** `git revert` ![x](/a.png)',
      ).toString(),
    ).toBe('Steps See On-call and <mark>rollback</mark> git revert x');
  });

  it('reads hits defensively', () => {
    const item = toSearchItem({ slug: 's', title: 'T', snippet: 'x', tags: ['a', 3] });
    expect(item.slug).toBe('s');
    expect(item.tags).toEqual(['a']);
  });
});

describe('upstream field readers', () => {
  it('finds the last editor under the names notes might use', () => {
    expect(editorName({ updatedBy: { id: '1', name: 'Ada' } })).toBe('Ada');
    expect(editorName({ updatedByName: 'Grace' })).toBe('Grace');
    expect(editorName({ author: 'Linus' })).toBe('Linus');
    expect(editorName({})).toBeUndefined();
  });

  it('reads revisions and tags', () => {
    expect(
      toRevision({ number: 3, title: 'T', body: 'b', createdAt: '2026-01-01T00:00:00Z' }),
    ).toMatchObject({
      number: 3,
      title: 'T',
      body: 'b',
    });
    expect(toTag({ tag: 'ops', count: 4 })).toEqual({ name: 'ops', count: 4 });
    expect(toTag({ name: 'dev', count: 1 })).toEqual({ name: 'dev', count: 1 });
  });
});
