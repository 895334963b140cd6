import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './markdown.js';

/** Every tag in rendered output with its attributes (markdown-it escapes text, so `<` is always a tag). */
function tagsOf(output: string): { name: string; attrs: Map<string, string> }[] {
  const tags: { name: string; attrs: Map<string, string> }[] = [];
  for (const match of output.matchAll(/<\/?([a-z][\w-]*)([^\w>-][^>]*)?>/gi)) {
    const attrs = new Map<string, string>();
    for (const a of (match[2] ?? '').matchAll(/([^\s="']+)(?:="([^"]*)")?/g)) {
      attrs.set((a[1] ?? '').toLowerCase(), a[2] ?? '');
    }
    tags.push({ name: (match[1] ?? '').toLowerCase(), attrs });
  }
  return tags;
}

const ALLOWED_TAGS = new Set(
  'p a img em strong code pre blockquote ul ol li h1 h2 h3 h4 h5 h6 hr br table thead tbody tr th td s input'.split(
    ' ',
  ),
);

const decodeEntities = (s: string) =>
  s
    .replace(/&#x([0-9a-f]+);?/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);?/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&colon;/gi, ':')
    .replace(/&tab;/gi, '\t')
    .replace(/&newline;/gi, '\n')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');

function assertInert(payload: string): void {
  const output = renderMarkdown(payload);
  for (const tag of tagsOf(output)) {
    expect(ALLOWED_TAGS, `tag <${tag.name}> from ${payload}`).toContain(tag.name);
    for (const [name, value] of tag.attrs) {
      expect(name, `attribute ${name} from ${payload}`).not.toMatch(/^on/);
      expect(['style', 'formaction', 'srcdoc', 'xlink:href']).not.toContain(name);
      if (['href', 'src', 'srcset', 'action', 'poster', 'background'].includes(name)) {
        // What the browser would see once it decodes entities and drops whitespace in the scheme.
        const url = decodeEntities(value)
          // eslint-disable-next-line no-control-regex
          .replace(/[\u0000-\u0020]+/g, '')
          .toLowerCase();
        expect(url, `${name} from ${payload}`).not.toMatch(/^(javascript|vbscript|data|file):/);
      }
    }
  }
  expect(output).not.toMatch(
    /<script|<iframe|<svg|<style|<object|<embed|<form|<math|<base|<meta|<link/i,
  );
}

const CORPUS: string[] = [
  '<script>alert(1)</script>',
  '<SCRIPT SRC=//evil.example/x.js></SCRIPT>',
  '<img src=x onerror=alert(1)>',
  '<img src="x" onerror="alert(1)">',
  '![x](x" onerror="alert(1))',
  '![x" onerror="alert(1)](/a.png)',
  '![x](/a.png "t\\" onerror=\\"alert(1)")',
  '<svg onload=alert(1)>',
  '<svg><script>alert(1)</script></svg>',
  '<iframe src="javascript:alert(1)"></iframe>',
  '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
  '<style>body{background:url(javascript:alert(1))}</style>',
  '<div style="background:url(javascript:alert(1))">x</div>',
  '<a href="javascript:alert(1)">x</a>',
  '[x](javascript:alert(1))',
  '[x](JaVaScRiPt:alert(1))',
  '[x](  javascript:alert(1)  )',
  '[x](&#106;avascript:alert(1))',
  '[x](&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1))',
  '[x](javascript&colon;alert(1))',
  '[x](java&#09;script:alert(1))',
  '[x](java\tscript:alert(1))',
  '[x](<javascript:alert(1)>)',
  '[x](vbscript:msgbox(1))',
  '[x](VBScript:msgbox(1))',
  '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)',
  '![x](data:image/png;base64,iVBORw0KGgo=)',
  '[x](file:///etc/passwd)',
  '<javascript:alert(1)>',
  '<JAVASCRIPT:alert(1)>',
  '<data:text/html,<script>alert(1)</script>>',
  '[x][ref]\n\n[ref]: javascript:alert(1)',
  '[x][ref]\n\n[ref]: &#106;avascript:alert(1) "title"',
  '![x][img]\n\n[img]: javascript:alert(1)',
  '[[<script>alert(1)</script>]]',
  '[[x" onmouseover="alert(1)|label]]',
  '[[Page|<img src=x onerror=alert(1)>]]',
  '`<script>alert(1)</script>`',
  '```html\n<script>alert(1)</script>\n```',
  '<a href="x" onclick="alert(1)">x</a>',
  '<details open ontoggle=alert(1)>',
  '<object data="javascript:alert(1)"></object>',
  '<embed src="javascript:alert(1)">',
  '<math><maction actiontype="statusline" xlink:href="javascript:alert(1)">x</maction></math>',
  '<form action="javascript:alert(1)"><button>x</button></form>',
  '<base href="javascript:alert(1)//">',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<link rel="stylesheet" href="javascript:alert(1)">',
  '[x](javascript://%0aalert(1))',
  'www.example.com/"onmouseover="alert(1)',
  'https://example.com/<script>alert(1)</script>',
  '<!-- <script>alert(1)</script> -->',
  '[x](\\javascript:alert(1))',
  '![x](x)\n<img src=1 onerror=alert(1)>',
  '- [x] <img src=x onerror=alert(1)> [y](javascript:alert(1))',
  '# <script>alert(1)</script>\n\n## " onmouseover="alert(1)',
];

describe('markdown XSS corpus', () => {
  it('has a substantial corpus', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(30);
  });

  it.each(CORPUS)('renders %j inert', (payload) => {
    assertInert(payload);
  });

  it('shows raw HTML as text instead of dropping it', () => {
    expect(renderMarkdown('<b>hi</b>')).toBe('<p>&lt;b&gt;hi&lt;/b&gt;</p>\n');
  });

  it('drops a javascript: link but keeps its text', () => {
    const out = renderMarkdown('[click me](javascript:alert(1))');
    expect(out).toContain('click me');
    expect(out).not.toContain('href="javascript');
  });
});
