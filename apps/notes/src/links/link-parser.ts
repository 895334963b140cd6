import { isUuid, slugify, WIKI_LINK_LIMITS } from '@lateral/contracts';

/**
 * What a page links to: targets by slug (titles and page URLs) and by id (API URLs), and the
 * media ids it shows (`/api/v1/media/<id>…`), which decide who may read those images.
 */
export interface ParsedLinks {
  slugs: string[];
  ids: string[];
  mediaIds: string[];
}

/** A page that links more than this is a link farm; the rest are not indexed as backlinks. */
export const MAX_LINKS_PER_PAGE = 1000;
const WIKI_LINK = /\[\[([^[\]\n]+)\]\]/g;
// A page URL: relative (`/notes/x`) or absolute on any host (the public URL is the gateway's
// business), after something that can start a link: line start, space, `(`, `<`, quotes.
const PAGE_URL =
  /(?:^|[\s(<"'])(?:https?:\/\/[^\s/()<>"']+)?\/(?:api\/v1\/)?notes\/([\w%.~-]+)(?=$|[\s/?#)>"'\].,;:!])/gm;
const API_URL_PREFIX = /\/api\/v1\/notes\/$/;
/**
 * A media URL anywhere outside code (image, link or HTML, relative or on any host). Media ids are
 * the SHA-256 of the bytes in base64url: exactly 43 characters, checked after the match. The run
 * of id characters is possessive in effect (nothing after it can match an id character).
 */
const MEDIA_URL = /\/api\/v1\/media\/([\w-]+)/g;
const MEDIA_ID_LENGTH = 43;
/**
 * Every distinct media id of a page is kept: a missed id would leave a private page's image
 * readable by others. 1,000,000 characters of body hold at most ~17,000 media URLs (58+
 * characters each), so this cap is never reached by a valid page.
 */
export const MAX_MEDIA_PER_PAGE = 20_000;

const BACKTICK = 0x60;

/** The `` ``` `` or `~~~` (three or more) opening a fenced block on this line, after 0-3 spaces. */
function openingFence(line: string): { indent: string; fence: string } | undefined {
  let indent = 0;
  while (indent < 3 && line[indent] === ' ') indent++;
  const char = line[indent];
  if (char !== '`' && char !== '~') return undefined;
  let end = indent;
  while (line[end] === char) end++;
  if (end - indent < 3) return undefined;
  return { indent: line.slice(0, indent), fence: line.slice(indent, end) };
}

/** The same fence, indented like the opening or not at all, then only whitespace. */
function isClosingFence(line: string, open: { indent: string; fence: string }): boolean {
  for (const prefix of [open.indent + open.fence, open.fence]) {
    if (line.startsWith(prefix) && line.slice(prefix.length).trim() === '') return true;
  }
  return false;
}

/**
 * Fenced blocks, opening line to closing line (or to the end when unclosed), each become one
 * newline. One pass over the lines; the regex this replaces could backtrack over a fence's length.
 */
function withoutFences(markdown: string): string {
  let out = '';
  let copied = 0;
  let lineStart = 0;
  while (lineStart < markdown.length) {
    const newline = markdown.indexOf('\n', lineStart);
    if (newline < 0) break; // a fence on the last line opens nothing
    const open = openingFence(markdown.slice(lineStart, newline));
    if (!open) {
      lineStart = newline + 1;
      continue;
    }
    let end = markdown.length;
    for (let line = newline + 1; line < markdown.length;) {
      const lineEnd = markdown.indexOf('\n', line);
      const stop = lineEnd < 0 ? markdown.length : lineEnd;
      if (isClosingFence(markdown.slice(line, stop), open)) {
        end = stop;
        break;
      }
      line = stop + 1;
    }
    out += `${markdown.slice(copied, lineStart)}\n`;
    copied = end;
    lineStart = end + 1;
  }
  return out + markdown.slice(copied);
}

/**
 * Code spans, each replaced by a space. CommonMark's rule: a run of n backticks closes at the
 * next run of exactly n; a run with no such closer is literal text. Each run's closer is looked
 * up in a table built from the right, so this is linear: the regex it replaces retried every
 * suffix of a backtick run and took seconds on 100 KB of backticks (issue #10).
 */
function withoutCodeSpans(text: string): string {
  const starts: number[] = [];
  const lengths: number[] = [];
  for (let i = text.indexOf('`'); i >= 0; i = text.indexOf('`', i)) {
    const start = i;
    while (text.charCodeAt(i) === BACKTICK) i++;
    starts.push(start);
    lengths.push(i - start);
  }
  const closer = new Array<number>(starts.length);
  const nextRunOfLength = new Map<number, number>();
  for (let run = starts.length - 1; run >= 0; run--) {
    closer[run] = nextRunOfLength.get(lengths[run]!) ?? -1;
    nextRunOfLength.set(lengths[run]!, run);
  }
  let out = '';
  let copied = 0;
  for (let run = 0; run < starts.length;) {
    const close = closer[run]!;
    if (close < 0) {
      run++;
      continue;
    }
    out += `${text.slice(copied, starts[run])} `;
    copied = starts[close]! + lengths[close]!;
    run = close + 1;
  }
  return out + text.slice(copied);
}

/** Fenced blocks and inline code show link syntax as text; the web UI does not link them. */
function withoutCode(markdown: string): string {
  return withoutCodeSpans(withoutFences(markdown));
}

/**
 * The pages a markdown body links to: `[[Title]]` / `[[Title|label]]` (by the title's slug, which
 * is how the web UI resolves them), `/notes/<slug>` page URLs and `/api/v1/notes/<id-or-slug>`.
 */
export function parseLinks(markdown: string): ParsedLinks {
  const text = withoutCode(markdown);
  const slugs = new Set<string>();
  const ids = new Set<string>();

  for (const match of text.matchAll(WIKI_LINK)) {
    const inner = match[1] ?? '';
    if (inner.length > WIKI_LINK_LIMITS.innerLength) continue;
    const bar = inner.indexOf('|');
    const target = (bar >= 0 ? inner.slice(0, bar) : inner).trim();
    if (!target || target.length > WIKI_LINK_LIMITS.targetLength) continue;
    if (bar >= 0 && inner.length - bar - 1 > WIKI_LINK_LIMITS.labelLength) continue;
    const slug = slugify(target);
    if (slug) slugs.add(slug);
  }

  for (const match of text.matchAll(PAGE_URL)) {
    let key: string;
    try {
      key = decodeURIComponent(match[1] ?? '');
    } catch {
      continue;
    }
    const isApi = API_URL_PREFIX.test(match[0].slice(0, match[0].length - (match[1] ?? '').length));
    if (isApi && isUuid(key)) ids.add(key.toLowerCase());
    else if (/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(key)) slugs.add(key);
  }

  return {
    slugs: [...slugs].slice(0, MAX_LINKS_PER_PAGE),
    ids: [...ids].slice(0, MAX_LINKS_PER_PAGE),
    mediaIds: mediaIdsIn(text),
  };
}

/** The distinct media ids a page shows (`/api/v1/media/<id>`, `…?w=`, `…/meta`). */
function mediaIdsIn(text: string): string[] {
  const found = new Set<string>();
  for (const match of text.matchAll(MEDIA_URL)) {
    const id = match[1] ?? '';
    if (id.length === MEDIA_ID_LENGTH) found.add(id);
    if (found.size >= MAX_MEDIA_PER_PAGE) break;
  }
  return [...found];
}
