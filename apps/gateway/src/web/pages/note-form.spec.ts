import { describe, expect, it } from 'vitest';
import { parseWith } from '@lateral/http';
import { hasConflictMarkers, noteFormFields, parseTags, readNoteForm } from './note-form.js';

describe('editor form', () => {
  it('parses tags: trimmed, deduplicated case-insensitively, no empties', () => {
    expect(parseTags(' ops, On-call ,ops,, #runbook ,OPS')).toEqual(['ops', 'On-call', 'runbook']);
  });

  it('normalizes CRLF from textareas and reads the version', () => {
    const { form, error } = readNoteForm({
      title: ' T ',
      body: 'a\r\nb',
      tags: 'x',
      version: '3',
      id: 'n1',
    });
    expect(error).toBeUndefined();
    expect(form).toEqual({ title: 'T', body: 'a\nb', tags: ['x'], version: 3, id: 'n1' });
  });

  it('keeps what was typed when the title is missing', () => {
    const { form, error } = readNoteForm({ title: '  ', body: 'keep me', tags: 'a' });
    expect(error).toBe('Give the page a title.');
    expect(form.body).toBe('keep me');
  });

  it('refuses NUL and control characters with a 400 and re-shows the text without them', () => {
    const { form, error, status } = readNoteForm({
      title: 'T\u0000itle',
      body: 'keep\u0000 me\u0007',
      tags: 'a',
    });
    expect(status).toBe(400);
    expect(error).toMatch(/control characters/);
    expect(form).toMatchObject({ title: 'Title', body: 'keep me', tags: ['a'] });
  });

  it('normalises a title: zero-width characters go, bidi overrides are refused', () => {
    expect(readNoteForm({ title: 'ad\u200bmin' }).form.title).toBe('admin');
    expect(readNoteForm({ title: 'abc\u202egnp.exe' }).status).toBe(400);
  });

  it('leaves input that is not a form of strings to the route pipe: 400 validation_failed', () => {
    expect(() => parseWith(noteFormFields, undefined)).toThrow(/expected object/i);
    expect(() => parseWith(noteFormFields, { title: ['a', 'b'] })).toThrow(/title/);
  });

  it('finds a conflict block (an opening and a later closing marker line), nothing less', () => {
    expect(hasConflictMarkers('a\n<<<<<<< mine\nx\n=======\ny\n>>>>>>> theirs\n')).toBe(true);
    expect(hasConflictMarkers('<<<<<<<\n>>>>>>>')).toBe(true);
    expect(hasConflictMarkers('Title\n=======\n')).toBe(false);
    expect(hasConflictMarkers('<<<<<<< only the opening\n')).toBe(false);
    // A closing marker before any opening one is no block; markers inside a line are text.
    expect(hasConflictMarkers('>>>>>>> x\n<<<<<<< y\n')).toBe(false);
    expect(hasConflictMarkers('see <<<<<<< and >>>>>>> in git docs')).toBe(false);
  });
});
