import { WIKI_LINK_LIMITS } from '@lateral/contracts';
import { type MarkdownIt, type StateInline } from 'markdown-it';

export interface WikiLinkMeta {
  target: string;
  label: string;
}

/** What a wiki target resolved to: the page's slug, or null when no such page exists. */
export type WikiTargets = ReadonlyMap<string, { slug: string } | null>;

/** The key wiki targets are matched by: Unicode-normalized, trimmed, whitespace collapsed, lower case. */
export function normalizeTitle(title: string): string {
  return title.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
}

/**
 * Inline rule for `[[Title]]` and `[[Title|label]]`. It runs before markdown-it's link rule, so
 * `[[x]]` never becomes a reference link. The target stays text: resolution happens at render
 * time from `env.wikiTargets`. notes' link parser applies the same WIKI_LINK_LIMITS, so a link
 * here is a backlink there.
 */
function wikiLinkRule(state: StateInline, silent: boolean): boolean {
  const start = state.pos;
  if (state.src.charCodeAt(start) !== 0x5b || state.src.charCodeAt(start + 1) !== 0x5b) {
    return false;
  }
  // Scan only as far as a link can reach, stopping at the first bracket or newline: searching the
  // rest of the text for `]]` from every `[[` made a body of `[[]` quadratic (issue #10).
  const limit = Math.min(state.posMax, start + 2 + WIKI_LINK_LIMITS.innerLength);
  let end = start + 2;
  while (end < limit) {
    const code = state.src.charCodeAt(end);
    if (code === 0x5b /* [ */ || code === 0x5d /* ] */ || code === 0x0a /* \n */) break;
    end++;
  }
  if (state.src.charCodeAt(end) !== 0x5d || state.src.charCodeAt(end + 1) !== 0x5d) return false;
  if (end + 2 > state.posMax) return false;
  const inner = state.src.slice(start + 2, end);
  const bar = inner.indexOf('|');
  const target = (bar >= 0 ? inner.slice(0, bar) : inner).trim();
  const label = (bar >= 0 ? inner.slice(bar + 1) : inner).trim() || target;
  if (!target || target.length > WIKI_LINK_LIMITS.targetLength) return false;
  if (bar >= 0 && inner.length - bar - 1 > WIKI_LINK_LIMITS.labelLength) return false;
  if (!silent) {
    const token = state.push('wikilink', 'a', 0);
    token.meta = { target, label } satisfies WikiLinkMeta;
    token.content = label;
  }
  state.pos = end + 2;
  return true;
}

/**
 * Where a slot goes in a template (see renderTemplate in markdown.ts): NUL never reaches the
 * output from the text (markdown-it replaces it with U+FFFD).
 */
export const SLOT_MARK = '\u0000';

/** A wiki link as written, rendered once the reader's targets are known. */
export interface WikiLinkSlot extends WikiLinkMeta {
  kind: 'wikilink';
}

/** A link to the page, or to create it when it does not exist (for this reader). */
export function wikiLinkHtml(
  { target, label }: WikiLinkMeta,
  wikiTargets: WikiTargets | undefined,
  escapeHtml: (text: string) => string,
): string {
  const text = escapeHtml(label);
  const page = wikiTargets?.get(normalizeTitle(target));
  if (page) {
    return `<a class="wikilink" href="/notes/${encodeURIComponent(page.slug)}">${text}</a>`;
  }
  const create = `/new?title=${encodeURIComponent(target)}`;
  return `<a class="wikilink wikilink-missing" href="${escapeHtml(create)}" title="Create this page">${text}</a>`;
}

export function wikiLinksPlugin(md: MarkdownIt): void {
  md.inline.ruler.before('link', 'wikilink', wikiLinkRule);
  md.renderer.rules.wikilink = (tokens, idx, _options, rawEnv) => {
    const env = rawEnv as { wikiTargets?: WikiTargets; slots?: WikiLinkSlot[] };
    const meta = tokens[idx]?.meta as unknown as WikiLinkMeta;
    // Whether the target exists depends on the reader: a slot when rendering a template.
    if (env.slots) {
      env.slots.push({ kind: 'wikilink', target: meta.target, label: meta.label });
      return SLOT_MARK;
    }
    return wikiLinkHtml(meta, env.wikiTargets, md.utils.escapeHtml);
  };
}
