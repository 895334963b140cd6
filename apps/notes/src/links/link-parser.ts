import { slugify } from '../notes/slug.js';

/** What a page links to: targets by slug (titles and page URLs) and by id (API URLs). */
export interface ParsedLinks {
  slugs: string[];
  ids: string[];
}

/** A page that links more than this is a link farm; the rest are not indexed as backlinks. */
export const MAX_LINKS_PER_PAGE = 1000;
/** Same bound as the gateway's wiki-link rule, so both sides agree on what is a link. */
const MAX_TARGET_LENGTH = 200;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const WIKI_LINK = /\[\[([^[\]\n]+?)\]\]/g;
// A page URL: relative (`/notes/x`) or absolute on any host (the public URL is the gateway's
// business), after something that can start a link: line start, space, `(`, `<`, quotes.
const PAGE_URL =
  /(?:^|[\s(<"'])(?:https?:\/\/[^\s/()<>"']+)?\/(?:api\/v1\/)?notes\/([A-Za-z0-9%._~-]+)(?=$|[\s/?#)>"'\].,;:!])/gm;
const API_URL_PREFIX = /\/api\/v1\/notes\/$/;

/** Fenced blocks and inline code show link syntax as text; the web UI does not link them. */
function withoutCode(markdown: string): string {
  return markdown
    .replace(/^( {0,3})(`{3,}|~{3,})[^\n]*\n[\s\S]*?(?:^\1?\2[^\S\n]*$|(?![\s\S]))/gm, '\n')
    .replace(/(`+)(?!`)[\s\S]*?[^`]\1(?!`)/g, ' ');
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
    const bar = inner.indexOf('|');
    const target = (bar >= 0 ? inner.slice(0, bar) : inner).trim();
    if (!target || target.length > MAX_TARGET_LENGTH) continue;
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
    if (isApi && UUID.test(key)) ids.add(key.toLowerCase());
    else if (/^[a-z0-9]+(-[a-z0-9]+)*$/.test(key)) slugs.add(key);
  }

  return {
    slugs: [...slugs].slice(0, MAX_LINKS_PER_PAGE),
    ids: [...ids].slice(0, MAX_LINKS_PER_PAGE),
  };
}
