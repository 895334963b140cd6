import { describe, expect, it } from 'vitest';
import { attrs, escapeHtml, html, join, raw } from './html.js';

describe('html templates', () => {
  it('escapes every interpolation by default', () => {
    const name = `<script>alert("x")</script>&'`;
    expect(html`<p>${name}</p>`.toString()).toBe(
      '<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;</p>',
    );
  });

  it('keeps attribute values inside their quotes', () => {
    const evil = `" onmouseover="alert(1)`;
    const out = html`<a title="${evil}">x</a>`.toString();
    expect(out).toBe('<a title="&quot; onmouseover=&quot;alert(1)">x</a>');
    expect(out).not.toContain('" onmouseover');
  });

  it('nests templates without double escaping', () => {
    const inner = html`<b>${'a&b'}</b>`;
    expect(html`<p>${inner}</p>`.toString()).toBe('<p><b>a&amp;b</b></p>');
  });

  it('renders lists, numbers and leaves out null, undefined and booleans', () => {
    const items = ['<a>', 'b'].map((x) => html`<li>${x}</li>`);
    // prettier-ignore
    const out = html`<ul>${items}</ul>${0}${null}${undefined}${false}`;
    expect(out.toString()).toBe('<ul><li>&lt;a&gt;</li><li>b</li></ul>0');
  });

  it('passes raw() through untouched, for trusted markup only', () => {
    expect(html`<div>${raw('<em>ok</em>')}</div>`.toString()).toBe('<div><em>ok</em></div>');
  });

  it('joins with an escaped separator', () => {
    expect(join([html`<i>a</i>`, 'b<'], ', ').toString()).toBe('<i>a</i>, b&lt;');
  });

  it('builds attribute lists and refuses bad attribute names', () => {
    expect(attrs({ disabled: true, hidden: false, value: 'a"b', n: 3 }).toString()).toBe(
      ' disabled value="a&quot;b" n="3"',
    );
    expect(() => attrs({ 'onclick="x"': 'y' })).toThrow(/bad attribute name/);
  });

  it('escapes backticks for old IE-style attribute parsing', () => {
    expect(escapeHtml('`')).toBe('&#96;');
  });
});
