import { describe, expect, it } from 'vitest';
import { parseMarkdown, renderParsed } from './markdown.js';
import { normalizeTitle } from './wiki-links.js';

function render(source: string, pages: Record<string, string>): string {
  const parsed = parseMarkdown(source);
  const wikiTargets = new Map(
    parsed.wikiTargets.map((t) => [normalizeTitle(t), pages[t] ? { slug: pages[t] } : null]),
  );
  return renderParsed(parsed, { wikiTargets });
}

describe('wiki links', () => {
  it('links an existing page by its slug', () => {
    expect(render('See [[Getting Started]].', { 'Getting Started': 'getting-started' })).toBe(
      '<p>See <a class="wikilink" href="/notes/getting-started">Getting Started</a>.</p>\n',
    );
  });

  it('uses the label after the bar', () => {
    expect(
      render('[[Getting Started|the intro]]', { 'Getting Started': 'getting-started' }),
    ).toContain('>the intro</a>');
  });

  it('offers to create a missing page, with a distinct class', () => {
    const out = render('[[Road map 2027]]', {});
    expect(out).toContain('class="wikilink wikilink-missing"');
    expect(out).toContain('href="/new?title=Road%20map%202027"');
  });

  it('lists each target once, matched case- and space-insensitively', () => {
    const parsed = parseMarkdown('[[Alpha]] [[alpha]] [[ Alpha  ]] [[Beta|b]]');
    expect(parsed.wikiTargets).toEqual(['Alpha', 'Beta']);
    expect(normalizeTitle('  Über   Page ')).toBe('über page');
  });

  it('leaves wiki syntax alone inside code', () => {
    expect(parseMarkdown('`[[Alpha]]`\n\n    [[Beta]]').wikiTargets).toEqual([]);
  });

  it('does not treat broken or nested brackets as a wiki link', () => {
    expect(parseMarkdown('[[open only and [[a]b]] and [[]]').wikiTargets).toEqual([]);
  });

  it('escapes the label and encodes the target', () => {
    const out = render('[[a&b|<i>x</i>]]', { 'a&b': 'a-b' });
    expect(out).toBe('<p><a class="wikilink" href="/notes/a-b">&lt;i&gt;x&lt;/i&gt;</a></p>\n');
  });

  it('gives headings prefixed, unique ids for deep links', () => {
    const out = render('# Main\n\n## Start here!\n\n## Start here!', {});
    expect(out).toContain('<h1 id="section-main">Main</h1>');
    expect(out).toContain('<h2 id="section-start-here">');
    expect(out).toContain('<h2 id="section-start-here-2">');
  });

  it('renders task lists as read-only checkboxes', () => {
    const out = render('- [ ] write docs\n- [x] ship\n- [link](/x)', {});
    expect(out).toContain(
      '<li class="task-item"><input type="checkbox" class="task" disabled> write docs</li>',
    );
    expect(out).toContain('<input type="checkbox" class="task" disabled checked> ship');
    expect(out).toContain('<li><a href="/x">link</a></li>');
  });
});
