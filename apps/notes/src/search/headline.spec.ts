import { describe, expect, it } from 'vitest';
import {
  MAX_WORDS,
  TermFinder,
  fold,
  highlightAll,
  isQueryTerm,
  queryLexemes,
  snippet,
  words,
  type Word,
} from './headline.js';
import { MARK_END, MARK_START, toSnippetHtml } from './snippet.js';

const html = (marked: string) => toSnippetHtml(marked);
/** Hits as the repository makes them: candidate words whose (given) lexemes are query terms. */
function hitsIn(text: string, tsquery: string, lexemesOf: Record<string, string[]>): Word[] {
  const lexemes = queryLexemes(tsquery);
  return new TermFinder(lexemes)
    .find(text)
    .filter((w) => isQueryTerm(lexemesOf[w.text] ?? [], lexemes));
}

describe('queryLexemes', () => {
  it('reads the positive lexemes of a printed tsquery, prefixes and quotes included', () => {
    expect(queryLexemes(`'servic':* & 'it''s' <-> 'deploy' & !'old' | 'x':*AB`)).toEqual([
      { lexeme: 'servic', prefix: true },
      { lexeme: "it's", prefix: false },
      { lexeme: 'deploy', prefix: false },
      { lexeme: 'x', prefix: true },
    ]);
    expect(queryLexemes('')).toEqual([]);
  });
});

describe('TermFinder', () => {
  it('finds words that start like a lexeme, whatever their case or accents', () => {
    const finder = new TermFinder(queryLexemes(`'cafe' & 'deploy'`));
    const text = 'Deploys at the Café, then CAFE time; redeploy is not a start.';
    expect(finder.find(text).map((w) => w.text)).toEqual(['Deploys', 'Café', 'CAFE']);
  });

  it('finds "happy" for the stem happi, and compounds only when the query has one', () => {
    expect(new TermFinder(queryLexemes(`'happi'`)).find('so happy').map((w) => w.text)).toEqual([
      'happy',
    ]);
    const parts = new TermFinder(queryLexemes(`'servic'`));
    expect(parts.find('a service-mesh').map((w) => w.text)).toEqual(['service']);
    const whole = new TermFinder(queryLexemes(`'grafana.example.com'`));
    expect(whole.find('see grafana.example.com now').map((w) => w.text)).toEqual([
      'grafana.example.com',
    ]);
  });

  it('takes regular-expression characters in lexemes literally', () => {
    const finder = new TermFinder(queryLexemes(`'a.b' & '(x' & '[y]'`));
    expect(finder.find('axb a.b').map((w) => w.text)).toEqual(['a.b']);
  });

  it('finds a word in a long text of another script', () => {
    const text = 'слово '.repeat(3500) + 'кафе';
    // Only words starting with the lexeme's first letter are folded and compared.
    const found = new TermFinder(queryLexemes(`'кафе'`)).find(text);
    expect(found.map((w) => w.text)).toEqual(['кафе']);
  });
});

describe('words', () => {
  it('cuts letters and digits of any script, marking words outside ASCII', () => {
    const text = 'Café au lait, v2 — 東京!';
    const all = words(text);
    const list = Array.from({ length: all.count }, (_, i) =>
      text.slice(all.starts[i], all.ends[i]),
    );
    expect(list).toEqual(['Café', 'au', 'lait', 'v2', '東京']);
    expect(Array.from(all.wide.slice(0, all.count))).toEqual([1, 0, 0, 0, 1]);
  });
});

describe('fold', () => {
  it('drops accents and folds letters NFKD leaves alone', () => {
    expect(fold('Crème Brûlée Ørsted Straße')).toBe('creme brulee orsted strasse');
  });
});

describe('snippet', () => {
  const text = Array.from({ length: 60 }, (_, i) => `w${i}`).join(' ') + '.';

  it('shows MAX_WORDS words around the hit, marked', () => {
    const marked = snippet(text, hitsIn(text, `'w40'`, { w40: ['w40'] }), () => 'w40');
    const shown = marked.split(' ');
    expect(shown).toHaveLength(MAX_WORDS);
    expect(marked).toContain(`${MARK_START}w40${MARK_END}`);
    expect(shown[0]).toBe('w26');
  });

  it('gives the words the end lacks to the start, and keeps the final punctuation', () => {
    const marked = snippet(text, hitsIn(text, `'w59'`, { w59: ['w59'] }), () => 'w59');
    expect(marked.split(' ')).toHaveLength(MAX_WORDS);
    expect(marked.endsWith(`${MARK_START}w59${MARK_END}.`)).toBe(true);
  });

  it('prefers a run with more distinct terms over the first hit', () => {
    const body = `deploy ${'x '.repeat(40)}cluster then deploy again`;
    const lexemesOf = { deploy: ['deploy'], cluster: ['cluster'] };
    const hits = hitsIn(body, `'deploy' & 'cluster'`, lexemesOf);
    const marked = snippet(body, hits, (w) => lexemesOf[w as keyof typeof lexemesOf][0]!);
    expect(html(marked)).toContain('<mark>cluster</mark> then <mark>deploy</mark> again');
  });

  it('shows the start of the text when nothing in it is a hit', () => {
    expect(snippet('Promote the replica, then repoint.', [], () => '')).toBe(
      'Promote the replica, then repoint.',
    );
    expect(snippet(text, [], () => '').split(' ')).toHaveLength(12);
  });

  it('marks only what the index matched: a word stemming elsewhere stays plain', () => {
    const body = 'deployment deploys deploy';
    const hits = hitsIn(body, `'deploy'`, { deploys: ['deploy'], deploy: ['deploy'] });
    expect(html(snippet(body, hits, () => 'deploy'))).toBe(
      'deployment <mark>deploys</mark> <mark>deploy</mark>',
    );
  });

  it('shows MAX_WORDS marked words of a text made of hits', () => {
    const many = 'kube '.repeat(5000);
    const hits = hitsIn(many, `'kube'`, { kube: ['kube'] });
    expect(hits).toHaveLength(5000);
    expect(snippet(many, hits, () => 'kube').split(MARK_START)).toHaveLength(MAX_WORDS + 1);
  });
});

describe('highlightAll', () => {
  it('marks every hit of a title', () => {
    const title = 'Postgres Failover and failover drills';
    const hits = hitsIn(title, `'failov'`, { Failover: ['failov'], failover: ['failov'] });
    expect(html(highlightAll(title, hits))).toBe(
      'Postgres <mark>Failover</mark> and <mark>failover</mark> drills',
    );
  });
});
