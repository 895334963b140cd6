import { Injectable } from '@nestjs/common';
import { type SearchResult } from '@lateral/contracts';
import { type Identity } from '@lateral/identity';
import { NotesMetrics } from '../notes.metrics.js';
import { PageAccess } from '../spaces/page-access.js';
import { buildSearchQuery, suggestibleWords } from './search-query.js';
import { SearchRepository } from './search.repository.js';
import { type SearchQuery } from './search.schemas.js';
import { plainExcerpt, toSnippetHtml } from './snippet.js';

@Injectable()
export class SearchService {
  constructor(
    private readonly search: SearchRepository,
    private readonly metrics: NotesMetrics,
  ) {}

  /** Hits, fuzzy titles and suggestions come only from pages the caller can read. */
  async find(query: SearchQuery, caller: Identity): Promise<SearchResult> {
    const access = PageAccess.of(caller);
    const parts = buildSearchQuery(query.q);
    const hits = await this.metrics.timeSearch('fulltext', () =>
      this.search.fulltext(parts, access, { tag: query.tag, limit: query.limit }),
    );
    if (hits.length > 0) {
      return {
        items: hits.map((h) => ({
          id: h.id,
          slug: h.slug,
          title: h.title,
          titleHighlight: toSnippetHtml(h.title_headline),
          snippet: toSnippetHtml(h.headline),
          tags: h.tags,
          updatedAt: h.updated_at.toISOString(),
          match: 'fulltext',
        })),
      };
    }
    // Nothing matched as typed: titles that look alike, and a corrected query if one finds pages.
    const [fuzzy, suggestion] = await this.metrics.timeSearch('fuzzy', () =>
      Promise.all([
        this.search.fuzzyTitles(query.q, access, { tag: query.tag, limit: query.limit }),
        this.suggest(query, access),
      ]),
    );
    return {
      items: fuzzy.map((h) => ({
        id: h.id,
        slug: h.slug,
        title: h.title,
        titleHighlight: toSnippetHtml(h.title),
        snippet: plainExcerpt(h.body_start),
        tags: h.tags,
        updatedAt: h.updated_at.toISOString(),
        match: 'fuzzy',
      })),
      ...(suggestion ? { suggestion } : {}),
    };
  }

  private async suggest(query: SearchQuery, access: PageAccess): Promise<string | undefined> {
    const words = suggestibleWords(query.q);
    if (words.length === 0) return undefined;
    const closest = await this.search.closestTerms(words, access);
    const corrected = words.map((w) => closest.get(w) ?? w);
    if (corrected.every((w, i) => w === words[i])) return undefined;
    const suggestion = corrected.join(' ');
    const found = await this.search.anyMatch(
      { websearch: suggestion, prefix: null },
      query.tag,
      access,
    );
    return found ? suggestion : undefined;
  }
}
