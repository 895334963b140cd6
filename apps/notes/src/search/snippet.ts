/**
 * Snippets mark hits with these private-use characters (headline.ts; stripped from the text
 * first), so the snippet can be HTML-escaped in full and only then get its `<mark>` tags: the
 * page's own text can never inject markup.
 */
export const MARK_START = '\uE000';
export const MARK_END = '\uE001';

const MARKS = new RegExp(`[${MARK_START}${MARK_END}]`, 'g');

/** Text without the markers: page text never carries them, so a page cannot forge a mark. */
export const stripMarks = (text: string): string => text.replace(MARKS, '');

/**
 * Snippets are element content (never attribute values), so `&`, `<` and `>` are all that must
 * be escaped; leaving quotes alone keeps "don't" readable for clients that escape again.
 */
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>]/g, (c) => ESCAPES[c]!);
}

/** A headline from PostgreSQL as safe HTML: escaped text, balanced `<mark>` as the only markup. */
export function toSnippetHtml(headline: string): string {
  let open = false;
  let out = '';
  for (const part of headline.split(/([\uE000\uE001])/)) {
    if (part === MARK_START) {
      if (!open) out += '<mark>';
      open = true;
    } else if (part === MARK_END) {
      if (open) out += '</mark>';
      open = false;
    } else {
      out += escapeHtml(part);
    }
  }
  return open ? `${out}</mark>` : out;
}

/** Plain start of a body for hits without a headline (fuzzy title matches). */
export function plainExcerpt(body: string, length = 200): string {
  const text = body.replace(/\s+/g, ' ').trim();
  return escapeHtml(text.length > length ? `${text.slice(0, length)}…` : text);
}
