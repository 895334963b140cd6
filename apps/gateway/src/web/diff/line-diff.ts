import { diffLines, diffWordsWithSpace } from 'diff';
import { html, type SafeHtml } from '../html.js';

export interface DiffRow {
  kind: 'same' | 'added' | 'removed' | 'skip';
  oldLine?: number;
  newLine?: number;
  /** Pieces of the line; `changed` marks words that differ from the paired line. */
  parts: { text: string; changed: boolean }[];
}

export interface LineDiff {
  rows: DiffRow[];
  added: number;
  removed: number;
  /**
   * The texts differ too much to compare line by line within the limits: the rows show the
   * lines both share at the start and end, and everything between as removed then added.
   */
  coarse: boolean;
}

/**
 * What one diff may cost. jsdiff (Myers) takes O(N·D) time for N tokens and D edits, so two
 * unrelated 17 KB texts took seconds; every limit below keeps D (or N) small.
 */
export interface DiffLimits {
  /** Lines added plus removed that jsdiff may explore before the diff turns coarse. */
  maxEditLines: number;
  /** Wall-clock backstop for the line diff (near-equal but very long texts). */
  timeoutMs: number;
  /** Longer lines are shown without word highlights. */
  maxWordDiffLineLength: number;
  /** Words and spaces changed within one line pair before its highlights are left out. */
  maxWordEdits: number;
  /** Characters compared word by word over the whole diff; later pairs get no highlights. */
  wordDiffBudgetChars: number;
}

export const DIFF_LIMITS: Readonly<DiffLimits> = {
  // Unrelated texts reach the limit at ~60–100 ms on the 2 shared cores measured (D² work);
  // 1,000 took 200–330 ms.
  maxEditLines: 500,
  timeoutMs: 250,
  maxWordDiffLineLength: 1_000,
  maxWordEdits: 100,
  wordDiffBudgetChars: 100_000,
};

const CONTEXT = 3;

function splitLines(value: string): string[] {
  const lines = value.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

const plain = (text: string): DiffRow['parts'] => [{ text, changed: false }];

/** Word highlights for replaced lines, within the per-line and whole-diff limits. */
class WordHighlighter {
  private budget: number;

  constructor(private readonly limits: DiffLimits) {
    this.budget = limits.wordDiffBudgetChars;
  }

  /** Highlights for a removed line and the added line that replaced it; plain when over a limit. */
  pair(before: string, after: string): [DiffRow['parts'], DiffRow['parts']] {
    const cost = before.length + after.length;
    const { maxWordDiffLineLength: maxLength } = this.limits;
    if (before.length > maxLength || after.length > maxLength || cost > this.budget)
      return [plain(before), plain(after)];
    this.budget -= cost;
    const changes = diffWordsWithSpace(before, after, { maxEditLength: this.limits.maxWordEdits });
    if (!changes) return [plain(before), plain(after)];
    const oldParts: DiffRow['parts'] = [];
    const newParts: DiffRow['parts'] = [];
    for (const change of changes) {
      if (!change.added) oldParts.push({ text: change.value, changed: change.removed });
      if (!change.removed) newParts.push({ text: change.value, changed: change.added });
    }
    return [oldParts, newParts];
  }
}

/**
 * A unified line diff with word highlights inside replaced lines; long unchanged runs collapse
 * to a few lines of context so a one-word edit in a long page stays readable. Past the
 * {@link DiffLimits} it turns coarse (see {@link LineDiff.coarse}) instead of running for seconds.
 */
export function computeLineDiff(
  before: string,
  after: string,
  limits: DiffLimits = DIFF_LIMITS,
): LineDiff {
  const normalize = (s: string) => s.replace(/\r\n?/g, '\n');
  const oldText = normalize(before);
  const newText = normalize(after);
  const changes = diffLines(oldText, newText, {
    maxEditLength: limits.maxEditLines,
    timeout: limits.timeoutMs,
  });
  if (!changes) return coarseDiff(splitLines(oldText), splitLines(newText));
  const words = new WordHighlighter(limits);
  const rows: DiffRow[] = [];
  let oldLine = 1;
  let newLine = 1;
  let added = 0;
  let removed = 0;
  for (let i = 0; i < changes.length; i++) {
    const change = changes[i]!;
    const lines = splitLines(change.value);
    if (change.removed) {
      const next = changes[i + 1];
      const replacement = next?.added ? splitLines(next.value) : [];
      const pairs = lines
        .slice(0, replacement.length)
        .map((line, j) => words.pair(line, replacement[j]!));
      lines.forEach((line, j) => {
        rows.push({ kind: 'removed', oldLine: oldLine++, parts: pairs[j]?.[0] ?? plain(line) });
      });
      removed += lines.length;
      if (next?.added) {
        replacement.forEach((line, j) => {
          rows.push({ kind: 'added', newLine: newLine++, parts: pairs[j]?.[1] ?? plain(line) });
        });
        added += replacement.length;
        i++;
      }
    } else if (change.added) {
      for (const line of lines)
        rows.push({ kind: 'added', newLine: newLine++, parts: plain(line) });
      added += lines.length;
    } else {
      for (const line of lines)
        rows.push({ kind: 'same', oldLine: oldLine++, newLine: newLine++, parts: plain(line) });
    }
  }
  return { rows: collapse(rows), added, removed, coarse: false };
}

/**
 * The fallback past the limits, linear in the text: the lines both texts share at the start
 * and at the end stay as context, the block between is shown removed, then added.
 */
function coarseDiff(oldLines: string[], newLines: string[]): LineDiff {
  let head = 0;
  const shortest = Math.min(oldLines.length, newLines.length);
  while (head < shortest && oldLines[head] === newLines[head]) head++;
  let tail = 0;
  while (
    tail < shortest - head &&
    oldLines[oldLines.length - 1 - tail] === newLines[newLines.length - 1 - tail]
  )
    tail++;
  const rows: DiffRow[] = [];
  const same = (from: number, to: number, newStart: number) => {
    for (let i = from; i < to; i++)
      rows.push({
        kind: 'same',
        oldLine: i + 1,
        newLine: newStart + i - from + 1,
        parts: plain(oldLines[i]!),
      });
  };
  same(0, head, 0);
  for (let i = head; i < oldLines.length - tail; i++)
    rows.push({ kind: 'removed', oldLine: i + 1, parts: plain(oldLines[i]!) });
  for (let i = head; i < newLines.length - tail; i++)
    rows.push({ kind: 'added', newLine: i + 1, parts: plain(newLines[i]!) });
  same(oldLines.length - tail, oldLines.length, newLines.length - tail);
  return {
    rows: collapse(rows),
    added: newLines.length - tail - head,
    removed: oldLines.length - tail - head,
    coarse: true,
  };
}

function collapse(rows: DiffRow[]): DiffRow[] {
  const keep = rows.map((row) => row.kind !== 'same');
  rows.forEach((row, i) => {
    if (row.kind === 'same') return;
    for (let d = -CONTEXT; d <= CONTEXT; d++) if (rows[i + d]) keep[i + d] = true;
  });
  const out: DiffRow[] = [];
  let skipped = 0;
  rows.forEach((row, i) => {
    if (keep[i]) {
      if (skipped)
        out.push({ kind: 'skip', parts: [{ text: `${skipped} unchanged lines`, changed: false }] });
      skipped = 0;
      out.push(row);
    } else skipped++;
  });
  if (skipped && out.length)
    out.push({ kind: 'skip', parts: [{ text: `${skipped} unchanged lines`, changed: false }] });
  if (skipped && !out.length)
    out.push({ kind: 'skip', parts: [{ text: 'No changes', changed: false }] });
  return out;
}

const MARKERS: Record<DiffRow['kind'], string> = { same: ' ', added: '+', removed: '−', skip: '⋯' };

/** Renders a diff as a table; additions and removals carry text markers, not only colour. */
export function renderLineDiff(
  diff: LineDiff,
  labels: { before: string; after: string },
): SafeHtml {
  const rows = diff.rows.map((row) => {
    const text = row.parts.map((part) =>
      part.changed
        ? row.kind === 'added'
          ? html`<ins>${part.text}</ins>`
          : html`<del>${part.text}</del>`
        : part.text,
    );
    return html`<tr class="diff-${row.kind}">
      <td class="ln">${row.oldLine}</td>
      <td class="ln">${row.newLine}</td>
      <td class="mark" aria-hidden="true">${MARKERS[row.kind]}</td>
      <td class="code">${text}</td>
    </tr>`;
  });
  const notice = diff.coarse
    ? html`<p class="alert warning diff-coarse">
        This diff is too large to compare line by line; showing a simplified comparison.
      </p>`
    : '';
  return html`${notice}
    <p class="diff-summary">
      <span class="diff-removed-count">−${diff.removed}</span>
      <span class="diff-added-count">+${diff.added}</span> lines, ${labels.before} → ${labels.after}
    </p>
    <div class="diff-scroll">
      <table class="diff">
        <caption class="visually-hidden">
          Changes from ${labels.before} to ${labels.after}
        </caption>
        <tbody>
          ${rows}
        </tbody>
      </table>
    </div>`;
}
