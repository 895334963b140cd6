import { describe, expect, it } from 'vitest';
import { rgbaToThumbHash } from 'thumbhash';
import { parseMarkdown, renderParsed } from './markdown.js';
import { buildSrcset, parseMediaUrl } from './srcset.js';
import { thumbhashDataUrl } from './thumbhash.js';

describe('media images', () => {
  it('recognises media URLs and reads size hints from the fragment', () => {
    expect(parseMediaUrl('/api/v1/media/abc_1-2#w=4032&h=3024')).toEqual({
      id: 'abc_1-2',
      hint: { width: 4032, height: 3024 },
    });
    expect(parseMediaUrl('/api/v1/media/abc?w=320')).toEqual({ id: 'abc' });
    expect(parseMediaUrl('/api/v1/media/abc#w=-1&h=x')).toEqual({ id: 'abc' });
    expect(parseMediaUrl('https://elsewhere.example/api/v1/media/abc')).toBeUndefined();
    expect(parseMediaUrl('/api/v1/media/../../etc')).toBeUndefined();
  });

  it('offers every variant width for a large original', () => {
    expect(buildSrcset('p', 4032)).toEqual({
      src: '/api/v1/media/p?w=960',
      srcset:
        '/api/v1/media/p?w=320 320w, /api/v1/media/p?w=640 640w, /api/v1/media/p?w=960 960w, ' +
        '/api/v1/media/p?w=1280 1280w, /api/v1/media/p?w=1600 1600w',
    });
  });

  it('never claims more pixels than the original has', () => {
    expect(buildSrcset('p', 800).srcset).toBe(
      '/api/v1/media/p?w=320 320w, /api/v1/media/p?w=640 640w, /api/v1/media/p?w=960 800w',
    );
    expect(buildSrcset('p', 200)).toEqual({
      src: '/api/v1/media/p?w=320',
      srcset: '/api/v1/media/p?w=320 200w',
    });
  });

  it('renders width, height, lazy loading and the ThumbHash placeholder from metadata', () => {
    const rgba = new Uint8Array(4 * 4 * 4).fill(200);
    const hash = Buffer.from(rgbaToThumbHash(4, 4, rgba)).toString('base64');
    const parsed = parseMarkdown('![A cat](/api/v1/media/cat1)');
    expect(parsed.mediaIds).toEqual(['cat1']);
    const out = renderParsed(parsed, {
      media: new Map([['cat1', { width: 3024, height: 4032, thumbhash: hash }]]),
    });
    expect(out).toMatch(
      /<img class="media" src="\/api\/v1\/media\/cat1\?w=960" srcset="[^"]+1600w"/,
    );
    expect(out).toContain('width="3024" height="4032" alt="A cat" loading="lazy" decoding="async"');
    expect(out).toMatch(/style="background-image:url\(data:image\/png;base64,[A-Za-z0-9+/=]+\)"/);
  });

  it('falls back to the URL hint when metadata is unavailable', () => {
    const out = renderParsed(parseMarkdown('![x](/api/v1/media/m#w=640&h=480)'));
    expect(out).toContain('width="640" height="480"');
    expect(out).not.toContain('style=');
  });

  it('renders other images plainly, without referrer, lazily', () => {
    expect(renderParsed(parseMarkdown('![x](https://img.example/a.png)'))).toBe(
      '<p><img src="https://img.example/a.png" alt="x" loading="lazy" decoding="async" referrerpolicy="no-referrer"></p>\n',
    );
  });

  it('ignores malformed ThumbHashes', () => {
    expect(thumbhashDataUrl('not base64 "quotes"')).toBeUndefined();
    expect(thumbhashDataUrl('')).toBeUndefined();
    expect(thumbhashDataUrl('AAA')).toBeUndefined();
  });
});
