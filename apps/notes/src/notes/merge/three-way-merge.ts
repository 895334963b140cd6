import { diffArrays } from 'diff';

/**
 * What one merge may cost. jsdiff (Myers) takes O(N·D) time for N lines and D edits; these keep
 * a merge of two page-sized texts on the event loop to a few milliseconds, as the gateway's
 * bounded line diff does. Past either limit the texts are "too different to merge": a conflict.
 */
export const MERGE_LIMITS = {
  /** Lines added plus removed per side (base → mine, base → theirs). */
  maxEditLines: 500,
  /** Wall-clock backstop per side for near-equal but very long texts. */
  timeoutMs: 100,
} as const;

export const MARKERS = { mine: '<<<<<<< mine', split: '=======', theirs: '>>>>>>> theirs' };

/** The body merged line by line: `conflicts` regions carry conflict markers in `text`. */
export interface TextMerge {
  text: string;
  conflicts: number;
}

/** One side's change: base lines [start, end) replaced by `lines`. */
interface Hunk {
  side: 'mine' | 'theirs';
  start: number;
  end: number;
  lines: string[];
}

/**
 * diff3 over lines: changes of mine and theirs to different lines of `base` are both applied
 * (neighbouring lines included); the same change on both sides is applied once; changes that
 * overlap, or an insertion touching the other side's change (where it goes is ambiguous), become
 * a conflict region `<<<<<<< mine / ======= / >>>>>>> theirs`. Texts too different to diff within
 * {@link MERGE_LIMITS} are one conflict spanning both whole texts.
 */
export function mergeText(
  base: string,
  mine: string,
  theirs: string,
  limits: { maxEditLines: number; timeoutMs: number } = MERGE_LIMITS,
): TextMerge {
  if (mine === theirs || theirs === base) return { text: mine, conflicts: 0 };
  if (mine === base) return { text: theirs, conflicts: 0 };
  const baseLines = base.split('\n');
  const mineLines = mine.split('\n');
  const theirLines = theirs.split('\n');
  const ours = hunks('mine', baseLines, mineLines, limits);
  const their = hunks('theirs', baseLines, theirLines, limits);
  if (!ours || !their) {
    return { text: conflictBlock(mineLines, theirLines).join('\n'), conflicts: 1 };
  }
  const all = [...ours, ...their].sort((a, b) => a.start - b.start || a.end - b.end);
  const out: string[] = [];
  let conflicts = 0;
  let at = 0;
  let i = 0;
  while (i < all.length) {
    // A group: hunks that overlap one another (transitively), from either side.
    const group = [all[i]!];
    let start = all[i]!.start;
    let end = all[i]!.end;
    i += 1;
    while (i < all.length && overlaps(start, end, all[i]!)) {
      group.push(all[i]!);
      start = Math.min(start, all[i]!.start);
      end = Math.max(end, all[i]!.end);
      i += 1;
    }
    out.push(...baseLines.slice(at, start));
    at = end;
    const mineHunks = group.filter((h) => h.side === 'mine');
    const theirHunks = group.filter((h) => h.side === 'theirs');
    const mineText = applyRange(baseLines, start, end, mineHunks);
    const theirText = applyRange(baseLines, start, end, theirHunks);
    if (theirHunks.length === 0) out.push(...mineText);
    else if (mineHunks.length === 0) out.push(...theirText);
    else if (sameLines(mineText, theirText)) out.push(...mineText);
    else {
      conflicts += 1;
      out.push(...conflictBlock(mineText, theirText));
    }
  }
  out.push(...baseLines.slice(at));
  return { text: out.join('\n'), conflicts };
}

/** A field (title, tags) merged as a whole: one side's change wins; two different changes conflict. */
export function mergeValue<T>(
  base: T,
  mine: T,
  theirs: T,
  equal: (a: T, b: T) => boolean,
): { value: T } | { conflict: true } {
  if (equal(mine, theirs) || equal(theirs, base)) return { value: mine };
  if (equal(mine, base)) return { value: theirs };
  return { conflict: true };
}

function overlaps(start: number, end: number, hunk: Hunk): boolean {
  if (hunk.start < end && start < hunk.end) return true;
  // An insertion (empty range) touching a change, or a change touching an insertion: which
  // comes first is a guess, so it is the person's call.
  const touching = hunk.start <= end && start <= hunk.end;
  return touching && (hunk.start === hunk.end || start === end);
}

function hunks(
  side: Hunk['side'],
  base: string[],
  other: string[],
  limits: { maxEditLines: number; timeoutMs: number },
): Hunk[] | undefined {
  const changes = diffArrays(base, other, {
    maxEditLength: limits.maxEditLines,
    timeout: limits.timeoutMs,
  });
  if (!changes) return undefined;
  const result: Hunk[] = [];
  let at = 0;
  let open: Hunk | undefined;
  for (const change of changes) {
    if (!change.added && !change.removed) {
      if (open) result.push(open);
      open = undefined;
      at += change.count ?? change.value.length;
      continue;
    }
    open ??= { side, start: at, end: at, lines: [] };
    if (change.removed) {
      at += change.value.length;
      open.end = at;
    } else {
      open.lines.push(...change.value);
    }
  }
  if (open) result.push(open);
  return result;
}

/** Base lines [start, end) with one side's hunks (all inside the range) applied. */
function applyRange(base: string[], start: number, end: number, side: Hunk[]): string[] {
  const out: string[] = [];
  let at = start;
  for (const hunk of side) {
    out.push(...base.slice(at, hunk.start), ...hunk.lines);
    at = hunk.end;
  }
  out.push(...base.slice(at, end));
  return out;
}

function sameLines(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((line, i) => line === b[i]);
}

function conflictBlock(mine: string[], theirs: string[]): string[] {
  return [MARKERS.mine, ...mine, MARKERS.split, ...theirs, MARKERS.theirs];
}
