import MarkdownItFactory, { type MarkdownIt, type Token } from 'markdown-it';
import { isExternalUrl, isSafeUrl } from './safe-links.js';
import { MEDIA_SIZES, buildSrcset, parseMediaUrl, type MediaDimensions } from './srcset.js';
import { taskListsPlugin } from './task-lists.js';
import { thumbhashDataUrl } from './thumbhash.js';
import {
  normalizeTitle,
  wikiLinksPlugin,
  type WikiLinkMeta,
  type WikiTargets,
} from './wiki-links.js';

/** What the media service knows about an image: its size and a ThumbHash (base64). */
export interface MediaInfo extends MediaDimensions {
  thumbhash?: string | null;
}

/** Data resolved between parsing and rendering (pages that exist, image metadata). */
export interface RenderEnv {
  wikiTargets?: WikiTargets;
  media?: ReadonlyMap<string, MediaInfo | null>;
}

export interface ParsedMarkdown {
  tokens: Token[];
  /** Every `[[target]]` as written, deduplicated by normalized title. */
  wikiTargets: string[];
  /** Ids of images served by our media service. */
  mediaIds: string[];
}

/** "Start here!" → "start-here"; non-Latin letters are kept (valid in ids and fragments). */
export function headingSlug(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-|-$/g, '') // the line above left no two dashes in a row
    .slice(0, 80);
}

const attr = (token: Token, name: string): string => String(token.attrGet(name) ?? '');

function createMarkdownIt(): MarkdownIt {
  // html: false turns raw HTML into text; that is the main XSS guard, links are the other.
  const md = new MarkdownItFactory('default', { html: false, linkify: true, typographer: false });
  md.validateLink = isSafeUrl;
  md.linkify.set({ fuzzyEmail: false });
  md.use(wikiLinksPlugin);
  md.use(taskListsPlugin);
  md.core.ruler.push('heading_ids', (state) => {
    // Prefixed so a heading called "Main" can never clobber the page's own ids (`#main`).
    const used = new Set<string>();
    state.tokens.forEach((token, i) => {
      if (token.type !== 'heading_open') return;
      const text = state.tokens[i + 1]?.children?.map((c) => c.content).join('') ?? '';
      const base = `section-${headingSlug(text) || 'untitled'}`;
      let id = base;
      for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
      used.add(id);
      token.attrSet('id', id);
    });
  });

  md.renderer.rules.link_open = (tokens, idx, options, _env, self) => {
    const token = tokens[idx] as Token;
    const href = attr(token, 'href');
    if (isExternalUrl(href)) {
      token.attrSet('rel', 'nofollow noopener');
      token.attrJoin('class', 'external');
    }
    return self.renderToken(tokens, idx, options);
  };

  md.renderer.rules.image = (tokens, idx, options, rawEnv, self) => {
    const env = rawEnv as RenderEnv;
    const token = tokens[idx] as Token;
    const src = attr(token, 'src');
    const alt = self.renderInlineAsText(token.children ?? [], options, rawEnv);
    const title = attr(token, 'title');
    const esc = md.utils.escapeHtml;
    const titleAttr = title ? ` title="${esc(title)}"` : '';
    const media = parseMediaUrl(src);
    if (!media) {
      return `<img src="${esc(src)}" alt="${esc(alt)}"${titleAttr} loading="lazy" decoding="async" referrerpolicy="no-referrer">`;
    }
    const info = env.media?.get(media.id) ?? undefined;
    const size = info ?? media.hint;
    const { src: fallback, srcset } = buildSrcset(media.id, size?.width);
    const dims = size ? ` width="${size.width}" height="${size.height}"` : '';
    const placeholder = thumbhashDataUrl(info?.thumbhash);
    const style = placeholder ? ` style="background-image:url(${esc(placeholder)})"` : '';
    return (
      `<img class="media" src="${esc(fallback)}" srcset="${esc(srcset)}" sizes="${MEDIA_SIZES}"` +
      `${dims} alt="${esc(alt)}"${titleAttr} loading="lazy" decoding="async"${style}>`
    );
  };
  return md;
}

const md = createMarkdownIt();

function walk(tokens: Token[], visit: (token: Token) => void): void {
  for (const token of tokens) {
    visit(token);
    if (token.children) walk(token.children, visit);
  }
}

/** Parses once and lists what must be looked up (wiki targets, media) before rendering. */
export function parseMarkdown(source: string): ParsedMarkdown {
  const tokens = md.parse(source, {});
  const targets = new Map<string, string>();
  const mediaIds = new Set<string>();
  walk(tokens, (token) => {
    if (token.type === 'wikilink') {
      const { target } = token.meta as unknown as WikiLinkMeta;
      const key = normalizeTitle(target);
      if (!targets.has(key)) targets.set(key, target);
    } else if (token.type === 'image') {
      const media = parseMediaUrl(attr(token, 'src'));
      if (media) mediaIds.add(media.id);
    }
  });
  return { tokens, wikiTargets: [...targets.values()], mediaIds: [...mediaIds] };
}

/** Renders parsed tokens to HTML that is safe to embed (raw HTML escaped, links allow-listed). */
export function renderParsed(parsed: ParsedMarkdown, env: RenderEnv = {}): string {
  return md.renderer.render(parsed.tokens, md.options, env as Record<string, unknown>);
}

/** Parse and render with no lookups: missing wiki targets, images without metadata. */
export function renderMarkdown(source: string, env: RenderEnv = {}): string {
  return renderParsed(parseMarkdown(source), env);
}
