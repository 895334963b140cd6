import MarkdownItFactory, { type MarkdownIt, type Token } from 'markdown-it';
import { isExternalUrl, isSafeUrl } from './safe-links.js';
import { MEDIA_SIZES, buildSrcset, parseMediaUrl, type MediaDimensions } from './srcset.js';
import { taskListsPlugin } from './task-lists.js';
import { thumbhashDataUrl } from './thumbhash.js';
import {
  normalizeTitle,
  SLOT_MARK,
  wikiLinkHtml,
  wikiLinksPlugin,
  type WikiLinkMeta,
  type WikiLinkSlot,
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
    const env = rawEnv as RenderEnv & TemplateEnv;
    const token = tokens[idx] as Token;
    const image: ImageSlot = {
      kind: 'image',
      src: attr(token, 'src'),
      alt: self.renderInlineAsText(token.children ?? [], options, rawEnv),
      title: attr(token, 'title'),
    };
    // Our media's images depend on the viewer (sizes only for images they may read): a slot.
    if (env.slots && parseMediaUrl(image.src)) return slot(env.slots, image);
    return imageHtml(image, env.media);
  };
  return md;
}

const esc = (text: string): string => md.utils.escapeHtml(text);

/** An image as written (src, alt text, title), rendered once the viewer's media info is known. */
export interface ImageSlot {
  kind: 'image';
  src: string;
  alt: string;
  title: string;
}

function imageHtml(image: ImageSlot, mediaInfo: RenderEnv['media']): string {
  const titleAttr = image.title ? ` title="${esc(image.title)}"` : '';
  const media = parseMediaUrl(image.src);
  if (!media) {
    return `<img src="${esc(image.src)}" alt="${esc(image.alt)}"${titleAttr} loading="lazy" decoding="async" referrerpolicy="no-referrer">`;
  }
  const info = mediaInfo?.get(media.id) ?? undefined;
  const size = info ?? media.hint;
  const { src: fallback, srcset } = buildSrcset(media.id, size?.width);
  const dims = size ? ` width="${size.width}" height="${size.height}"` : '';
  const placeholder = thumbhashDataUrl(info?.thumbhash);
  const style = placeholder ? ` style="background-image:url(${esc(placeholder)})"` : '';
  return (
    `<img class="media" src="${esc(fallback)}" srcset="${esc(srcset)}" sizes="${MEDIA_SIZES}"` +
    `${dims} alt="${esc(image.alt)}"${titleAttr} loading="lazy" decoding="async"${style}>`
  );
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

/** What a rendered page needs from the viewer's lookups: a wiki link or one of our images. */
export type Slot = WikiLinkSlot | ImageSlot;

/**
 * A page rendered up to what depends on who reads it: the HTML between the slots, and the slots
 * (wiki links, whose target may exist for one reader and not another; our images, sized only
 * for readers who may see them). It depends on the markdown alone, so it can be kept per page
 * version and shared (see RenderCache); {@link fillTemplate} finishes it for one viewer.
 * `parts` has one more entry than `slots`.
 */
export interface RenderTemplate {
  parts: string[];
  slots: Slot[];
  wikiTargets: string[];
  mediaIds: string[];
}

/** Env flag for the rules: collect slots instead of resolving. */
interface TemplateEnv {
  slots?: Slot[];
}

function slot(slots: Slot[], value: Slot): string {
  slots.push(value);
  return SLOT_MARK;
}

export function renderTemplate(parsed: ParsedMarkdown): RenderTemplate {
  const env: TemplateEnv = { slots: [] };
  const html = md.renderer.render(parsed.tokens, md.options, env as Record<string, unknown>);
  return {
    parts: html.split(SLOT_MARK),
    slots: env.slots ?? [],
    wikiTargets: parsed.wikiTargets,
    mediaIds: parsed.mediaIds,
  };
}

/** The page's HTML for one viewer: the same as renderParsed with that viewer's env. */
export function fillTemplate(template: RenderTemplate, env: RenderEnv): string {
  let html = template.parts[0] ?? '';
  template.slots.forEach((value, i) => {
    html +=
      value.kind === 'image'
        ? imageHtml(value, env.media)
        : wikiLinkHtml(value, env.wikiTargets, esc);
    html += template.parts[i + 1] ?? '';
  });
  return html;
}

/** Parse and render with no lookups: missing wiki targets, images without metadata. */
export function renderMarkdown(source: string, env: RenderEnv = {}): string {
  return renderParsed(parseMarkdown(source), env);
}
