import { describe, expect, it } from 'vitest';
import { MARK_END, MARK_START, plainExcerpt, toSnippetHtml } from './snippet.js';

describe('toSnippetHtml', () => {
  it('turns the headline markers into <mark> and escapes everything else', () => {
    const headline = `<script>alert(1)</script> use ${MARK_START}kubectl${MARK_END} & "quotes"`;
    expect(toSnippetHtml(headline)).toBe(
      '&lt;script&gt;alert(1)&lt;/script&gt; use <mark>kubectl</mark> &amp; "quotes"',
    );
  });

  it('never lets the page text close or open a mark', () => {
    expect(toSnippetHtml('</mark><mark onclick=x>')).toBe('&lt;/mark&gt;&lt;mark onclick=x&gt;');
  });

  it('balances unpaired markers', () => {
    expect(toSnippetHtml(`${MARK_START}cut off`)).toBe('<mark>cut off</mark>');
    expect(toSnippetHtml(`stray${MARK_END} end`)).toBe('stray end');
  });
});

describe('plainExcerpt', () => {
  it('escapes and shortens', () => {
    expect(plainExcerpt('<b>bold</b>\n\nmore', 10)).toBe('&lt;b&gt;bold&lt;/b…');
  });
});
