import { describe, expect, it } from 'vitest';
import {
  COMMON_LEXEMES_MAX_AGE_MS,
  COMMON_LEXEMES_RETRY_MS,
  CommonLexemes,
} from './common-lexemes.js';
import { queryLexemes } from './headline.js';

/** CommonLexemes over a fixed list, with a clock the test moves. */
function lexemes(list: string[] | null) {
  const clock = { now: 0 };
  let reads = 0;
  let answer: () => Promise<string[] | null> = () => Promise.resolve(list);
  const common = new CommonLexemes(
    () => {
      reads++;
      return answer();
    },
    () => clock.now,
  );
  const rare = (tsquery: string) => common.isRare(tsquery, queryLexemes(tsquery));
  return {
    common,
    rare,
    clock,
    reads: () => reads,
    answerWith: (next: () => Promise<string[] | null>) => (answer = next),
  };
}

describe('CommonLexemes', () => {
  it('calls nothing rare until the statistics are read, then reads them once', async () => {
    const l = lexemes(['kubernet']);
    expect(l.rare("'zeppelin'")).toBe(false);
    expect(l.rare("'zeppelin'")).toBe(false);
    await l.common.refresh();
    expect(l.reads()).toBe(1);
    expect(l.rare("'zeppelin'")).toBe(true);
    expect(l.rare("'kubernet'")).toBe(false);
  });

  it('calls nothing rare when PostgreSQL has no statistics (never analyzed), and asks again sooner', async () => {
    const l = lexemes(null);
    await l.common.refresh();
    expect(l.rare("'zeppelin'")).toBe(false);
    l.answerWith(() => Promise.resolve(['kubernet']));
    l.clock.now = COMMON_LEXEMES_RETRY_MS - 1;
    l.rare("'zeppelin'");
    expect(l.reads()).toBe(1);
    l.clock.now = COMMON_LEXEMES_RETRY_MS;
    l.rare("'zeppelin'");
    await l.common.refresh();
    expect(l.reads()).toBe(2);
    expect(l.rare("'zeppelin'")).toBe(true);
  });

  it('reads a prefix as common when a common lexeme starts with it', async () => {
    const l = lexemes(['upgrad', 'kubernet', 'deploy']);
    await l.common.refresh();
    expect(l.rare("'kube':*")).toBe(false);
    expect(l.rare("'kubernet':*")).toBe(false);
    expect(l.rare("'kubernetes':*")).toBe(true);
    expect(l.rare("'zep':*")).toBe(true);
    expect(l.rare("'a':*")).toBe(true);
    expect(l.rare("'d':*")).toBe(false);
  });

  it('needs one rare lexeme of an AND or phrase, every one of an OR', async () => {
    const l = lexemes(['kubernet', 'upgrad']);
    await l.common.refresh();
    expect(l.rare("'kubernet' & 'zeppelin'")).toBe(true);
    expect(l.rare("'kubernet' <-> 'zeppelin'")).toBe(true);
    expect(l.rare("'kubernet' & 'upgrad'")).toBe(false);
    expect(l.rare("'kubernet' | 'zeppelin'")).toBe(false);
    expect(l.rare("'airship' | 'zeppelin'")).toBe(true);
    // A | inside a lexeme is not an OR; a negated lexeme is not one the query needs.
    expect(l.rare("'a|b' & 'kubernet'")).toBe(true);
    expect(l.rare("!'zeppelin' & 'kubernet'")).toBe(false);
    expect(l.rare("!'zeppelin'")).toBe(false);
    expect(l.rare('')).toBe(false);
  });

  it('reads again in the background once the statistics are old, and keeps them if that fails', async () => {
    const l = lexemes(['kubernet']);
    await l.common.refresh();
    l.clock.now = COMMON_LEXEMES_MAX_AGE_MS - 1;
    l.rare("'zeppelin'");
    expect(l.reads()).toBe(1);

    l.answerWith(() => Promise.reject(new Error('connection refused')));
    l.clock.now = COMMON_LEXEMES_MAX_AGE_MS;
    expect(l.rare("'zeppelin'")).toBe(true);
    await l.common.refresh();
    expect(l.reads()).toBe(2);
    expect(l.rare("'zeppelin'")).toBe(true);
    expect(l.rare("'kubernet'")).toBe(false);

    l.answerWith(() => Promise.resolve(['zeppelin']));
    l.clock.now = 3 * COMMON_LEXEMES_MAX_AGE_MS;
    l.rare("'zeppelin'");
    await l.common.refresh();
    expect(l.reads()).toBe(3);
    expect(l.rare("'zeppelin'")).toBe(false);
    expect(l.rare("'kubernet'")).toBe(true);
  });
});
