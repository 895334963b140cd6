import { describe, expect, it } from 'vitest';
import { WIKI_LINK_LIMITS } from '@lateral/contracts';
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

/** Wall-clock milliseconds of `fn`: the hostile inputs below took seconds before issue #10's fix. */
function millis(fn: () => unknown): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

describe('wiki links on hostile input (#10)', () => {
  it.each([
    ['"[[]" repeated', '[[]'],
    ['"[[a" repeated', '[[a'],
    ['"[[a|" repeated', '[[a|'],
  ])('renders 100 KB of %s in under two seconds', (_name, unit) => {
    const source = unit.repeat(Math.ceil(100_000 / unit.length));
    // markdown-it alone needs a few hundred ms for this many brackets on a busy machine; the
    // unbounded `]]` search took 18 s.
    expect(millis(() => render(source, {}))).toBeLessThan(2000);
  });

  it('renders a body of "[[]" in time linear in its length', () => {
    const time = (bytes: number) => millis(() => render('[[]'.repeat(bytes / 3), {}));
    time(30_000); // warm up
    const small = Math.min(time(60_000), time(60_000));
    const large = Math.min(time(120_000), time(120_000));
    // The constant absorbs noise on a shared machine; the quadratic scan took 5 s and 19 s here.
    expect(large).toBeLessThan(3 * small + 200);
  });

  it('still finds the links between long runs of unclosed brackets', () => {
    const noise = '[[x'.repeat(20_000);
    expect(parseMarkdown(`${noise} [[Alpha]] ${noise} [[Beta|b]]`).wikiTargets).toEqual([
      'Alpha',
      'Beta',
    ]);
  });

  it('bounds the label: a longer one leaves the text as written', () => {
    const ok = `[[Alpha|${'x'.repeat(WIKI_LINK_LIMITS.labelLength)}]]`;
    expect(parseMarkdown(ok).wikiTargets).toEqual(['Alpha']);
    const tooLong = `[[Alpha|${'x'.repeat(WIKI_LINK_LIMITS.labelLength + 1)}]]`;
    expect(parseMarkdown(tooLong).wikiTargets).toEqual([]);
  });
});
