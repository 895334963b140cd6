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
