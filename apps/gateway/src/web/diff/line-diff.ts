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
}

const CONTEXT = 3;

function splitLines(value: string): string[] {
  const lines = value.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Word-level highlights for a removed line and the added line that replaced it. */
function pairWords(before: string, after: string): [DiffRow['parts'], DiffRow['parts']] {
  const oldParts: DiffRow['parts'] = [];
  const newParts: DiffRow['parts'] = [];
  for (const change of diffWordsWithSpace(before, after)) {
    if (!change.added) oldParts.push({ text: change.value, changed: change.removed });
    if (!change.removed) newParts.push({ text: change.value, changed: change.added });
  }
  return [oldParts, newParts];
}

/**
 * A unified line diff with word highlights inside replaced lines; long unchanged runs collapse
 * to a few lines of context so a one-word edit in a long page stays readable.
 */
export function computeLineDiff(before: string, after: string): LineDiff {
  const normalize = (s: string) => s.replace(/\r\n?/g, '\n');
  const changes = diffLines(normalize(before), normalize(after));
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
      lines.forEach((line, j) => {
        const paired = replacement[j];
        const parts =
          paired === undefined ? [{ text: line, changed: false }] : pairWords(line, paired)[0];
        rows.push({ kind: 'removed', oldLine: oldLine++, parts });
      });
      removed += lines.length;
      if (next?.added) {
        replacement.forEach((line, j) => {
          const paired = lines[j];
          const parts =
            paired === undefined ? [{ text: line, changed: false }] : pairWords(paired, line)[1];
          rows.push({ kind: 'added', newLine: newLine++, parts });
        });
        added += replacement.length;
        i++;
      }
    } else if (change.added) {
      for (const line of lines)
        rows.push({ kind: 'added', newLine: newLine++, parts: [{ text: line, changed: false }] });
      added += lines.length;
    } else {
      for (const line of lines) {
        rows.push({
          kind: 'same',
          oldLine: oldLine++,
          newLine: newLine++,
          parts: [{ text: line, changed: false }],
        });
      }
    }
  }
  return { rows: collapse(rows), added, removed };
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
  return html`<p class="diff-summary">
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
