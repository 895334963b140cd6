/**
 * Bounds of a `[[target|label]]` wiki link. The gateway renders links and notes indexes them as
 * backlinks; with the same bounds both agree on what is a link. They also cap how far one `[[`
 * is scanned (issue #10).
 */
export const WIKI_LINK_LIMITS = {
  /** Longest target (the page title), after trimming. */
  targetLength: 200,
  /** Longest `|label`. */
  labelLength: 1000,
  /** Raw text between `[[` and `]]`: the padding around a target counts too. */
  innerLength: 200 + 1 + 1000,
} as const;

/**
 * What one page may hold, as notes validates every create and update. The gateway's importer
 * writes pages through notes too, so it cuts titles and drops tags to fit these.
 */
export const NOTE_LIMITS = {
  titleLength: 300,
  bodyLength: 1_000_000,
  tags: 50,
  tagLength: 100,
  importKeyLength: 512,
} as const;
