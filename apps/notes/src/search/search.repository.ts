import { Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import { DataSource, type QueryRunner } from 'typeorm';
import { type PageAccess } from '../spaces/page-access.js';
import { MARK_END, MARK_START } from './snippet.js';
import { type SearchQueryParts } from './search-query.js';

export interface FulltextHitRow {
  id: string;
  slug: string;
  title: string;
  tags: string[];
  updated_at: Date;
  rank: number;
  headline: string;
  title_headline: string;
}

export interface FuzzyHitRow {
  id: string;
  slug: string;
  title: string;
  tags: string[];
  updated_at: Date;
  score: number;
  body_start: string;
}

/** The tsquery from {@link SearchQueryParts} ($1 websearch text, $2 prefix word or NULL). */
const TSQUERY = `(CASE WHEN $2::text IS NULL
    THEN websearch_to_tsquery('english', notes_unaccent($1))
    ELSE websearch_to_tsquery('english', notes_unaccent($1))
      && to_tsquery('english', quote_literal(notes_unaccent($2)) || ':*')
  END)`;

const HEADLINE_OPTIONS = `StartSel=${MARK_START}, StopSel=${MARK_END}, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "`;
const TITLE_HEADLINE_OPTIONS = `StartSel=${MARK_START}, StopSel=${MARK_END}, HighlightAll=true`;
/** Longest body prefix a headline reads: ts_headline re-parses the text, so it is bounded. */
const HEADLINE_BODY_CHARS = 20_000;

/**
 * How many pages are ranked at most. Ranking reads each candidate's whole tsvector, so ranking
 * every match of a word found on most pages (70k of 100k) takes seconds. Candidates are every
 * title match (up to TITLE_CANDIDATES; title hits outrank body hits anyway) plus the
 * RECENT_CANDIDATES most recently updated pages that match at all. For rarer words that is every
 * match; for very common ones, older pages that mention the word only in the body can be missed,
 * which is the price of answering in milliseconds.
 */
export const TITLE_CANDIDATES = 200;
export const RECENT_CANDIDATES = 1000;

/**
 * Ranked hits over the pages `readable` (a {@link PageAccess} condition on `n`) lets through;
 * ts_headline runs only for the `limit` rows returned. The tsquery is written out in
 * each place (not a CTE) so the planner sees its value and can estimate how common the words are:
 * a common word walks the recent-pages index, a rare one uses the GIN index.
 * Parameters: {@link fulltextParams}. Exported for the benchmark's bare-pg ceiling.
 */
export const fulltextSql = (readable: string) => `WITH candidates AS (
         (SELECT n.id FROM notes n
          WHERE n.title_search @@ ${TSQUERY} AND n.deleted_at IS NULL AND ${readable}
            AND ($3::text IS NULL OR n.tags @> ARRAY[$3::text])
          LIMIT ${TITLE_CANDIDATES})
         UNION
         (SELECT n.id FROM notes n
          WHERE n.search @@ ${TSQUERY} AND n.deleted_at IS NULL AND ${readable}
            AND ($3::text IS NULL OR n.tags @> ARRAY[$3::text])
          ORDER BY n.updated_at DESC
          LIMIT ${RECENT_CANDIDATES})
       ),
       hits AS (
         SELECT n.id, n.slug, n.title, n.tags, n.updated_at, n.body, ts_rank(n.search, ${TSQUERY}) AS rank
         FROM candidates c JOIN notes n ON n.id = c.id
         ORDER BY rank DESC, n.updated_at DESC, n.id
         LIMIT $4
       )
       SELECT h.id, h.slug, h.title, h.tags, h.updated_at, h.rank,
         ts_headline('notes_headline', translate(left(h.body, ${HEADLINE_BODY_CHARS}), $7, ''), ${TSQUERY}, $5) AS headline,
         ts_headline('notes_headline', translate(h.title, $7, ''), ${TSQUERY}, $6) AS title_headline
       FROM hits h
       ORDER BY h.rank DESC, h.updated_at DESC, h.id`;

/** Parameters of {@link fulltextSql} (the access condition appends its own). */
export function fulltextParams(
  query: SearchQueryParts,
  options: { tag?: string; limit: number },
): unknown[] {
  return [
    query.websearch,
    query.prefix,
    options.tag ?? null,
    options.limit,
    HEADLINE_OPTIONS,
    TITLE_HEADLINE_OPTIONS,
    MARK_START + MARK_END,
  ];
}

/** How long saved pages wait for others before their words are recorded together. */
const TERMS_BATCH_MS = 100;

/** Full-text and fuzzy search over live pages, and the word list behind "did you mean". */
@Injectable()
export class SearchRepository implements BeforeApplicationShutdown {
  /** Pages whose words are still to be recorded (see recordTerms). */
  private readonly pendingTerms = new Set<string>();
  private termsBatch: Promise<void> | undefined;

  constructor(private readonly dataSource: DataSource) {}

  /**
   * Ranked hits; ts_headline runs only for the `limit` rows returned (the inner query ranks and
   * cuts first). ts_rank's default weights put a title (A) hit well above a body (C) hit.
   */
  async fulltext(
    query: SearchQueryParts,
    access: PageAccess,
    options: { tag?: string; limit: number },
  ): Promise<FulltextHitRow[]> {
    const params = fulltextParams(query, options);
    const sql = fulltextSql(access.readable(params));
    return this.dataSource.query<FulltextHitRow[]>(sql, params);
  }

  /**
   * Titles that look like the query, for when full text finds nothing: a query close to a word
   * run of the title (`<%`, word similarity) or to the whole title (`%`); both use the trigram index.
   */
  async fuzzyTitles(
    text: string,
    access: PageAccess,
    options: { tag?: string; limit: number },
  ): Promise<FuzzyHitRow[]> {
    const params: unknown[] = [text, options.tag ?? null, options.limit];
    const readable = access.readable(params);
    return this.dataSource.query<FuzzyHitRow[]>(
      `SELECT n.id, n.slug, n.title, n.tags, n.updated_at, left(n.body, 400) AS body_start,
         greatest(
           word_similarity(notes_unaccent($1), notes_unaccent(n.title)),
           similarity(notes_unaccent($1), notes_unaccent(n.title))
         ) AS score
       FROM notes n
       WHERE (notes_unaccent($1) <% notes_unaccent(n.title) OR notes_unaccent($1) % notes_unaccent(n.title))
         AND n.deleted_at IS NULL AND ${readable}
         AND ($2::text IS NULL OR n.tags @> ARRAY[$2::text])
       ORDER BY score DESC, n.updated_at DESC
       LIMIT $3`,
      params,
    );
  }

  /**
   * For each word, the closest known word (trigram similarity), or the word itself if known; only
   * words seen in spaces the caller can read, so a suggestion never spells a private page's word.
   */
  async closestTerms(words: string[], access: PageAccess): Promise<Map<string, string>> {
    await this.flushTerms();
    const params: unknown[] = [words];
    const readable = access.readable(params, 't.space_id');
    const rows = await this.dataSource.query<{ word: string; term: string | null }[]>(
      `SELECT w.word,
         COALESCE(
           (SELECT t.term FROM space_search_terms t WHERE t.term = w.word AND ${readable} LIMIT 1),
           (SELECT t.term FROM space_search_terms t WHERE t.term % w.word AND ${readable}
             ORDER BY similarity(t.term, w.word) DESC, t.term LIMIT 1)
         ) AS term
       FROM unnest($1::text[]) AS w(word)`,
      params,
    );
    return new Map(rows.filter((r) => r.term).map((r) => [r.word, r.term!]));
  }

  /** True when the query matches a live page the caller can read (a suggestion must lead somewhere). */
  async anyMatch(
    query: SearchQueryParts,
    tag: string | undefined,
    access: PageAccess,
  ): Promise<boolean> {
    const params: unknown[] = [query.websearch, query.prefix, tag ?? null];
    const readable = access.readable(params);
    const rows = await this.dataSource.query<unknown[]>(
      `SELECT 1 FROM notes n
       WHERE n.search @@ ${TSQUERY} AND n.deleted_at IS NULL AND ${readable}
         AND ($3::text IS NULL OR n.tags @> ARRAY[$3::text])
       LIMIT 1`,
      params,
    );
    return rows.length > 0;
  }

  /**
   * Pages `ids` moved from space `from` to `to` (inside the move's transaction): their words are
   * added to `to`'s list, and taken off `from`'s unless a live page left there still has that
   * very word. Without this, a page moved into a private space would go on spelling its words,
   * its title's among them, as suggestions to everyone who reads `from`. One statement: the GIN
   * index on `search` finds the pages with the word's stem, and only those are read for the
   * exact word (moves are rare; a save never runs this).
   */
  async moveTerms(
    runner: QueryRunner,
    move: { ids: string[]; from: string; to: string },
  ): Promise<void> {
    await runner.query(
      `WITH words AS (
         SELECT DISTINCT w FROM notes n,
           unnest(tsvector_to_array(to_tsvector('simple', notes_unaccent(left(
             n.title || ' ' || array_to_string(n.tags, ' ') || ' ' || n.body, 200000))))) AS w
         WHERE n.id = ANY ($1::uuid[]) AND w ~ '^[[:alpha:]]{3,40}$'
       ),
       added AS (
         INSERT INTO space_search_terms (space_id, term)
         SELECT $3::uuid, w FROM words ORDER BY w
         ON CONFLICT DO NOTHING
       )
       DELETE FROM space_search_terms t USING words
       WHERE t.space_id = $2::uuid AND t.term = words.w
         AND NOT EXISTS (
           SELECT 1 FROM notes o
           WHERE o.space_id = $2::uuid AND o.deleted_at IS NULL
             AND o.search @@ to_tsquery('english', quote_literal(words.w))
             AND to_tsvector('simple', notes_unaccent(left(
               o.title || ' ' || array_to_string(o.tags, ' ') || ' ' || o.body, 200000)))
               @@ to_tsquery('simple', quote_literal(words.w)))`,
      [move.ids, move.from, move.to],
    );
  }

  /**
   * Adds the words of a saved page, as it is when they are written, to the "did you mean" list
   * of the space it is in then: folded, lower case, letters only. Pages saved within
   * TERMS_BATCH_MS are written by one statement, so a word shared by many saves is probed once
   * (one statement per save, probing every word of the page, was the largest cost of a save).
   * The save does not wait for it; resolves when the batch is written.
   */
  recordTerms(pageId: string): Promise<void> {
    this.pendingTerms.add(pageId);
    this.termsBatch ??= new Promise<void>((resolve) => {
      setTimeout(resolve, TERMS_BATCH_MS).unref();
    }).then(() => this.flushTerms());
    return this.termsBatch;
  }

  /** Writes the words of the pages waiting; suggestions flush first, so they see the last saves. */
  async flushTerms(): Promise<void> {
    this.termsBatch = undefined;
    if (this.pendingTerms.size === 0) return;
    const ids = [...this.pendingTerms];
    this.pendingTerms.clear();
    // The page's current space (not the one it was saved in): a page moved meanwhile records its
    // words where it is now. Sorted so concurrent batches take the same row locks in order.
    await this.dataSource.query(
      `INSERT INTO space_search_terms (space_id, term)
       SELECT DISTINCT n.space_id, w FROM notes n,
         unnest(tsvector_to_array(to_tsvector('simple', notes_unaccent(left(
           n.title || ' ' || array_to_string(n.tags, ' ') || ' ' || n.body, 200000))))) AS w
       WHERE n.id = ANY($1::uuid[]) AND w ~ '^[[:alpha:]]{3,40}$'
       ORDER BY 1, 2
       ON CONFLICT DO NOTHING`,
      [ids],
    );
  }

  /** Words still waiting are written before the pool closes. */
  beforeApplicationShutdown(): Promise<void> {
    return this.flushTerms();
  }
}
