import { describe, expect, it } from 'vitest';
import { parseMarkdown, renderParsed } from '../markdown/markdown.js';
import { altFromFilename, imageMarkdown } from './image-markdown.js';

describe('inserted image markdown', () => {
  it('carries the size in the fragment and renders with width and height', () => {
    const md = imageMarkdown('abc123', 'IMG_2041.HEIC', 4032, 3024);
    expect(md).toBe('![IMG 2041](/api/v1/media/abc123#w=4032&h=3024)');
    expect(renderParsed(parseMarkdown(md))).toContain('width="4032" height="3024" alt="IMG 2041"');
  });

  it('cannot be broken out of by a hostile file name', () => {
    expect(altFromFilename('a](javascript:alert(1))\n<b>.png')).toBe('a (javascript:alert(1)) b');
    expect(altFromFilename(undefined)).toBe('image');
    expect(imageMarkdown('x', 'p.png')).toBe('![p](/api/v1/media/x)');
  });
});
