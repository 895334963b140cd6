import { describe, expect, it } from 'vitest';
import { computeLineDiff, renderLineDiff } from './line-diff.js';

describe('line diff', () => {
  it('marks added and removed lines with line numbers', () => {
    const diff = computeLineDiff('a\nb\nc\n', 'a\nc\nd\n');
    expect(diff.added).toBe(1);
    expect(diff.removed).toBe(1);
    expect(
      diff.rows.map((r) => [r.kind, r.oldLine, r.newLine, r.parts.map((p) => p.text).join('')]),
    ).toEqual([
      ['same', 1, 1, 'a'],
      ['removed', 2, undefined, 'b'],
      ['same', 3, 2, 'c'],
      ['added', undefined, 3, 'd'],
    ]);
  });

  it('highlights the changed words inside a replaced line', () => {
    const diff = computeLineDiff('the quick fox\n', 'the slow fox\n');
    const removed = diff.rows.find((r) => r.kind === 'removed')!;
    const added = diff.rows.find((r) => r.kind === 'added')!;
    expect(removed.parts.filter((p) => p.changed).map((p) => p.text)).toEqual(['quick']);
    expect(added.parts.filter((p) => p.changed).map((p) => p.text)).toEqual(['slow']);
  });

  it('collapses long unchanged runs to three lines of context', () => {
    const before = Array.from({ length: 40 }, (_, i) => `line ${i}`).join('\n');
    const after = before.replace('line 20', 'line twenty');
    const diff = computeLineDiff(before, after);
    expect(diff.rows.filter((r) => r.kind === 'skip').map((r) => r.parts[0]!.text)).toEqual([
      '17 unchanged lines',
      '16 unchanged lines',
    ]);
    expect(diff.rows.filter((r) => r.kind === 'same')).toHaveLength(6);
  });

  it('treats CRLF and LF alike and says when nothing changed', () => {
    const diff = computeLineDiff('a\r\nb', 'a\nb');
    expect(diff.added + diff.removed).toBe(0);
    expect(diff.rows).toEqual([{ kind: 'skip', parts: [{ text: 'No changes', changed: false }] }]);
  });

  it('escapes page text in the rendered table', () => {
    const out = renderLineDiff(computeLineDiff('<b>\n', '<script>x</script>\n'), {
      before: 'v1',
      after: 'v2',
    }).toString();
    expect(out).toContain('&lt;');
    expect(out).not.toMatch(/<script|<b>/);
    expect(out).toContain('<tr class="diff-added">');
    expect(out.replace(/\s+/g, ' ')).toContain(
      '−1</span> <span class="diff-added-count">+1</span> lines, v1 → v2',
    );
  });
});

/** Deterministic "random words" (an LCG), `wordsPerLine` to a line (0: one long line). */
function randomWords(chars: number, seed: number, wordsPerLine: number): string {
  let x = seed;
  const out: string[] = [];
  let length = 0;
  for (let i = 0; length < chars; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    const word = x.toString(36).slice(0, 3 + (x % 6));
    const sep = wordsPerLine && i % wordsPerLine === wordsPerLine - 1 ? '\n' : ' ';
    out.push(word, sep);
    length += word.length + 1;
  }
  return out.join('');
}

function timed<T>(work: () => T): { ms: number; result: T } {
  const start = performance.now();
  const result = work();
  return { ms: performance.now() - start, result };
}

/** The fastest of three runs: the machine is shared, the minimum is the least noisy figure. */
function fastest(work: () => unknown): number {
  return Math.min(...[0, 1, 2].map(() => timed(work).ms));
}

// Issue #10 finding 1: two 17 KB revisions of different words took 12 s to render.
describe('line diff on hostile input', () => {
  it('gives up comparing two unrelated 50 KB texts line by line, and says so', () => {
    const before = randomWords(50_000, 1, 1);
    const after = randomWords(50_000, 2, 1);
    const { ms, result: diff } = timed(() => computeLineDiff(before, after));
    expect(ms).toBeLessThan(2_000);
    expect(diff.coarse).toBe(true);
    // Nothing is hidden: every old line is shown removed and every new line added.
    expect(diff.removed).toBe(before.split('\n').length - 1);
    expect(diff.added).toBe(after.split('\n').length - 1);
    const out = renderLineDiff(diff, { before: 'v1', after: 'v2' }).toString();
    expect(out).toContain('This diff is too large to compare line by line');
  }, 30_000);

  it('keeps the lines both texts share around a coarse block', () => {
    const middle = (seed: number) => randomWords(30_000, seed, 1);
    const diff = computeLineDiff(`intro\n${middle(1)}outro\n`, `intro\n${middle(2)}outro\n`);
    expect(diff.coarse).toBe(true);
    const same = diff.rows.filter((r) => r.kind === 'same').map((r) => r.parts[0]!.text);
    expect(same).toEqual(['intro', 'outro']);
  }, 30_000);

  it('takes time linear in the size of unrelated texts', () => {
    const texts = (chars: number): [string, string] => [
      randomWords(chars, 3, 4),
      randomWords(chars, 4, 4),
    ];
    const [a1, b1] = texts(17_000);
    const [a2, b2] = texts(34_000);
    computeLineDiff(a1, b1); // warm-up (JIT)
    const small = fastest(() => computeLineDiff(a1, b1));
    const large = fastest(() => computeLineDiff(a2, b2));
    expect(large).toBeLessThanOrEqual(3 * small + 50);
  }, 60_000);

  it('skips word highlights inside one 17 KB line instead of comparing it word by word', () => {
    const { ms, result: diff } = timed(() =>
      computeLineDiff(randomWords(17_000, 5, 0), randomWords(17_000, 6, 0)),
    );
    expect(ms).toBeLessThan(1_000);
    expect(diff.added).toBe(1);
    expect(diff.removed).toBe(1);
    expect(diff.rows.flatMap((r) => r.parts).some((p) => p.changed)).toBe(false);
  }, 30_000);

  it('still highlights changed words in a long page with scattered edits', () => {
    const lines = Array.from({ length: 4_000 }, (_, i) => `line ${i} says hello`);
    const after = lines.map((line, i) => (i % 40 === 0 ? line.replace('hello', 'goodbye') : line));
    const { ms, result: diff } = timed(() => computeLineDiff(lines.join('\n'), after.join('\n')));
    expect(ms).toBeLessThan(2_000);
    expect(diff.coarse).toBe(false);
    const removed = diff.rows.filter((r) => r.kind === 'removed');
    expect(removed).toHaveLength(100);
    expect(removed.every((r) => r.parts.some((p) => p.changed && p.text === 'hello'))).toBe(true);
  }, 30_000);
});
