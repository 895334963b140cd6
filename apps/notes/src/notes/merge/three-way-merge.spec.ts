import { describe, expect, it } from 'vitest';
import { mergeText, mergeValue } from './three-way-merge.js';

const lines = (...l: string[]) => l.join('\n');
const base = lines('# Deploy', 'one', 'two', 'three', 'four', 'five');
const sameTags = (a: string[], b: string[]) => a.join('\n') === b.join('\n');

describe('mergeText', () => {
  it('applies both sides when they changed different lines', () => {
    const mine = lines('# Deploy', 'ONE', 'two', 'three', 'four', 'five');
    const theirs = lines('# Deploy', 'one', 'two', 'three', 'four', 'FIVE', 'six');
    expect(mergeText(base, mine, theirs)).toEqual({
      text: lines('# Deploy', 'ONE', 'two', 'three', 'four', 'FIVE', 'six'),
      conflicts: 0,
    });
  });

  it('merges changes to neighbouring lines', () => {
    const mine = lines('# Deploy', 'one', 'TWO', 'three', 'four', 'five');
    const theirs = lines('# Deploy', 'one', 'two', 'THREE', 'four', 'five');
    expect(mergeText(base, mine, theirs)).toEqual({
      text: lines('# Deploy', 'one', 'TWO', 'THREE', 'four', 'five'),
      conflicts: 0,
    });
  });

  it('marks overlapping changes as a conflict, mine first', () => {
    const mine = lines('# Deploy', 'one', 'two (mine)', 'three', 'four', 'five');
    const theirs = lines('# Deploy', 'one', 'two (theirs)', 'three', 'four', 'FIVE');
    expect(mergeText(base, mine, theirs)).toEqual({
      text: lines(
        '# Deploy',
        'one',
        '<<<<<<< mine',
        'two (mine)',
        '=======',
        'two (theirs)',
        '>>>>>>> theirs',
        'three',
        'four',
        'FIVE',
      ),
      conflicts: 1,
    });
  });

  it('takes an identical change once', () => {
    const both = lines('# Deploy', 'one', 'two!', 'three', 'four', 'five');
    const theirs = lines('# Deploy', 'one', 'two!', 'three', 'four', 'five', 'six');
    expect(mergeText(base, both, theirs)).toEqual({ text: theirs, conflicts: 0 });
  });

  it('treats two insertions at the same place as a conflict (the order is a guess)', () => {
    const mine = lines('# Deploy', 'one', 'mine', 'two', 'three', 'four', 'five');
    const theirs = lines('# Deploy', 'one', 'theirs', 'two', 'three', 'four', 'five');
    expect(mergeText(base, mine, theirs).conflicts).toBe(1);
  });

  it('keeps a side that changed nothing out of the way, and deletions merge too', () => {
    expect(mergeText(base, base, 'x')).toEqual({ text: 'x', conflicts: 0 });
    const mine = lines('# Deploy', 'two', 'three', 'four', 'five');
    const theirs = lines('# Deploy', 'one', 'two', 'three', 'five');
    expect(mergeText(base, mine, theirs)).toEqual({
      text: lines('# Deploy', 'two', 'three', 'five'),
      conflicts: 0,
    });
  });

  it('answers texts too different to merge within the limits as one whole conflict', () => {
    const big = (tag: string) => Array.from({ length: 50 }, (_, i) => `${tag} ${i}`).join('\n');
    const result = mergeText(big('base'), big('mine'), big('theirs'), {
      maxEditLines: 20,
      timeoutMs: 100,
    });
    expect(result.conflicts).toBe(1);
    expect(result.text.startsWith('<<<<<<< mine\nmine 0\n')).toBe(true);
    expect(result.text).toContain('=======\ntheirs 0\n');
    expect(result.text.endsWith('theirs 49\n>>>>>>> theirs')).toBe(true);
  });
});

describe('mergeValue (title, tags)', () => {
  const eq = (a: string, b: string) => a === b;
  it('takes mine when only I changed it, theirs when only they did', () => {
    expect(mergeValue('Deploy', 'Deploy guide', 'Deploy', eq)).toEqual({ value: 'Deploy guide' });
    expect(mergeValue('Deploy', 'Deploy', 'Shipping', eq)).toEqual({ value: 'Shipping' });
    expect(mergeValue(['ops'], ['ops'], ['ops', 'ci'], sameTags)).toEqual({ value: ['ops', 'ci'] });
  });
  it('conflicts when both changed it differently, not when both made the same change', () => {
    expect(mergeValue('Deploy', 'A', 'B', eq)).toEqual({ conflict: true });
    expect(mergeValue('Deploy', 'A', 'A', eq)).toEqual({ value: 'A' });
  });
});
