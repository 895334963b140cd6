import { posix } from 'node:path';
import { sha256Hex } from '../auth/secrets.js';
import { parseMarkdownPage, type ParsedPage } from './markdown-page.js';

export interface ExportFile {
  path: string;
  data: Uint8Array;
}

export interface PlannedPage extends ParsedPage {
  /** Path inside the export. */
  path: string;
  /** Stable across re-imports of the same export: notes returns the page it made last time. */
  importKey: string;
  /** Archive paths of the images this page shows, in order of appearance. */
  images: string[];
}

export interface ImportPlan {
  pages: PlannedPage[];
  /** Images referenced by at least one page, by archive path. */
  images: Map<string, ExportFile>;
}

const IMAGE_TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  heic: 'image/heic',
  heif: 'image/heif',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  svg: 'image/svg+xml',
};

const extension = (path: string) => posix.extname(path).slice(1).toLowerCase();

export const isMarkdownPath = (path: string) => ['md', 'markdown'].includes(extension(path));
export const isImagePath = (path: string) => extension(path) in IMAGE_TYPES;
export const imageContentType = (path: string) =>
  IMAGE_TYPES[extension(path)] ?? 'application/octet-stream';

/** Notion appends a 32-hex id to every page file and folder name: `Roadmap 0f3c…9a.md`. */
const NOTION_ID = /^[0-9a-f]{32}$/i;

/**
 * `name` without a trailing whitespace-and-id. Checked at the end rather than searched for: the
 * unanchored `/\s+[0-9a-f]{32}$/` rescanned a run of spaces from each space (a 40 KB zip entry
 * name took 7 s; issue #10).
 */
function withoutNotionId(name: string): string {
  const id = name.length - 32;
  if (id < 1 || !/\s/.test(name[id - 1]!) || !NOTION_ID.test(name.slice(id))) return name;
  return name.slice(0, id).trimEnd();
}

export function stripNotionId(name: string): string {
  // `s`: a name is not a line; without it a newline made exec() return null.
  const match = /^(.*?)(\.[A-Z0-9]{1,10})?$/is.exec(name)!;
  return withoutNotionId(match[1]!) + (match[2] ?? '');
}

/**
 * The path a page is known by across exports: Notion ids stripped from every segment, and the
 * `Export-<uuid>` folder that wraps each export dropped (it differs between exports).
 */
export function stablePagePath(path: string): string {
  const segments = path.split('/').map(stripNotionId);
  if (segments.length > 1 && /^Export-[0-9a-f-]+$/i.test(segments[0]!)) segments.shift();
  return segments.join('/');
}

export function importKeyFor(path: string): string {
  return sha256Hex(`lateral-import:v1:${stablePagePath(path)}`);
}

interface MarkdownLink {
  start: number;
  end: number;
  image: boolean;
  text: string;
  target: string;
}

/**
 * `[text](target)` and `![alt](target)`, allowing one level of parentheses in the target. The
 * text holds no `[`: a text that could run over other brackets to the line's end made every `[`
 * rescan it, and 80 KB of `[` took 21 s (issue #10). A link after an unclosed `[` is still found.
 */
const LINK = /(!?)\[([^[\]\n]*)\]\(\s*((?:[^()\s]|\([^()\s]*\))+)(?:\s+"[^"\n]*")?\s*\)/g;

export function findLinks(body: string): MarkdownLink[] {
  const links: MarkdownLink[] = [];
  for (const match of body.matchAll(LINK)) {
    links.push({
      start: match.index,
      end: match.index + match[0].length,
      image: match[1] === '!',
      text: match[2]!,
      target: match[3]!,
    });
  }
  return links;
}

/** The archive path a relative link points to, or undefined for URLs and escapes from the root. */
export function resolveLink(fromPath: string, target: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('/') || target.startsWith('#')) {
    return undefined;
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(target.split('#')[0]!.split('?')[0]!);
  } catch {
    return undefined;
  }
  const joined = posix.normalize(posix.join(posix.dirname(fromPath), decoded));
  return joined.startsWith('..') || joined.startsWith('/') ? undefined : joined;
}

/** Reads every markdown page of an export and the images they show. */
export function planImport(files: ExportFile[]): ImportPlan {
  const byPath = new Map(files.map((f) => [f.path, f]));
  const decoder = new TextDecoder('utf-8');
  const pages: PlannedPage[] = [];
  const images = new Map<string, ExportFile>();
  for (const file of files) {
    if (!isMarkdownPath(file.path)) continue;
    const fallback = stripNotionId(posix.basename(file.path)).replace(/\.(?:md|markdown)$/i, '');
    const parsed = parseMarkdownPage(decoder.decode(file.data), fallback);
    const pageImages: string[] = [];
    for (const link of findLinks(parsed.body)) {
      const target = resolveLink(file.path, link.target);
      const image = target !== undefined ? byPath.get(target) : undefined;
      if (link.image && image && isImagePath(image.path)) {
        pageImages.push(image.path);
        images.set(image.path, image);
      }
    }
    pages.push({
      ...parsed,
      path: file.path,
      importKey: importKeyFor(file.path),
      images: pageImages,
    });
  }
  pages.sort((a, b) => a.path.localeCompare(b.path));
  return { pages, images };
}

/**
 * The body to store: links to other pages of the export become `[[Title]]` wiki links, images
 * point at their uploaded media URL. Links that resolve to nothing are left as written.
 */
export function rewriteBody(
  page: PlannedPage,
  titlesByPath: Map<string, string>,
  mediaUrlsByPath: Map<string, string>,
): string {
  let out = '';
  let last = 0;
  for (const link of findLinks(page.body)) {
    const target = resolveLink(page.path, link.target);
    let replacement: string | undefined;
    if (target !== undefined) {
      const mediaUrl = link.image ? mediaUrlsByPath.get(target) : undefined;
      const title = titlesByPath.get(target);
      if (mediaUrl) replacement = `![${link.text}](${mediaUrl})`;
      else if (title !== undefined && !link.image) replacement = `[[${title}]]`;
    }
    if (replacement === undefined) continue;
    out += page.body.slice(last, link.start) + replacement;
    last = link.end;
  }
  return out + page.body.slice(last);
}
