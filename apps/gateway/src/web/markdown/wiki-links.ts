import { type MarkdownIt, type StateInline } from 'markdown-it';

export interface WikiLinkMeta {
  target: string;
  label: string;
}

/** What a wiki target resolved to: the page's slug, or null when no such page exists. */
export type WikiTargets = ReadonlyMap<string, { slug: string } | null>;

const MAX_TARGET_LENGTH = 200;

/** The key wiki targets are matched by: Unicode-normalized, trimmed, whitespace collapsed, lower case. */
export function normalizeTitle(title: string): string {
  return title.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
}

/**
 * Inline rule for `[[Title]]` and `[[Title|label]]`. It runs before markdown-it's link rule, so
 * `[[x]]` never becomes a reference link. The target stays text: resolution happens at render
 * time from `env.wikiTargets`.
 */
function wikiLinkRule(state: StateInline, silent: boolean): boolean {
  const start = state.pos;
  if (state.src.charCodeAt(start) !== 0x5b || state.src.charCodeAt(start + 1) !== 0x5b) {
    return false;
  }
  const end = state.src.indexOf(']]', start + 2);
  if (end < 0) return false;
  const inner = state.src.slice(start + 2, end);
  if (/[[\]\n]/.test(inner)) return false;
  const bar = inner.indexOf('|');
  const target = (bar >= 0 ? inner.slice(0, bar) : inner).trim();
  const label = (bar >= 0 ? inner.slice(bar + 1) : inner).trim() || target;
  if (!target || target.length > MAX_TARGET_LENGTH) return false;
  if (!silent) {
    const token = state.push('wikilink', 'a', 0);
    token.meta = { target, label } satisfies WikiLinkMeta;
    token.content = label;
  }
  state.pos = end + 2;
  return true;
}

export function wikiLinksPlugin(md: MarkdownIt): void {
  md.inline.ruler.before('link', 'wikilink', wikiLinkRule);
  md.renderer.rules.wikilink = (tokens, idx, _options, rawEnv) => {
    const env = rawEnv as { wikiTargets?: WikiTargets };
    const { target, label } = tokens[idx]?.meta as unknown as WikiLinkMeta;
    const text = md.utils.escapeHtml(label);
    const page = env.wikiTargets?.get(normalizeTitle(target));
    if (page) {
      return `<a class="wikilink" href="/notes/${encodeURIComponent(page.slug)}">${text}</a>`;
    }
    const create = `/new?title=${encodeURIComponent(target)}`;
    return `<a class="wikilink wikilink-missing" href="${md.utils.escapeHtml(create)}" title="Create this page">${text}</a>`;
  };
}
