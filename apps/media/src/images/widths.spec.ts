import { describe, expect, it } from 'vitest';
import { effectiveWidth, parseWidthParam } from './widths.js';

describe('parseWidthParam', () => {
  it('accepts only the widths the srcset asks for', () => {
    expect([320, 640, 960, 1280, 1600].map((w) => parseWidthParam(String(w)))).toEqual([
      320, 640, 960, 1280, 1600,
    ]);
    for (const bad of ['100', '1601', '0', '-320', '320.0', '3e2', '', 'abc', '0320x'])
      expect(parseWidthParam(bad)).toBeUndefined();
  });
});

describe('effectiveWidth', () => {
  it('never upscales and collapses every larger width onto the original', () => {
    expect(effectiveWidth(640, 4032)).toBe(640);
    expect(effectiveWidth(1280, 1000)).toBe(1000);
    expect(effectiveWidth(1600, 1000)).toBe(1000);
    expect(effectiveWidth(undefined, 1000)).toBe(1000);
  });
});
