/**
 * How a search box's text becomes a tsquery. `websearch_to_tsquery` takes the words, quotes,
 * `or` and `-` as people type them; the last word, while it is still being typed, also matches
 * as a prefix (`kube` finds "Kubernetes"), which websearch syntax cannot express. So the last
 * word is split off, reduced to letters and digits (it reaches `to_tsquery` as a bare lexeme with
 * `:*`, so no operator can be smuggled in), and ANDed with the rest in SQL.
 */
export interface SearchQueryParts {
  /** Text for `websearch_to_tsquery` (may be empty). */
  websearch: string;
  /** The last word, for `to_tsquery(word || ':*')`, or null when it should match whole. */
  prefix: string | null;
}

/** Longest query text accepted; longer input is a paste accident, not a search. */
export const MAX_QUERY_LENGTH = 256;

export function buildSearchQuery(input: string): SearchQueryParts {
  const text = input.normalize('NFC').replace(/\s+/g, ' ').trimStart();
  // A trailing space or closing quote means the last word is finished.
  if (text === '' || /[\s"]$/.test(text)) return { websearch: text.trim(), prefix: null };
  const quotes = (text.match(/"/g) ?? []).length;
  if (quotes % 2 === 1) return { websearch: text, prefix: null };

  const lastSpace = text.lastIndexOf(' ');
  const head = text.slice(0, lastSpace + 1);
  const last = text.slice(lastSpace + 1);
  // `-word` excludes a word and `or` is an operator: neither is a prefix to complete.
  if (last.startsWith('-') || /^or$/i.test(last)) return { websearch: text, prefix: null };

  const pieces = last.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  const prefix = pieces.pop();
  if (!prefix) return { websearch: text.trim(), prefix: null };
  return { websearch: `${head}${pieces.join(' ')}`.trim(), prefix: prefix.toLowerCase() };
}

/** Words of a query that a "did you mean" may correct: plain letters, at least three. */
export function suggestibleWords(input: string): string[] {
  return input
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => /^\p{L}{3,40}$/u.test(w))
    .slice(0, 8);
}
