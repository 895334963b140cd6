import { Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import { Lru } from '@lateral/cache';
import { slugify } from '@lateral/contracts';
import { preparedRowsOn } from '@lateral/database';
import { DataSource, type QueryRunner } from 'typeorm';
import { GenericPlans } from '../database/generic-plans.js';
import { NotesMetrics } from '../notes.metrics.js';
import { type PageAccess } from '../spaces/page-access.js';
import { COMMON_LEXEMES_SQL, CommonLexemes } from './common-lexemes.js';
import {
  highlightAll,
  isQueryTerm,
  queryLexemes,
  snippet,
  TermFinder,
  words,
  type QueryLexeme,
  type Word,
} from './headline.js';
import { type SearchQueryParts } from './search-query.js';
import { stripMarks } from './snippet.js';

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

/**
 * Longest body prefix a snippet is made from (and sent by the database): a hit further down
 * shows the start of the page. Bounded so a huge page costs a bounded read and scan.
 */
const HEADLINE_BODY_CHARS = 20_000;

/**
 * How many pages are ranked at most. Ranking reads each candidate's whole tsvector, so ranking
 * every match of a word found on most pages (70k of 100k) takes seconds, and even the 1,200
 * candidates of an earlier version cost more than the rest of a search. Candidates are:
 * - the page whose title is the query (by its slug: one index lookup), however old; it is
 *   ranked first, above pages that repeat the word more often;
 * - as many of the most recently updated pages whose title or tags match as the search answers
 *   (its limit, at most MAX_SEARCH_LIMIT of search.schemas.ts)
 *   (`heading_search`, title A and tags B: an old page tagged with the query is not lost among
 *   newer pages that mention it in the body);
 * - the RECENT_CANDIDATES most recently updated pages that match at all.
 * Only those are ranked, on the whole page, where a title (A) or tag (B) hit outweighs body (C)
 * hits. For rarer words that is every match; for very common ones an older page with the words
 * only in its body (or among more newer title matches than the search answers) can be missed,
 * the price of answering in milliseconds. Ranking every title match instead was measured: 8,000
 * title-or-tag matches of a common word cost 27 ms of heap reads. Title matches can always fill
 * the page of hits asked for; finding more costs a walk of the recent pages that is most of a
 * common word's execution time: 50 walked ~3,200 pages (2.2 ms) where 20 walk ~1,300.
 */
export const RECENT_CANDIDATES = 100;

/** The tsquery from {@link SearchQueryParts} as text, computed once per distinct query. */
export const TSQUERY_SQL = `SELECT (${TSQUERY})::text AS tsquery`;

const candidateFilter = (readable: string) =>
  `n.deleted_at IS NULL AND ${readable} AND ($2::text IS NULL OR n.tags @> ARRAY[$2::text])`;

/**
 * The pages a search may return: `condition` on `n`, with `with` (a CTE, or empty) defined before
 * the statement's own (see SearchRepository.readableSpaces).
 */
export interface SearchScope {
  with: string;
  condition: string;
}

/**
 * Ranked hits over the pages `scope` lets through, with the start of each body for its snippet
 * ({@link SearchRepository.fulltext} makes snippets). The tsquery comes in as a parameter ($1,
 * from {@link TSQUERY_SQL}): the statement is planned with its value, so the planner still sees
 * how common the words are (a common word walks the recent-pages index, a rare one uses GIN,
 * with a plan made once: see SearchRepository.fulltext), without re-deriving it in every place
 * it is used (that was a third of the planning time). Each candidate carries its tsvector (a
 * TOAST pointer) through the union, so it is ranked once, after the cut to ≤ 151 candidates,
 * without reading the row again. Parameters: {@link fulltextParams}. Exported for the
 * benchmark's ceiling.
 */
export const fulltextSql = (scope: SearchScope) => `WITH ${scope.with}candidates AS (
         (SELECT n.id, n.updated_at, n.search, true AS exact FROM notes n
          WHERE n.slug = $4 AND n.search @@ $1::tsquery AND ${candidateFilter(scope.condition)})
         UNION ALL
         (SELECT n.id, n.updated_at, n.search, false FROM notes n
          WHERE n.heading_search @@ $1::tsquery AND ${candidateFilter(scope.condition)}
          ORDER BY n.updated_at DESC
          LIMIT $3)
         UNION ALL
         (SELECT n.id, n.updated_at, n.search, false FROM notes n
          WHERE n.search @@ $1::tsquery AND ${candidateFilter(scope.condition)}
          ORDER BY n.updated_at DESC
          LIMIT ${RECENT_CANDIDATES})
       ),
       hits AS (
         SELECT d.id, d.updated_at, d.exact, ts_rank(d.search, $1::tsquery) AS rank
         FROM (SELECT DISTINCT ON (c.id) c.id, c.updated_at, c.exact, c.search
               FROM candidates c ORDER BY c.id, c.exact DESC) d
         ORDER BY d.exact DESC, rank DESC, d.updated_at DESC, d.id
         LIMIT $3
       )
       SELECT n.id, n.slug, n.title, n.tags, n.updated_at, h.rank,
         left(n.body, ${HEADLINE_BODY_CHARS}) AS body_start
       FROM hits h JOIN notes n ON n.id = h.id
       ORDER BY h.exact DESC, h.rank DESC, h.updated_at DESC, h.id`;

/** Parameters of {@link fulltextSql} (the access condition appends its own). */
export function fulltextParams(
  tsquery: string,
  query: SearchQueryParts,
  options: { tag?: string; limit: number },
): unknown[] {
  return [
    tsquery,
    options.tag ?? null,
    options.limit,
    // The slug a page titled with the query has ('' matches no page).
    slugify(`${query.websearch} ${query.prefix ?? ''}`),
  ];
}

/** What {@link fulltextSql} returns per hit: the hit before its snippet and title marks are made. */
export type FulltextRow = Omit<FulltextHitRow, 'headline' | 'title_headline'> & {
  body_start: string;
};

/**
 * The lexemes the search index has for each word, as `to_tsvector('english', notes_unaccent(…))`
 * makes them for the `search` column; only the first token's (a compound such as "foo-bar" also
 * yields its parts, which are looked up as words of their own).
 */
const LEXEMES_SQL = `SELECT w AS word,
         ARRAY(SELECT l.lexeme FROM unnest(to_tsvector('english', notes_unaccent(w))) AS l
               WHERE 1 = ANY (l.positions)) AS lexemes
       FROM unnest($1::text[]) AS w`;

/**
 * Distinct queries and words remembered (a tsquery, a word's lexemes: values that never change,
 * as the text search configuration does not). Bounded; the least recently used goes first.
 */
const TSQUERY_CACHE_ENTRIES = 2_000;
const LEXEME_CACHE_ENTRIES = 20_000;
/** Words looked up for one search at most (a query of one letter could match thousands). */
const MAX_WORD_LOOKUPS = 500;

interface ParsedQuery {
  tsquery: string;
  lexemes: QueryLexeme[];
  finder: TermFinder;
}

/** How long saved pages wait for others before their words are recorded together. */
const TERMS_BATCH_MS = 100;

/** Pages with a word's stem read, at most, to find the word itself when a page moves away. */
const TERM_CHECK_PAGES = 20;

/** Full-text and fuzzy search over live pages, and the word list behind "did you mean". */
@Injectable()
export class SearchRepository implements BeforeApplicationShutdown {
  /** Pages whose words are still to be recorded (see recordTerms). */
  private readonly pendingTerms = new Set<string>();
  private termsBatch: Promise<void> | undefined;
  /** The last batch written (or failed): the next one waits for it. */
  private termsWritten: Promise<void> = Promise.resolve();

  /** Which tsqueries match few pages, by PostgreSQL's statistics. */
  readonly commonLexemes: CommonLexemes;

  constructor(
    private readonly dataSource: DataSource,
    private readonly metrics: NotesMetrics,
    private readonly genericPlans: GenericPlans,
  ) {
    this.commonLexemes = new CommonLexemes(async () => {
      const [row] = await this.dataSource.query<{ lexemes: string[] | null }[]>(COMMON_LEXEMES_SQL);
      return row?.lexemes ?? null;
    });
  }

  /** Per distinct query: its tsquery, lexemes and compiled word finder. */
  private readonly tsqueries = new Lru<string, ParsedQuery>({
    maxEntries: TSQUERY_CACHE_ENTRIES,
    maxWeight: Infinity,
  });
  private readonly lexemes = new Lru<string, string[]>({
    maxEntries: LEXEME_CACHE_ENTRIES,
    maxWeight: Infinity,
  });

  /**
   * Ranked hits with their snippets: the statement ranks and cuts, then snippets and title
   * highlights are made here from the rows returned (see headline.ts). ts_rank's default
   * weights put a title (A) hit well above a body (C) hit.
   */
  async fulltext(
    query: SearchQueryParts,
    access: PageAccess,
    options: { tag?: string; limit: number },
  ): Promise<FulltextHitRow[]> {
    const { tsquery, lexemes, finder } = await this.parsed(query);
    // Only stop words (or nothing): no page can match.
    if (tsquery === '') return [];
    const params = fulltextParams(tsquery, query, options);
    const sql = fulltextSql(this.readableSpaces(access, params));
    // A rare word's plan is the same whatever the word (the GIN index finds its few pages), so it
    // is planned once per connection; any other is planned for its own words (CommonLexemes).
    const generic = this.commonLexemes.isRare(tsquery, lexemes)
      ? this.genericPlans.get()
      : undefined;
    this.metrics.searchPlans.inc({ plan: generic ? 'generic' : 'custom' });
    const rows = generic
      ? await preparedRowsOn<FulltextRow>(generic, sql, params)
      : await this.dataSource.query<FulltextRow[]>(sql, params);
    return this.withHeadlines(rows, lexemes, finder);
  }

  /**
   * The search's access condition: the spaces the caller may read (PageAccess's rule), gathered
   * once into an array by a CTE of the same statement, which each candidate branch compares with.
   * Written into each of the three branches, the rule's subquery was planned three times (~0.3 ms
   * of ~0.65 ms planning, ~0.15 ms of execution); asked as a statement of its own first, it cost
   * a round trip (0.3–1.2 ms per search measured, more under load: each query's socket write
   * wakes PostgreSQL). A page without a space matches no array, as it matches no space in the
   * rule (fails closed); an admin reads every page, so gets no condition.
   */
  private readableSpaces(access: PageAccess, params: unknown[]): SearchScope {
    if (access.isAdmin) return { with: '', condition: access.readable(params) };
    const rule = access.readable(params, 's.id');
    return {
      with: `readable AS MATERIALIZED (SELECT array_agg(s.id) AS ids FROM spaces s WHERE ${rule}),
       `,
      condition: 'n.space_id = ANY ((SELECT ids FROM readable)::uuid[])',
    };
  }

  /**
   * The query's tsquery as text (PostgreSQL stems it with the index's configuration), its
   * lexemes and the expression that finds them in text (compiling it costs more than using it).
   */
  private async parsed(query: SearchQueryParts): Promise<ParsedQuery> {
    const key = `${query.websearch}\0${query.prefix ?? ''}`;
    const known = this.tsqueries.get(key);
    if (known !== undefined) return known;
    const [row] = await this.dataSource.query<{ tsquery: string }[]>(TSQUERY_SQL, [
      query.websearch,
      query.prefix,
    ]);
    const lexemes = queryLexemes(row!.tsquery);
    const parsed = { tsquery: row!.tsquery, lexemes, finder: new TermFinder(lexemes) };
    this.tsqueries.set(key, parsed);
    return parsed;
  }

  private async withHeadlines(
    rows: FulltextRow[],
    lexemes: QueryLexeme[],
    finder: TermFinder,
  ): Promise<FulltextHitRow[]> {
    const texts = rows.map((r) => {
      const title = stripMarks(r.title);
      const body = stripMarks(r.body_start);
      const bodyBounds = words(body);
      const bodyWords = finder.find(body, bodyBounds);
      return { title, body, bodyBounds, bodyWords, titleWords: finder.find(title) };
    });
    const known = await this.lexemesOf(
      new Set(texts.flatMap((t) => [...t.titleWords, ...t.bodyWords].map((w) => w.text))),
    );
    // The query lexeme a word stands for (a snippet prefers a run with different terms).
    const termOf = new Map<string, string>();
    for (const [word, of] of known) {
      const term = lexemes.find((q) => isQueryTerm(of, [q]));
      if (term) termOf.set(word, term.lexeme);
    }
    const hits = (found: Word[]) => found.filter((w) => termOf.has(w.text));
    return rows.map(({ body_start: _body, ...row }, i) => ({
      ...row,
      headline: snippet(
        texts[i]!.body,
        hits(texts[i]!.bodyWords),
        (w) => termOf.get(w)!,
        texts[i]!.bodyBounds,
      ),
      title_headline: highlightAll(texts[i]!.title, hits(texts[i]!.titleWords)),
    }));
  }

  /** Each word's lexemes, from the cache or (for words not seen yet) from PostgreSQL. */
  private async lexemesOf(words: Set<string>): Promise<Map<string, string[]>> {
    const found = new Map<string, string[]>();
    const missing: string[] = [];
    for (const word of words) {
      const lexemes = this.lexemes.get(word);
      if (lexemes) found.set(word, lexemes);
      else if (missing.length < MAX_WORD_LOOKUPS) missing.push(word);
    }
    if (missing.length > 0) {
      const rows = await this.dataSource.query<{ word: string; lexemes: string[] }[]>(LEXEMES_SQL, [
        missing,
      ]);
      for (const row of rows) {
        this.lexemes.set(row.word, row.lexemes);
        found.set(row.word, row.lexemes);
      }
    }
    return found;
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
    // A failed batch was reported to its saves; suggestions go on with the words known.
    await this.flushTerms().catch(() => undefined);
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
   * index on `search` finds the pages with the word's stem, and at most TERM_CHECK_PAGES of them
   * are read for the exact word, so a word whose stem is everywhere costs a bounded check. A
   * word found only further on is taken off too: that costs a suggestion until the page that has
   * it is saved again, never a leak. Measured: moving 301 pages (4.3 MB, 5,000 distinct words)
   * took 1.9 s on a loaded 2-core machine, most of it reading their words.
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
           SELECT 1 FROM (
             SELECT o.title, o.tags, o.body FROM notes o
             WHERE o.space_id = $2::uuid AND o.deleted_at IS NULL
               AND o.search @@ to_tsquery('english', quote_literal(words.w))
             LIMIT ${TERM_CHECK_PAGES}
           ) c
           WHERE to_tsvector('simple', notes_unaccent(left(
               c.title || ' ' || array_to_string(c.tags, ' ') || ' ' || c.body, 200000)))
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

  /**
   * Writes the words of the pages waiting, after the batches already on their way (one at a
   * time), so whoever awaits it sees the words of every save before: suggestions flush first.
   */
  flushTerms(): Promise<void> {
    this.termsBatch = undefined;
    const ids = [...this.pendingTerms];
    this.pendingTerms.clear();
    const written = this.termsWritten.then(() =>
      ids.length > 0 ? this.writeTerms(ids) : undefined,
    );
    // A failed batch is reported to the saves it holds (recordTerms), not to the next ones.
    this.termsWritten = written.catch(() => undefined);
    return written;
  }

  private async writeTerms(ids: string[]): Promise<void> {
    // The page's current space (not the one it was saved in): a page moved meanwhile records its
    // words where it is now. Sorted so concurrent writers take the same row locks in order.
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
