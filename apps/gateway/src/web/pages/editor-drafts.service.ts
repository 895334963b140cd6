import { Injectable } from '@nestjs/common';
import { type Draft, type Note } from '@lateral/contracts';
import { partialView, type View } from '../render/view.js';
import { notePath } from '../components/components.js';
import { clockTime, draftStatus, type DraftNotice } from './editor.view.js';
import { readNoteForm, type NoteForm, type NoteFormFields } from './note-form.js';
import { NotesClient, UpstreamResponseError } from '../platform.js';

/** The editor's drafts in notes: autosave, the offer to restore, discard. */
@Injectable()
export class EditorDraftsService {
  constructor(private readonly notes: NotesClient) {}

  /** Autosave: the person's text as their draft; answers the editor's small status line. */
  async save(slug: string | null, input: NoteFormFields): Promise<View> {
    const { form } = readNoteForm(input);
    try {
      const note = slug === null ? undefined : await this.notes.getNote(slug);
      const id = note?.id ?? null;
      // Hiding the tab autosaves too, typed or not: text equal to what is saved (or an empty new
      // page) is no draft, and one left from earlier typing that was undone goes.
      if (note ? sameText(form, note) : !form.title && !form.body.trim()) {
        await this.notes.deleteDraft(id);
        return partialView(draftStatus(''));
      }
      const draft = await this.notes.saveDraft(id, {
        title: form.title,
        body: form.body,
        tags: form.tags,
        baseVersion: note ? (form.version ?? note.version) : null,
      });
      return partialView(draftStatus(`Draft saved ${clockTime(new Date(draft.updatedAt))}`));
    } catch (error) {
      // The person saved this page after the autosave was sent (notes refuses the late draft):
      // the text is saved, so there is nothing to say.
      if (error instanceof UpstreamResponseError && error.upstreamCode === 'draft_stale') {
        return partialView(draftStatus(''));
      }
      // An autosave that fails is only a status: the text is still in the form.
      return partialView(draftStatus('Draft not saved', true));
    }
  }

  /** Drops the person's draft; answers where to go (the editor, now without the offer). */
  async discard(slug: string | null): Promise<string> {
    if (slug === null) {
      await this.notes.deleteDraft(null);
      return '/new';
    }
    const note = await this.notes.getNote(slug);
    await this.notes.deleteDraft(note.id);
    return `${notePath(note.slug)}/edit`;
  }

  /** A draft is a nicety: when notes cannot say, the editor opens without the offer. */
  async find(id: string | null): Promise<Draft | undefined> {
    return this.notes.getDraft(id).catch(() => undefined);
  }
}

export function draftNotice(
  draft: Draft,
  editorPath: string,
  restored: boolean,
  currentVersion?: number,
): DraftNotice {
  const base = draft.baseVersion;
  const isNew = draft.noteId === null;
  return {
    restored,
    savedAt: new Date(draft.updatedAt),
    restoreHref: `${editorPath}${editorPath.includes('?') ? '&' : '?'}draft=restore`,
    discardAction: isNew ? '/new/draft/discard' : editorPath.replace(/\/edit$/, '/draft/discard'),
    changedSince:
      base !== null && currentVersion !== undefined && base !== currentVersion
        ? { from: base, to: currentVersion }
        : undefined,
  };
}

/** The form holds exactly the page as saved at the version it was opened at. */
function sameText(form: NoteForm, note: Note): boolean {
  return (
    form.version === note.version &&
    form.title === note.title &&
    form.body === note.body &&
    form.tags.join('\n') === (note.tags ?? []).join('\n')
  );
}
