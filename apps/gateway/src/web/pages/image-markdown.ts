/**
 * The markdown inserted for an uploaded image. The URL fragment carries the image's size
 * (`#w=4032&h=3024`): browsers never send fragments, media ignores them, and the renderer uses
 * them for width/height when it cannot ask media (see docs/ui.md, "Images").
 */
export function imageMarkdown(
  id: string,
  filename: string | undefined,
  width?: number,
  height?: number,
): string {
  const alt = altFromFilename(filename);
  const size = Number.isInteger(width) && Number.isInteger(height) ? `#w=${width}&h=${height}` : '';
  return `![${alt}](/api/v1/media/${encodeURIComponent(id)}${size})`;
}

/** "IMG_2041.HEIC" → "IMG 2041"; brackets and newlines cannot break out of the alt text. */
export function altFromFilename(filename: string | undefined): string {
  const base = (filename ?? '').replace(/\.[a-z0-9]{1,5}$/i, '');
  const cleaned = base
    .replace(/[[\]\\\r\n<>]/g, ' ')
    .replace(/[_-]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return cleaned.slice(0, 100) || 'image';
}
