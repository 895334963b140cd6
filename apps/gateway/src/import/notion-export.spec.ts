import { describe, expect, it } from 'vitest';
import {
  findLinks,
  importKeyFor,
  planImport,
  resolveLink,
  rewriteBody,
  stablePagePath,
  stripNotionId,
} from './notion-export.js';

const ID1 = '0123456789abcdef0123456789abcdef';
const ID2 = 'fedcba9876543210fedcba9876543210';
const text = (s: string) => new TextEncoder().encode(s);

describe('stripNotionId', () => {
  it('removes the 32-hex suffix from page files and folders', () => {
    expect(stripNotionId(`Road map ${ID1}.md`)).toBe('Road map.md');
    expect(stripNotionId(`Road map ${ID1}`)).toBe('Road map');
    expect(stripNotionId('v1.2 notes.md')).toBe('v1.2 notes.md');
    expect(stripNotionId('image.png')).toBe('image.png');
    expect(stripNotionId(`Road map \t ${ID1}`)).toBe('Road map');
    expect(stripNotionId(`Road map${ID1}`)).toBe(`Road map${ID1}`);
  });

  it('reads a name with a line break instead of throwing (an uploaded file name can carry one)', () => {
    expect(stripNotionId(`two\nlines ${ID1}.md`)).toBe('two\nlines.md');
  });

  it('reads a 100 KB name of spaces in well under a second (#10)', () => {
    const name = `a${' '.repeat(100_000)}b.md`;
    let stripped = '';
    expect(millis(() => (stripped = stripNotionId(name)))).toBeLessThan(1000);
    expect(stripped).toBe(name);
  });
});

describe('import keys', () => {
  it('are the same across exports of the same page and differ between pages', () => {
    const a = `Export-1b2c3d4e-aaaa-bbbb-cccc-000000000000/Team ${ID1}/Road map ${ID2}.md`;
    const b = `Export-99999999-aaaa-bbbb-cccc-000000000000/Team ${ID2}/Road map ${ID1}.md`;
    expect(stablePagePath(a)).toBe('Team/Road map.md');
    expect(importKeyFor(a)).toBe(importKeyFor(b));
    expect(importKeyFor(a)).not.toBe(importKeyFor('Team/Other.md'));
  });
});

describe('resolveLink', () => {
  it('resolves URL-encoded relative links and refuses URLs and escapes', () => {
    expect(resolveLink(`A ${ID1}.md`, `A%20${ID1}/photo%201.png`)).toBe(`A ${ID1}/photo 1.png`);
    expect(resolveLink('x/y.md', '../z.md#part')).toBe('z.md');
    expect(resolveLink('y.md', '../../etc/passwd')).toBeUndefined();
    expect(resolveLink('y.md', 'https://example.com/a.png')).toBeUndefined();
    expect(resolveLink('y.md', 'javascript:alert(1)')).toBeUndefined();
    expect(resolveLink('y.md', '%E0%A4%A')).toBeUndefined();
  });
});

describe('planImport + rewriteBody', () => {
  const files = [
    {
      path: `Home ${ID1}.md`,
      data: text(
        `# Home\n\nTags: start\n\nSee [the plan](Home%20${ID1}/Plan%20${ID2}.md) and ` +
          `![a cat](Home%20${ID1}/cat.heic) and [web](https://example.com) and [gone](Missing.md).`,
      ),
    },
    {
      path: `Home ${ID1}/Plan ${ID2}.md`,
      data: text('# The Plan\n\nBack [home](../Home%20' + ID1 + '.md)'),
    },
    { path: `Home ${ID1}/cat.heic`, data: new Uint8Array([1, 2, 3]) },
    { path: `Home ${ID1}/unused.png`, data: new Uint8Array([4]) },
  ];

  it('finds pages, their titles and the images they show', () => {
    const plan = planImport(files);
    expect(plan.pages.map((p) => p.title)).toEqual(['Home', 'The Plan']);
    expect(plan.pages[0]!.tags).toEqual(['start']);
    expect([...plan.images.keys()]).toEqual([`Home ${ID1}/cat.heic`]);
  });

  it('turns links between pages into wiki links and images into media URLs', () => {
    const plan = planImport(files);
    const titles = new Map(plan.pages.map((p) => [p.path, p.title]));
    const media = new Map([[`Home ${ID1}/cat.heic`, '/api/v1/media/m1#w=4&h=3']]);
    expect(rewriteBody(plan.pages[0]!, titles, media)).toBe(
      'See [[The Plan]] and ![a cat](/api/v1/media/m1#w=4&h=3) and [web](https://example.com) and [gone](Missing.md).',
    );
    expect(rewriteBody(plan.pages[1]!, titles, media)).toBe('Back [[Home]]');
  });
});

/** Wall-clock milliseconds of `fn`: the hostile inputs below took seconds before issue #10's fix. */
function millis(fn: () => unknown): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

describe('findLinks on hostile input (#10)', () => {
  it.each([
    ['"["', '['],
    ['"!["', '!['],
    ['"[a]("', '[a]('],
    ['"[a](x "', '[a](x "'],
    ['"[](("', '[](('],
  ])('reads 100 KB of %s repeated in well under a second', (_name, unit) => {
    const body = unit.repeat(Math.ceil(100_000 / unit.length));
    expect(millis(() => findLinks(body))).toBeLessThan(1000);
  });

  it('finds a link after an unclosed bracket, and only the link', () => {
    const body = 'see [draft [the plan](Plan.md) and ![x [cat](cat.png)';
    expect(findLinks(body).map((l) => body.slice(l.start, l.end))).toEqual([
      '[the plan](Plan.md)',
      '[cat](cat.png)',
    ]);
    expect(findLinks(body).map((l) => l.image)).toEqual([false, false]);
  });

  it('reads titles, one level of parentheses and images', () => {
    const body = '![alt](a(1).png "A cat") [t]( b.md )';
    expect(findLinks(body)).toEqual([
      { start: 0, end: 24, image: true, text: 'alt', target: 'a(1).png' },
      { start: 25, end: 36, image: false, text: 't', target: 'b.md' },
    ]);
  });
});
