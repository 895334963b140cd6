import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { slugForTitle } from '../notes/slug.js';
import { parseLinks } from './link-parser.js';

const uuid = '3f2b8c1e-9a4d-4e8f-b0c1-2d3e4f5a6b7c';

describe('parseLinks', () => {
  it('finds wiki links by the slug of their title, with or without a label', () => {
    const links = parseLinks(
      'See [[Deploy Guide]] and [[Café Menu|the menu]], twice: [[deploy guide]].',
    );
    expect(links.slugs.sort()).toEqual(['cafe-menu', 'deploy-guide']);
    expect(links.ids).toEqual([]);
  });

  it('finds page URLs, relative and absolute, in markdown links and bare', () => {
    const body = [
      'Read [the runbook](/notes/on-call-runbook#paging).',
      'Or https://wiki.example.com/notes/incident-review?tab=1 and <http://localhost:8080/notes/faq>',
      '/notes/start-of-line is a link too',
    ].join('\n');
    expect(parseLinks(body).slugs.sort()).toEqual([
      'faq',
      'incident-review',
      'on-call-runbook',
      'start-of-line',
    ]);
  });

  it('finds API URLs by id or by slug', () => {
    const links = parseLinks(`[a](/api/v1/notes/${uuid}) and [b](/api/v1/notes/team-handbook)`);
    expect(links.ids).toEqual([uuid]);
    expect(links.slugs).toEqual(['team-handbook']);
  });

  it('ignores links shown as code', () => {
    const body = [
      'Use `[[Not A Link]]` like this:',
      '```md',
      '[[Also Not]] /notes/nope',
      '```',
      '[[Real]]',
    ].join('\n');
    expect(parseLinks(body)).toEqual({ slugs: ['real'], ids: [], mediaIds: [] });
  });

  it('ignores look-alikes: other paths, empty or broken wiki links', () => {
    const body = 'mynotes/x, /notesy/y, [[ ]], [[a\nb]], [[ok';
    expect(parseLinks(body)).toEqual({ slugs: [], ids: [], mediaIds: [] });
  });

  it('skips titles that slug to nothing and over-long targets', () => {
    expect(parseLinks(`[[!!!]] [[${'x'.repeat(201)}]]`).slugs).toEqual([]);
  });

  it('bounds the label like the gateway does', () => {
    expect(parseLinks(`[[Alpha|${'x'.repeat(1000)}]]`).slugs).toEqual(['alpha']);
    expect(parseLinks(`[[Alpha|${'x'.repeat(1001)}]]`).slugs).toEqual([]);
  });

  // Issue #13: the slug cut lands right after a separator. The link must point at the slug the
  // page is stored under, which is also the one the gateway asks for when it renders the link.
  it('links a long title to the slug its page gets, with no trailing dash', () => {
    const title = `${'a'.repeat(119)} bcd`;
    const pageSlug = slugForTitle(title, uuid);
    expect(pageSlug).toBe('a'.repeat(119));
    expect(parseLinks(`[[${title}]]`).slugs).toEqual([pageSlug]);
  });
});

describe('parseLinks and code', () => {
  it('closes a code span only at a backtick run of the same length', () => {
    expect(parseLinks('``a ` [[Hidden]] `` [[Shown]]').slugs).toEqual(['shown']);
    expect(parseLinks('`a`` [[Hidden]] `` [[Shown]]').slugs).toEqual(['shown']);
  });

  it('reads an unmatched backtick run as text', () => {
    expect(parseLinks('``a` [[Alpha]]').slugs).toEqual(['alpha']);
    expect(parseLinks('` [[Alpha]] `` [[Beta]]').slugs.sort()).toEqual(['alpha', 'beta']);
    // CommonMark: the run of two is text, so the single backtick after it opens a span.
    expect(parseLinks('``a` [[Hidden]] `').slugs).toEqual([]);
  });

  it('ends a fence at the same fence, indented like the opening or not at all', () => {
    const body = [
      '  ~~~',
      '[[In A]]',
      '````',
      '[[In B]]',
      '~~~  ',
      '[[After]]',
      '```js',
      '[[Unclosed]]',
    ].join('\n');
    expect(parseLinks(body).slugs).toEqual(['after']);
  });

  it('does not treat an opening fence on the last line as a block', () => {
    expect(parseLinks('[[A]]\n```[[B]]').slugs).toEqual(['a', 'b']);
  });
});

/** Wall-clock milliseconds of `fn`: the hostile inputs below took seconds before issue #10's fix. */
function millis(fn: () => unknown): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

describe('parseLinks on hostile input (#10)', () => {
  it.each([
    ['"`"', '`'],
    ['"`a"', '`a'],
    ['"``a`"', '``a`'],
    ['"```\\n"', '```\n'],
    ['"```a\\n ```a\\n"', '```a\n ```a\n'],
    ['"[["', '[['],
    ['"[[a"', '[[a'],
    ['" /notes/a."', ' /notes/a.'],
    ['"(http://a"', '(http://a'],
  ])('reads 100 KB of %s repeated in well under a second', (_name, unit) => {
    const body = unit.repeat(Math.ceil(100_000 / unit.length));
    expect(millis(() => parseLinks(body))).toBeLessThan(1000);
  });

  it('reads runs of backticks of every length in time linear in the body', () => {
    // 1, 2, 3, ... backticks separated by a letter: no run has a closer.
    const body = (bytes: number) => {
      let text = '';
      for (let n = 1; text.length < bytes; n++) text += `${'`'.repeat(n)}a`;
      return text;
    };
    const time = (bytes: number) => millis(() => parseLinks(body(bytes)));
    time(25_000); // warm up
    const small = Math.min(time(50_000), time(50_000));
    const large = Math.min(time(100_000), time(100_000));
    expect(large).toBeLessThan(3 * small + 50);
  });

  it('finishes fast and never throws on random markdown punctuation', () => {
    const markdown = fc.string({
      unit: fc.constantFrom('[', ']', '`', '~', '(', ')', '|', ' ', '\n', 'a', 'b', '/notes/'),
      maxLength: 2000,
    });
    fc.assert(
      fc.property(markdown, (body) => {
        const ms = millis(() => parseLinks(body));
        expect(ms).toBeLessThan(100);
      }),
      { numRuns: 300 },
    );
  });
});

describe('parseLinks: media ids', () => {
  const id = (c: string) => c.repeat(43);

  it('finds 43-character media ids in images, links and HTML, once each, not in code', () => {
    const body = [
      `![a](/api/v1/media/${id('a')}?w=640) ![again](/api/v1/media/${id('a')})`,
      `[b](https://wiki.example/api/v1/media/${id('b')}/meta)`,
      `<img src="/api/v1/media/${id('c')}">`,
      `\`/api/v1/media/${id('d')}\``,
      '```',
      `![e](/api/v1/media/${id('e')})`,
      '```',
      `/api/v1/media/short /api/v1/media/${id('f')}f`,
    ].join('\n');
    expect(parseLinks(body).mediaIds).toEqual([id('a'), id('b'), id('c')]);
  });

  it('stays linear on a page of media URL prefixes', () => {
    const started = performance.now();
    parseLinks('/api/v1/media/'.repeat(50_000) + 'a'.repeat(100_000));
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
