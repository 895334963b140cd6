import { type NoteMerge } from '@lateral/contracts';
import { html, type SafeHtml } from '../html.js';
import { pageView, type View } from '../render/view.js';
import { alert, csrfField, editedBy, notePath } from '../components/components.js';
import { MAX_TITLE_LENGTH } from './note-form.js';

export interface EditorModel {
  mode: 'new' | 'edit';
  action: string;
  id?: string | undefined;
  version?: number | undefined;
  title: string;
  body: string;
  tags: string[];
  preview: SafeHtml;
  error?: string | undefined;
  csrfToken: string;
  cancelHref: string;
  /** Where autosave posts the form (`/notes/:slug/draft`, `/new/draft`). */
  draftUrl: string;
  /** The person has a draft here: offered, or just restored into the form. */
  draft?: DraftNotice | undefined;
  /** A new page's place: the space (in the form's URL) and the parent page, if any. */
  place?: NewPagePlace | undefined;
  /** The text holds conflict markers: saving again needs "keep the markers" ticked. */
  markers?: boolean | undefined;
}

export interface NewPagePlace {
  spaceName: string;
  spaceHref: string;
  parent?: { id: string; slug: string; title: string } | undefined;
}

export interface DraftNotice {
  restored: boolean;
  savedAt: Date;
  restoreHref: string;
  discardAction: string;
  /** The page's version when the draft was started and now, when they differ. */
  changedSince?: { from: number; to: number } | undefined;
}

/** "12:03 UTC": the server does not know the reader's time zone. */
export function clockTime(at: Date): string {
  return `${at.toISOString().slice(11, 16)} UTC`;
}

/** The editor's autosave status line. */
export function draftStatus(text: string, failed = false): SafeHtml {
  return html`<span class="${failed ? 'draft-failed' : 'draft-saved'}">${text}</span>`;
}

function draftOffer(draft: DraftNotice, csrfToken: string): SafeHtml {
  const changed = draft.changedSince
    ? html` The page changed since your draft (version ${draft.changedSince.from} →
      ${draft.changedSince.to}); saving it merges your changes with the new version.`
    : '';
  if (draft.restored) {
    return alert(
      'info',
      html`Your draft from ${clockTime(draft.savedAt)} is restored below; save to keep it.${changed}`,
    );
  }
  return html`<div class="alert info draft-offer" role="status">
    <p>You have an unsaved draft of this page from ${clockTime(draft.savedAt)}.${changed}</p>
    <div class="form-actions">
      <a class="button primary" href="${draft.restoreHref}">Restore draft</a>
      <form method="post" action="${draft.discardAction}">
        ${csrfField(csrfToken)}
        <button type="submit">Discard</button>
      </form>
    </div>
  </div>`;
}

/** The markdown textarea with live preview (debounced POST /preview) and image paste/drop. */
function markdownField(body: string, preview: SafeHtml, label: string): SafeHtml {
  return html`<div class="editor" data-dropzone>
    <div>
      <label for="body"
        >${label}
        <span class="hint"
          >Markdown · <code>[[Page title]]</code> links · paste or drop images</span
        ></label
      >
      <textarea
        id="body"
        name="body"
        rows="24"
        data-markdown
        spellcheck="true"
        hx-post="/preview"
        hx-trigger="input changed delay:350ms"
        hx-target="#preview"
        hx-swap="innerHTML"
        hx-sync="this:replace"
      >
${body}</textarea>
      <div class="form-actions">
        <label class="button small js-only"
          >Insert image<input
            type="file"
            accept="image/*,.heic,.heif"
            data-image-picker
            multiple
            hidden
        /></label>
        <span id="upload-status" class="upload-status" aria-live="polite"></span>
      </div>
    </div>
    <div>
      <div class="preview-label" id="preview-label">Preview</div>
      <div class="preview prose" id="preview" aria-labelledby="preview-label">${preview}</div>
    </div>
  </div>`;
}

export function editorForm(
  model: EditorModel,
  options: { submitLabel: string; bodyLabel: string },
): SafeHtml {
  return html`<form
    method="post"
    action="${model.action}"
    data-editor
    data-draft-url="${model.draftUrl}"
  >
    ${csrfField(model.csrfToken)}
    ${model.id ? html`<input type="hidden" name="id" value="${model.id}" />` : ''}
    ${model.version !== undefined ? html`<input type="hidden" name="version" value="${model.version}" />` : ''}
    ${model.place?.parent ? html`<input type="hidden" name="parentId" value="${model.place.parent.id}" />` : ''}
    <div class="field">
      <label for="title">Title</label>
      <input
        id="title"
        name="title"
        type="text"
        required
        maxlength="${MAX_TITLE_LENGTH}"
        value="${model.title}"
        ${model.title ? '' : html`autofocus`}
      />
    </div>
    <div class="field">
      <label for="tags">Tags <span class="hint">separated by commas</span></label>
      <input
        id="tags"
        name="tags"
        type="text"
        maxlength="1000"
        value="${model.tags.join(', ')}"
        autocomplete="off"
      />
    </div>
    ${markdownField(model.body, model.preview, options.bodyLabel)}
    ${
      model.markers
        ? html`<div class="field">
            <label
              ><input type="checkbox" name="keepMarkers" value="1" /> Save with the conflict markers
              as they are</label
            >
          </div>`
        : ''
    }
    <div class="form-actions">
      <button class="primary" type="submit">${options.submitLabel}</button>
      <a href="${model.cancelHref}">Cancel</a>
      <span class="hint"><kbd>Ctrl</kbd>+<kbd>S</kbd> saves</span>
      <span
        id="draft-status"
        class="hint draft-status"
        aria-live="polite"
        hx-post="${model.draftUrl}"
        hx-trigger="keyup changed delay:3s from:'closest form', visibilitychange from:document"
        hx-include="closest form"
        hx-target="this"
        hx-swap="innerHTML"
      ></span>
    </div>
  </form>`;
}

/** "New page in Ops › under Runbooks", linking back to both. */
function newPageHeading(place: NewPagePlace | undefined): SafeHtml {
  if (!place) return html`New page`;
  const parent = place.parent
    ? html` under “<a href="${notePath(place.parent.slug)}">${place.parent.title}</a>”`
    : '';
  return html`New page in <a href="${place.spaceHref}">${place.spaceName}</a>${parent}`;
}

export function editorView(model: EditorModel): View {
  const heading =
    model.mode === 'new' ? newPageHeading(model.place) : html`Editing “${model.title}”`;
  return pageView(
    model.mode === 'new'
      ? model.place
        ? `New page in ${model.place.spaceName}`
        : 'New page'
      : `Edit ${model.title}`,
    html`<h1>${heading}</h1>
      ${model.error ? alert('error', model.error) : ''}
      ${model.draft ? draftOffer(model.draft, model.csrfToken) : ''}
      ${editorForm(model, { submitLabel: model.mode === 'new' ? 'Create page' : 'Save', bodyLabel: 'Content' })}`,
    { wide: true },
  );
}

export interface ConflictModel {
  mine: EditorModel;
  theirs: {
    title: string;
    body: string;
    version: number;
    editor?: string | undefined;
    updatedAt?: Date | undefined;
  };
  /** The version this person started from. */
  baseVersion: number;
  /** notes' three-way merge: the body with conflict markers, prefilled in the merge box. */
  merge?: NoteMerge | undefined;
  /** The rendered line diff from the version they started from to the one saved now. */
  changes: SafeHtml;
  now: Date;
}

/**
 * Someone saved while this person was editing. Nothing was written: both versions are shown
 * with what differs, and the person merges by hand in the textarea (prefilled with their text).
 */
export function conflictView(model: ConflictModel): View {
  const { mine, theirs } = model;
  const merge: EditorModel = {
    ...mine,
    version: theirs.version,
    body: model.merge ? model.merge.text : mine.body,
  };
  const conflicts = model.merge?.conflicts ?? 0;
  return pageView(
    `Conflict: ${mine.title}`,
    html`<h1>Someone else saved this page while you were editing</h1>
      ${alert(
        'warning',
        html`Your changes are <strong>not saved yet</strong> and nothing was overwritten. The page
          was
          ${editedBy({ editor: theirs.editor, updatedAt: theirs.updatedAt }, model.now, 'changed')}
          (version ${theirs.version}). Compare the two versions, merge them below, then save.`,
      )}
      <h2>
        What changed since you started editing (version ${model.baseVersion} → ${theirs.version})
      </h2>
      ${model.changes}
      <div class="conflict-columns">
        <div>
          <label for="theirs">Their version (saved)</label>
          <textarea id="theirs" readonly rows="12">${theirs.body}</textarea>
        </div>
        <div>
          <label for="mine">Your version (not saved)</label>
          <textarea id="mine" readonly rows="12">${mine.body}</textarea>
        </div>
      </div>
      <h2>Merge</h2>
      ${
        model.merge
          ? html`<p class="hint" id="merge-help">
              Both of you changed the same lines: ${conflicts}
              ${conflicts === 1 ? 'place needs' : 'places need'} your decision. Each is marked
              <code>&lt;&lt;&lt;&lt;&lt;&lt;&lt; mine</code>, your lines, <code>=======</code>,
              their lines, <code>&gt;&gt;&gt;&gt;&gt;&gt;&gt; theirs</code>; everything else is
              already merged. Keep what should stay and remove the markers.
              ${model.merge.fields.length ? html`Both also changed the ${model.merge.fields.join(' and ')}: yours are kept below.` : ''}
            </p>`
          : ''
      }
      ${editorForm(merge, { submitLabel: 'Save merged version', bodyLabel: 'Merged content' })}`,
    { wide: true },
  );
}
