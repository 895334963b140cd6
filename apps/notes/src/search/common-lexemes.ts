import { type QueryLexeme } from './headline.js';

/** How long PostgreSQL's statistics, once read, are used before they are read again. */
export const COMMON_LEXEMES_MAX_AGE_MS = 10 * 60_000;
/** While there are none (a wiki not analyzed yet, or no read has answered): asked again sooner. */
export const COMMON_LEXEMES_RETRY_MS = 60_000;

/**
 * The lexemes PostgreSQL's statistics call common in the search index (`pg_stats`'
 * `most_common_elems` of `notes.search`: up to the 1,000 most frequent of ANALYZE's sample; on the
 * 100k-page benchmark wiki the least of them is on ~1% of pages), and from them, which tsqueries
 * match few pages. For those, PostgreSQL's plan never depends on the word: it reads the matches
 * from the GIN index, so the search statement can be planned once per connection instead of for
 * every search (planning was ~0.6 of ~1.6 ms of a rare word's SQL). A common word needs a plan
 * made for it (walking the most recent pages beats reading 70k matches), so it is never called
 * rare, and neither is anything while the statistics are unknown (a wiki not analyzed yet).
 * Read again after COMMON_LEXEMES_MAX_AGE_MS, in the background (after COMMON_LEXEMES_RETRY_MS
 * while unknown); a failed read keeps the last.
 */
export class CommonLexemes {
  /** Sorted (by code unit, as `<` compares), so a prefix's lexemes are one run; undefined: unknown. */
  private sorted: string[] | undefined;
  private readAt = Number.NEGATIVE_INFINITY;
  private reading: Promise<void> | undefined;

  constructor(
    /** The common lexemes as PostgreSQL has them now; null when it has no statistics. */
    private readonly read: () => Promise<string[] | null>,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /**
   * True when the tsquery (`text`, with `lexemes` its positive lexemes) surely matches few pages:
   * one of the lexemes it needs is uncommon (for `a | b`, every one). A prefix (`deplo:*`) is
   * uncommon when no common lexeme starts with it.
   */
  isRare(text: string, lexemes: QueryLexeme[]): boolean {
    this.refreshWhenStale();
    if (this.sorted === undefined || lexemes.length === 0) return false;
    const uncommon = (l: QueryLexeme) => !this.isCommon(l);
    // An OR outside the quoted lexemes: every alternative must be rare for the whole to be.
    return text.replace(/'(?:[^']|'')*'/g, '').includes('|')
      ? lexemes.every(uncommon)
      : lexemes.some(uncommon);
  }

  /** Reads the statistics now (start-up, tests); later reads happen by themselves. */
  refresh(): Promise<void> {
    this.reading ??= this.read()
      .then((lexemes) => {
        this.sorted = lexemes === null ? undefined : [...lexemes].sort();
      })
      .catch(() => undefined)
      .finally(() => {
        this.readAt = this.now();
        this.reading = undefined;
      });
    return this.reading;
  }

  private refreshWhenStale(): void {
    const maxAge = this.sorted ? COMMON_LEXEMES_MAX_AGE_MS : COMMON_LEXEMES_RETRY_MS;
    if (this.now() - this.readAt >= maxAge) void this.refresh();
  }

  private isCommon({ lexeme, prefix }: QueryLexeme): boolean {
    const sorted = this.sorted!;
    // The first lexeme not below `lexeme`: equal to it, or (for a prefix) starting with it.
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]! < lexeme) lo = mid + 1;
      else hi = mid;
    }
    const next = sorted[lo];
    return next !== undefined && (prefix ? next.startsWith(lexeme) : next === lexeme);
  }
}

/** The common lexemes of `notes.search` from `pg_stats` (no row: never analyzed). */
export const COMMON_LEXEMES_SQL = `SELECT most_common_elems::text::text[] AS lexemes
  FROM pg_stats
  WHERE schemaname = current_schema() AND tablename = 'notes' AND attname = 'search'`;
