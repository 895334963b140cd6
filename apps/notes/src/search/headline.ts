import { MARK_END, MARK_START } from './snippet.js';

/**
 * Search snippets ("headlines") made here instead of by PostgreSQL's ts_headline. ts_headline
 * re-parses each hit's text with the full-text parser (~110 µs per KB on the benchmark machine:
 * 20 hits of 1 KB cost more than finding and ranking them), so a search spent most of its SQL
 * time on snippets. Here the text is cut into words by a character scan, the words that could
 * be a query term (their folded form starts like one of the tsquery's lexemes) are found with one
 * expression, and only those are asked of PostgreSQL, which stems them with the very
 * configuration the index uses; the answers are cached (a word's lexemes never change), so a warm
 * search asks nothing. What is highlighted is therefore what PostgreSQL matched: "deploys" marks
 * "deployed", "cafe" marks "Café"; the fragment is chosen as ts_headline does with
 * MaxFragments=1 (the shortest run of words with the most query terms, stretched to MAX_WORDS
 * words around it).
 */

/** A positive lexeme of a tsquery; `prefix` for `word:*` (the word still being typed). */
export interface QueryLexeme {
  lexeme: string;
  prefix: boolean;
}

/** Words in a snippet, and words shown when the text has no hit (as ts_headline's defaults). */
export const MAX_WORDS = 30;
export const MIN_WORDS = 12;

/**
 * The positive lexemes of a tsquery as PostgreSQL prints it (`'servic':* & !'old' <-> 'it''s'`):
 * quoted, quotes doubled, `:*` for a prefix, weights after. Negated ones (`!'old'`) are not
 * highlighted: a page that matched cannot be matching them.
 */
export function queryLexemes(tsquery: string): QueryLexeme[] {
  const found = new Map<string, QueryLexeme>();
  for (const m of tsquery.matchAll(/(!\s*)?'((?:[^']|'')*)'(?::(\*?)[A-D]*)?/g)) {
    if (m[1]) continue;
    const lexeme = m[2]!.replace(/''/g, "'");
    const prefix = m[3] === '*';
    const key = `${lexeme}\0${prefix}`;
    if (lexeme && !found.has(key)) found.set(key, { lexeme, prefix });
  }
  return [...found.values()];
}

/**
 * Letters the Unicode decomposition leaves alone but `unaccent` folds; enough for the cheap
 * "could this word match" test (PostgreSQL decides the match itself).
 */
const EXTRA_FOLDS: Record<string, string> = {
  ø: 'o',
  ł: 'l',
  æ: 'ae',
  œ: 'oe',
  ß: 'ss',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
};

/** Lower case without accents, roughly as `lower(notes_unaccent(...))`. */
export function fold(word: string): string {
  return word
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[øłæœßđðþı]/g, (c) => EXTRA_FOLDS[c]!);
}

/**
 * How a word that stems to `lexeme` starts. English (Porter2) stems are prefixes of their words
 * but for a final y/ie turned into i ("happy" -> "happi", "cries" -> "cri"), so that i is dropped.
 */
function stemStart(lexeme: string): string {
  return lexeme.length > 3 && lexeme.endsWith('i') ? lexeme.slice(0, -1) : lexeme;
}

/** A word found in a text (a run of letters and digits, or a compound such as "foo-bar"). */
export interface Word {
  start: number;
  end: number;
  text: string;
}

/** Longest word looked up: PostgreSQL does not index longer ones (2,047 bytes) either. */
const MAX_WORD_CHARS = 200;

/** A character other than printable ASCII or white space: such words are folded one by one. */
const NON_ASCII = /[^\t\n\r\u0020-\u007e]/;
const WORD_CHAR = /[\p{L}\p{M}\p{N}]/u;

/** Where the words of a text are: word i is text.slice(starts[i], ends[i]). */
export interface WordBounds {
  count: number;
  starts: Int32Array;
  ends: Int32Array;
  /** 1 for a word with a character outside ASCII ("Café"): it needs folding to be compared. */
  wide: Uint8Array;
}

/**
 * The words of `text` (runs of letters, marks and digits), scanned by character code: a snippet
 * needs every word's place, and objects per word (a regular expression's matches) made the
 * garbage collector the largest cost of a search.
 */
export function words(text: string): WordBounds {
  const starts = new Int32Array((text.length + 1) >> 1);
  const ends = new Int32Array(starts.length);
  const wide = new Uint8Array(starts.length);
  let count = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    let width = 1;
    let isWord: boolean;
    if (c < 128) {
      isWord = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
    } else if (c <= 0xff) {
      // Latin-1: letters but for × and ÷ (accented Latin is common enough to skip the test).
      isWord = (c >= 0xc0 && c !== 0xd7 && c !== 0xf7) || c === 0xaa || c === 0xb5 || c === 0xba;
      if (isWord) wide[count] = 1;
    } else {
      width = c >= 0xd800 && c <= 0xdbff && i + 1 < text.length ? 2 : 1;
      isWord = WORD_CHAR.test(text.slice(i, i + width));
      if (isWord) wide[count] = 1;
    }
    if (isWord && !inWord) starts[count] = i;
    if (!isWord && inWord) ends[count++] = i;
    inWord = isWord;
    i += width - 1;
  }
  if (inWord) ends[count++] = text.length;
  return { count, starts, ends, wide };
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

/**
 * Finds the words of a text that might be a query term: the words whose folded form starts like
 * one of the lexemes. Only these are looked up in PostgreSQL, and only these can be marked. A
 * plain-ASCII word is found by one case-insensitive expression over the whole text (no per-word
 * work: folding every word of 20 bodies cost more than the SQL); words with other letters are
 * folded one by one. A lexeme with - . @ or / in it (a hyphenated word, a host name) is found
 * whole, as PostgreSQL indexes it.
 */
export class TermFinder {
  private readonly ascii: RegExp | undefined;
  private readonly starts: string[];
  private readonly firstLetters: Set<string>;

  constructor(lexemes: QueryLexeme[]) {
    this.starts = [...new Set(lexemes.map((l) => stemStart(l.lexeme)))];
    this.firstLetters = new Set(this.starts.map((s) => s[0]!));
    // The rest of the word; across - . @ / only when a lexeme is such a compound itself (else
    // "service-mesh" would be one candidate, and its part "service" never looked up).
    const rest = this.starts.some((s) => /[-.@/]/.test(s))
      ? '[\\p{L}\\p{M}\\p{N}]*(?:[-.@/][\\p{L}\\p{M}\\p{N}]+)*'
      : '[\\p{L}\\p{M}\\p{N}]*';
    this.ascii =
      this.starts.length === 0
        ? undefined
        : new RegExp(
            `(?<![\\p{L}\\p{M}\\p{N}])(?:${this.starts.map(escapeRegExp).join('|')})${rest}`,
            'giu',
          );
  }

  /** The candidate words of `text` (whose `words` may be given), in text order, no overlaps. */
  find(text: string, all?: WordBounds): Word[] {
    if (!this.ascii) return [];
    const found: Word[] = [];
    for (const m of text.matchAll(this.ascii)) {
      if (m[0].length <= MAX_WORD_CHARS && !NON_ASCII.test(m[0])) {
        found.push({ start: m.index, end: m.index + m[0].length, text: m[0] });
      }
    }
    if (!NON_ASCII.test(text)) return found;
    all ??= words(text);
    for (let i = 0; i < all.count; i++) {
      const [start, end] = [all.starts[i]!, all.ends[i]!];
      if (!all.wide[i] || end - start > MAX_WORD_CHARS) continue;
      // Most words are ruled out by their first letter: a text in another script folds little.
      if (!this.firstLetters.has(fold(String.fromCodePoint(text.codePointAt(start)!))[0]!)) {
        continue;
      }
      const word = text.slice(start, end);
      const folded = fold(word);
      if (this.starts.some((s) => folded.startsWith(s))) found.push({ start, end, text: word });
    }
    return found.sort((a, b) => a.start - b.start);
  }
}

/** True when a word whose lexemes (as the index has them) are `wordLexemes` is a query term. */
export function isQueryTerm(wordLexemes: readonly string[], lexemes: QueryLexeme[]): boolean {
  return wordLexemes.some((w) =>
    lexemes.some((q) => (q.prefix ? w.startsWith(q.lexeme) : w === q.lexeme)),
  );
}

/** `text` with every hit marked, as ts_headline's HighlightAll (titles). */
export function highlightAll(text: string, hits: Word[]): string {
  return mark(text, 0, text.length, hits);
}

/**
 * A snippet of `text`: MAX_WORDS words around the best run of hits (the shortest one with the
 * most distinct query terms, the first of those), hits marked; the first MIN_WORDS words when
 * nothing in it is a hit. `termOf` says which query term a hit word is (for "most distinct").
 */
export function snippet(
  text: string,
  spans: Word[],
  termOf: (word: string) => string,
  all: WordBounds = words(text),
): string {
  if (all.count === 0) return text.trim();
  if (spans.length === 0) return cut(text, all, 0, Math.min(MIN_WORDS, all.count) - 1, []);

  // The words each hit starts and ends in, and the term it stands for.
  const hits = spans.map((s) => ({
    word: wordAt(all, s.start),
    last: wordAt(all, s.end - 1),
    term: termOf(s.text),
  }));
  const best = bestCover(hits);
  const first = hits[best.from]!.word;
  const last = hits[best.to]!.last;
  const length = last - first + 1;
  // Centre the cover, then give the words the start or the end lacks to the other side.
  let from = Math.max(0, first - Math.floor(Math.max(0, MAX_WORDS - length) / 2));
  const to = Math.min(all.count - 1, Math.max(last, from + MAX_WORDS - 1));
  from = Math.max(0, Math.min(from, to - MAX_WORDS + 1));
  return cut(
    text,
    all,
    from,
    to,
    spans.filter((s) => s.start >= all.starts[from]! && s.end <= all.ends[to]!),
  );
}

/** Index of the word containing offset `at` (hits start and end inside words). */
function wordAt(all: WordBounds, at: number): number {
  let lo = 0;
  let hi = all.count - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (all.starts[mid]! <= at) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The run of hits with the most distinct terms that fits in MAX_WORDS words, shortest first. */
function bestCover(hits: { word: number; last: number; term: string }[]): {
  from: number;
  to: number;
} {
  let best = { from: 0, to: 0, terms: 1, words: hits[0]!.last - hits[0]!.word + 1 };
  for (let from = 0; from < hits.length; from++) {
    const terms = new Set<string>();
    for (let to = from; to < hits.length; to++) {
      const span = hits[to]!.last - hits[from]!.word + 1;
      if (span > MAX_WORDS) break;
      terms.add(hits[to]!.term);
      if (terms.size > best.terms || (terms.size === best.terms && span < best.words)) {
        best = { from, to, terms: terms.size, words: span };
      }
    }
  }
  return best;
}

/**
 * Words `from`..`to` of `text` with `spans` marked; when the cut reaches an end of the text, the
 * punctuation there is kept ("…then repoint.").
 */
function cut(text: string, all: WordBounds, from: number, to: number, spans: Word[]): string {
  const start = from === 0 ? 0 : all.starts[from]!;
  const end = to === all.count - 1 ? text.length : all.ends[to]!;
  return mark(text, start, end, spans).trim();
}

function mark(text: string, start: number, end: number, spans: Word[]): string {
  let out = '';
  let at = start;
  for (const s of spans) {
    if (s.start < at || s.end > end) continue;
    out += `${text.slice(at, s.start)}${MARK_START}${text.slice(s.start, s.end)}${MARK_END}`;
    at = s.end;
  }
  return out + text.slice(at, end);
}
