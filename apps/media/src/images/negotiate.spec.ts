import { describe, expect, it } from 'vitest';
import { clientAccepts, negotiateFormat, parseFormatParam } from './negotiate.js';

const still = { hasAlpha: false, animated: false };
const alpha = { hasAlpha: true, animated: false };
const animated = { hasAlpha: false, animated: true };

const CHROME = 'image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8';
const OLD_SAFARI = 'image/webp,image/png,image/svg+xml,image/*;q=0.8,video/*;q=0.8,*/*;q=0.5';
const FIREFOX_NO_AVIF = 'image/webp,*/*';

describe('negotiateFormat', () => {
  it('prefers AVIF, then WebP, when the browser names them', () => {
    expect(negotiateFormat(CHROME, still)).toBe('avif');
    expect(negotiateFormat(OLD_SAFARI, still)).toBe('webp');
    expect(negotiateFormat(FIREFOX_NO_AVIF, alpha)).toBe('webp');
  });

  it('falls back to JPEG, or PNG for transparency, when only wildcards are sent', () => {
    expect(negotiateFormat('*/*', still)).toBe('jpeg');
    expect(negotiateFormat('image/*', alpha)).toBe('png');
    expect(negotiateFormat(undefined, still)).toBe('jpeg');
  });

  it('honours q=0 as a refusal', () => {
    expect(negotiateFormat('image/avif;q=0, image/webp', still)).toBe('webp');
    expect(negotiateFormat('image/avif;q=0,image/webp;q=0.0', alpha)).toBe('png');
  });

  it('keeps animations animated: WebP or GIF, never a still AVIF', () => {
    expect(negotiateFormat(CHROME, animated)).toBe('webp');
    expect(negotiateFormat('image/avif,*/*', animated)).toBe('gif');
  });
});

describe('parseFormatParam', () => {
  it('maps names and the jpg alias, refuses the rest', () => {
    expect(parseFormatParam('WEBP')).toBe('webp');
    expect(parseFormatParam('jpg')).toBe('jpeg');
    expect(parseFormatParam('svg')).toBeUndefined();
    expect(parseFormatParam('heic')).toBeUndefined();
  });
});

describe('clientAccepts', () => {
  it('assumes every client shows JPEG/PNG/GIF but WebP/AVIF only when named', () => {
    expect(clientAccepts(undefined, 'image/jpeg')).toBe(true);
    expect(clientAccepts('*/*', 'image/webp')).toBe(false);
    expect(clientAccepts(CHROME, 'image/avif')).toBe(true);
  });
});
