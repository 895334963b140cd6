import { escapeHtml, raw, type SafeHtml } from '../html.js';

/**
 * The web UI's view of what notes answers. The upstream types are deliberately loose (a new
 * field in notes must never break the gateway), so these readers pick fields defensively.
 */
type Loose = Record<string, unknown>;

const str = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;
const num = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;
const date = (value: unknown): Date | undefined => {
  if (typeof value !== 'string' && !(value instanceof Date)) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d;
};
const nameOf = (value: unknown): string | undefined =>
  str(value) ?? str((value as Loose | null | undefined)?.name);

export const tagsOf = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((t): t is string => typeof t === 'string') : [];

export interface NoteItem {
  id: string;
  slug: string;
  title: string;
  tags: string[];
  updatedAt: Date | undefined;
  editor: string | undefined;
  deletedAt: Date | undefined;
}

/** Who saved the page last, whatever notes calls the field. */
export function editorName(note: Loose): string | undefined {
  return (
    nameOf(note.updatedBy) ??
    str(note.updatedByName) ??
    nameOf(note.lastEditor) ??
    nameOf(note.author) ??
    str(note.authorName) ??
    nameOf(note.createdBy)
  );
}

export function toNoteItem(note: Loose): NoteItem {
  return {
    id: str(note.id) ?? '',
    slug: str(note.slug) ?? str(note.id) ?? '',
    title: str(note.title) ?? '(untitled)',
    tags: tagsOf(note.tags),
    updatedAt: date(note.updatedAt) ?? date(note.createdAt),
    editor: editorName(note),
    deletedAt: date(note.deletedAt),
  };
}

export interface RevisionItem {
  number: number;
  title: string;
  body: string | undefined;
  tags: string[];
  createdAt: Date | undefined;
  author: string | undefined;
  /** This version restored that older one. */
  restoredFrom?: number | undefined;
}

export function toRevision(revision: Loose): RevisionItem {
  return {
    number:
      num(revision.number) ??
      num(revision.revision) ??
      num(revision.n) ??
      num(revision.version) ??
      0,
    title: str(revision.title) ?? '',
    body: typeof revision.body === 'string' ? revision.body : undefined,
    restoredFrom: num(revision.restoredFrom),
    tags: tagsOf(revision.tags),
    createdAt: date(revision.createdAt) ?? date(revision.savedAt),
    author:
      nameOf(revision.author) ??
      str(revision.authorName) ??
      nameOf(revision.createdBy) ??
      editorName(revision),
  };
}

export interface TagItem {
  name: string;
  count: number;
}

export function toTag(tag: Loose | string): TagItem {
  if (typeof tag === 'string') return { name: tag, count: 0 };
  return { name: str(tag.tag) ?? str(tag.name) ?? '', count: num(tag.count) ?? 0 };
}

export interface SearchItem {
  slug: string;
  title: SafeHtml;
  snippet: SafeHtml;
  tags: string[];
}

/**
 * Snippets are cut from markdown source; the syntax around the words is noise in a result list
 * (`[[`, `**`, backticks, heading and quote markers, image and link targets).
 */
export function plainSnippet(text: string): string {
  return text
    .replace(/!?\[([^[\]]*)\]\([^)\s[]*\)/g, '$1')
    .replace(/\[\[|\]\]|\*\*|__|`+/g, '')
    .replace(/(^|\s)(?:#{1,6}|[>\-*+]|\d+\.)(?=\s)/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

const MARK_OPEN = '\uE000';
const MARK_CLOSE = '\uE001';
const ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
};

/**
 * Search snippets come from `ts_headline` over the page's markdown source, so they hold
 * whatever the page holds. notes sends them as escaped text with `<mark>` tags; the highlights
 * are set aside, the text decoded (so it is not escaped twice) and stripped of markdown, then
 * everything is escaped and only balanced `<mark>`/`</mark>` come back.
 */
export function safeSnippet(text: string): SafeHtml {
  const decoded = text
    .replace(/<mark>/g, MARK_OPEN)
    .replace(/<\/mark>/g, MARK_CLOSE)
    .replace(/&(?:amp|lt|gt|quot|#39);/g, (entity) => ENTITIES[entity] ?? entity);
  let open = 0;
  const out = escapeHtml(plainSnippet(decoded)).replace(/[\uE000\uE001]/g, (marker) => {
    if (marker === MARK_CLOSE) {
      if (open === 0) return '';
      open--;
      return '</mark>';
    }
    open++;
    return '<mark>';
  });
  return raw(out + '</mark>'.repeat(open));
}

export function toSearchItem(hit: Loose): SearchItem {
  const snippet = str(hit.snippet) ?? str(hit.headline) ?? str(hit.excerpt) ?? '';
  const title = str(hit.titleHighlight) ?? str(hit.title) ?? '(untitled)';
  return {
    slug: str(hit.slug) ?? str(hit.id) ?? '',
    title: safeSnippet(title),
    snippet: safeSnippet(snippet),
    tags: tagsOf(hit.tags),
  };
}

export { str as optionalString, date as optionalDate };
