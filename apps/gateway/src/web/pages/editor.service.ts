import { Injectable } from '@nestjs/common';
import { type Note, type SavedNote, type Space } from '@lateral/contracts';
import { isDomainException } from '@lateral/http';
import { partialView, type View } from '../render/view.js';
import { ViewResponse } from '../render/view-response.js';
import { TextWorkService } from '../text-work/text-work.service.js';
import { Clock } from '@lateral/observability';
import { editorName, optionalDate } from '../view-models/note-fields.js';
import { WikiRenderService } from '../wiki-render/wiki-render.service.js';
import { notePath } from '../components/components.js';
import { spacePath } from '../components/sidebar.js';
import { conflictView, editorView, type EditorModel } from './editor.view.js';
import { EditorDraftsService, draftNotice } from './editor-drafts.service.js';
import {
  hasConflictMarkers,
  readNoteForm,
  type NoteForm,
  type NoteFormFields,
} from './note-form.js';
import { GatewayException, UpstreamResponseError, NotesClient } from '../platform.js';

/** New pages, editing, saving (conflicts included), live preview and moving to the trash. */
@Injectable()
export class EditorService {
  constructor(
    private readonly notes: NotesClient,
    private readonly renderer: WikiRenderService,
    private readonly clock: Clock,
    private readonly text: TextWorkService,
    private readonly drafts: EditorDraftsService,
  ) {}

  /**
   * The editor for a new page; `place`: "New page here" in a space (under a parent), whose form
   * posts to that space's URL so the first save creates the page there. `restore`: the person
   * chose "Restore draft"; else a draft is only offered.
   */
  async newPage(
    title: string | undefined,
    csrfToken: string,
    restore = false,
    place?: NewPageTarget,
  ): Promise<View> {
    const draft = await this.drafts.find(null);
    const form: NoteForm =
      restore && draft
        ? { ...draft, version: undefined, id: undefined }
        : {
            title: (title ?? '').slice(0, 200),
            body: '',
            tags: [],
            version: undefined,
            id: undefined,
          };
    const model = await this.model('new', form, csrfToken, undefined, undefined, place);
    return editorView({
      ...model,
      draft: draft && draftNotice(draft, newPageUrl(place), restore),
    });
  }

  async editPage(slug: string, csrfToken: string, restore = false): Promise<View> {
    const note = await this.notes.getNote(slug);
    const draft = await this.drafts.find(note.id);
    // A restored draft keeps the version it was started from: if the page moved on since,
    // saving it goes through notes' three-way merge.
    const form: NoteForm =
      restore && draft
        ? { ...draft, version: draft.baseVersion ?? note.version, id: note.id }
        : formOf(note);
    const model = await this.model('edit', form, csrfToken, note);
    const notice =
      draft && draftNotice(draft, `${notePath(note.slug)}/edit`, restore, note.version);
    return editorView({ ...model, draft: notice });
  }

  /**
   * Creates the page (in `place`'s space, under its parent) and answers where to go; a refused
   * save re-shows the form with the text and the place.
   */
  async create(input: NoteFormFields, csrfToken: string, place?: NewPageTarget): Promise<string> {
    const { form, error, status } = readNoteForm(input);
    const again = (message: string, code: number) =>
      this.refused('new', form, csrfToken, message, code, undefined, place);
    if (error) throw await again(error, status ?? 422);
    if (hasConflictMarkers(form.body) && input.keepMarkers !== '1')
      throw await this.markers('new', form, csrfToken, undefined, place);
    try {
      const note = await this.notes.createNote({
        title: form.title,
        body: form.body,
        tags: form.tags,
        ...(place ? { spaceId: place.space.id } : {}),
        ...(place?.parent ? { parentId: place.parent.id } : {}),
      });
      return notePath(note.slug);
    } catch (failure) {
      throw await this.refusedBy(failure, 'new', form, csrfToken, undefined, place);
    }
  }

  async save(slug: string, input: NoteFormFields, csrfToken: string): Promise<string> {
    const { form, error, status } = readNoteForm(input);
    if (error) throw await this.refused('edit', form, csrfToken, error, status ?? 422, slug);
    if (hasConflictMarkers(form.body) && input.keepMarkers !== '1')
      throw await this.markers('edit', form, csrfToken, slug);
    let result;
    try {
      const id = form.id ?? (await this.notes.getNote(slug)).id;
      form.id = id;
      if (form.version === undefined)
        throw new GatewayException(
          'validation_failed',
          'The form lost its version; open the editor again.',
        );
      result = await this.notes.updateNote(id, {
        title: form.title,
        body: form.body,
        tags: form.tags,
        version: form.version,
      });
    } catch (failure) {
      throw await this.refusedBy(failure, 'edit', form, csrfToken, slug);
    }
    if (result.ok) return savedPath(result.note);
    const current = result.current;
    const mine = await this.model('edit', form, csrfToken, current);
    throw new ViewResponse(
      conflictView({
        mine,
        theirs: {
          title: current.title,
          body: current.body,
          version: current.version,
          editor: editorName(current),
          updatedAt: optionalDate(current.updatedAt),
        },
        merge: result.merge,
        baseVersion: form.version,
        changes: await this.theirChanges(current, form.version),
        now: this.clock.now(),
      }),
      409,
    );
  }

  /**
   * What the others changed since this person opened the editor: from the version they started
   * from to the one saved now, so a line someone added reads as an addition. Without that
   * revision (not readable any more), from their text to the saved one.
   */
  private async theirChanges(current: Note, baseVersion: number) {
    const base = await this.notes.revision(current.id, baseVersion).catch(() => undefined);
    return this.text.diff(base?.body ?? '', current.body, {
      before: base ? `the version you started from (v${baseVersion})` : 'an empty page',
      after: `the saved version (v${current.version})`,
    });
  }

  async preview(body: string): Promise<View> {
    return partialView(await this.renderer.render(body));
  }

  async trash(slug: string): Promise<string> {
    const note = await this.notes.getNote(slug);
    await this.notes.deleteNote(note.id);
    return `/trash?deleted=${encodeURIComponent(note.slug)}`;
  }

  private async model(
    mode: 'new' | 'edit',
    form: NoteForm,
    csrfToken: string,
    note?: Note,
    slug?: string,
    place?: NewPageTarget,
  ): Promise<EditorModel> {
    const path = note ? notePath(note.slug) : slug ? notePath(slug) : undefined;
    const spaceHref = place && spacePath(place.space.slug);
    const placeCancel = place?.parent ? notePath(place.parent.slug) : spaceHref;
    return {
      mode,
      action: mode === 'new' ? (spaceHref ? `${spaceHref}/new` : '/new') : `${path ?? '/'}/edit`,
      id: form.id ?? note?.id,
      version: form.version ?? note?.version,
      title: form.title,
      body: form.body,
      tags: form.tags,
      preview: await this.renderer.render(form.body),
      csrfToken,
      cancelHref: path ?? placeCancel ?? '/',
      draftUrl: mode === 'new' ? '/new/draft' : `${path ?? '/'}/draft`,
      place: place && {
        spaceName: place.space.name,
        spaceHref: spaceHref!,
        parent: place.parent,
      },
    };
  }

  /** The text still has conflict markers: shown again, saved only with "keep them" ticked. */
  private async markers(
    mode: 'new' | 'edit',
    form: NoteForm,
    csrfToken: string,
    slug?: string,
    place?: NewPageTarget,
  ) {
    const model = await this.model(mode, form, csrfToken, undefined, slug, place);
    const error =
      'Nothing was saved: the text still has conflict markers (<<<<<<<, =======, >>>>>>>). Keep the lines that should stay and remove the markers, or tick "Save with the conflict markers" to save them as they are.';
    return new ViewResponse(editorView({ ...model, error, markers: true }), 422);
  }

  private async refused(
    mode: 'new' | 'edit',
    form: NoteForm,
    csrfToken: string,
    error: string,
    status: number,
    slug?: string,
    place?: NewPageTarget,
  ) {
    const model = await this.model(mode, form, csrfToken, undefined, slug, place);
    return new ViewResponse(editorView({ ...model, error }), status);
  }

  /** Notes refused or could not take the save: the person keeps their text and sees why. */
  private async refusedBy(
    failure: unknown,
    mode: 'new' | 'edit',
    form: NoteForm,
    csrfToken: string,
    slug?: string,
    place?: NewPageTarget,
  ) {
    if (
      failure instanceof UpstreamResponseError &&
      failure.status >= 400 &&
      failure.status < 500 &&
      failure.status !== 404
    ) {
      return this.refused(
        mode,
        form,
        csrfToken,
        failure.message,
        failure.status === 409 ? 409 : 422,
        slug,
        place,
      );
    }
    if (isDomainException(failure)) {
      const code = failure.code;
      if (code === 'upstream_unavailable' || code === 'bad_gateway') {
        return this.refused(
          mode,
          form,
          csrfToken,
          'Notes is unavailable right now, so nothing was saved. Your text is still here: try saving again in a moment.',
          503,
          slug,
          place,
        );
      }
      if (code === 'validation_failed')
        return this.refused(mode, form, csrfToken, failure.message, 422, slug, place);
    }
    return failure;
  }
}

/** Where a new page goes: a space, and a parent page in it. */
export interface NewPageTarget {
  space: Pick<Space, 'id' | 'slug' | 'name'>;
  parent?: { id: string; slug: string; title: string } | undefined;
}

/** The new-page editor's own URL (the draft offer's links come back here). */
function newPageUrl(place: NewPageTarget | undefined): string {
  if (!place) return '/new';
  const parent = place.parent ? `?parent=${encodeURIComponent(place.parent.id)}` : '';
  return `${spacePath(place.space.slug)}/new${parent}`;
}

/** Where a save goes: the page, saying whose changes notes merged this save with. */
function savedPath(note: SavedNote): string {
  if (!note.merged) return notePath(note.slug);
  const names = (note.mergedWith ?? []).join(', ');
  return `${notePath(note.slug)}?merged=${encodeURIComponent(names || 'someone')}`;
}

function formOf(note: Note): NoteForm {
  return {
    title: note.title,
    body: note.body,
    tags: note.tags ?? [],
    version: note.version,
    id: note.id,
  };
}
