import { describe, expect, it } from 'vitest';
import { buildSearchQuery, suggestibleWords } from './search-query.js';

describe('buildSearchQuery', () => {
  it('splits the last word off as a prefix', () => {
    expect(buildSearchQuery('deploy kube')).toEqual({ websearch: 'deploy', prefix: 'kube' });
    expect(buildSearchQuery('Kube')).toEqual({ websearch: '', prefix: 'kube' });
  });

  it('treats a trailing space or closing quote as a finished word', () => {
    expect(buildSearchQuery('deploy kube ')).toEqual({ websearch: 'deploy kube', prefix: null });
    expect(buildSearchQuery('"blue green"')).toEqual({ websearch: '"blue green"', prefix: null });
    expect(buildSearchQuery('"blue gre')).toEqual({ websearch: '"blue gre', prefix: null });
  });

  it('does not complete exclusions or the or operator', () => {
    expect(buildSearchQuery('cats -dogs')).toEqual({ websearch: 'cats -dogs', prefix: null });
    expect(buildSearchQuery('cats or')).toEqual({ websearch: 'cats or', prefix: null });
  });

  it('reduces the prefix to letters and digits so no tsquery operator gets through', () => {
    expect(buildSearchQuery("x'):*|!&(y")).toEqual({ websearch: 'x', prefix: 'y' });
    expect(buildSearchQuery('robert); drop table notes;--')).toEqual({
      websearch: 'robert); drop table',
      prefix: 'notes',
    });
    expect(buildSearchQuery('a !!!')).toEqual({ websearch: 'a !!!', prefix: null });
  });

  it('keeps accented letters in the prefix (unaccent happens in SQL)', () => {
    expect(buildSearchQuery('Caf\u00e9')).toEqual({ websearch: '', prefix: 'café' });
  });
});

describe('suggestibleWords', () => {
  it('keeps plain words of three letters or more, folded and lower case', () => {
    expect(suggestibleWords('Kubernets on AWS, v2 Déploy a')).toEqual([
      'kubernets',
      'aws',
      'deploy',
    ]);
  });
});
