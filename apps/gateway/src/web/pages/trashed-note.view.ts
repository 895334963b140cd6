import { html, type SafeHtml } from '../html.js';
import { pageView, type View } from '../render/view.js';
import { alert, csrfField, timeAgo } from '../components/components.js';
import { optionalDate, optionalString, toNoteItem } from '../view-models/note-fields.js';

/** A trashed page as the UI shows it at its old URL and in the delete confirmation. */
export interface TrashedItem {
  id: string;
  title: string;
  deletedAt: Date | undefined;
  /** Who moved it there, when notes knows the name. */
  deletedBy: string | undefined;
}

export interface TrashedNoteModel {
  page: TrashedItem;
  canRestore: boolean;
  canDelete: boolean;
  csrfToken: string;
  now: Date;
}

/** The UI's reading of notes' `GET /trash/{key}` answer (defensive, as every answer). */
export function toTrashedItem(note: Parameters<typeof toNoteItem>[0]): TrashedItem {
  const item = toNoteItem(note);
  const by = note.deletedBy;
  return {
    id: item.id,
    title: item.title,
    deletedAt: optionalDate(note.deletedAt),
    deletedBy:
      typeof by === 'object' && by !== null
        ? optionalString((by as Record<string, unknown>).name)
        : undefined,
  };
}

/** "moved to the trash by Ada, 5 minutes ago" */
export function trashedLine(page: TrashedItem, now: Date): SafeHtml {
  return html`moved to the
  trash${page.deletedBy ? html` by <strong>${page.deletedBy}</strong>` : ''}${
    page.deletedAt ? html`, ${timeAgo(page.deletedAt, now)}` : ''
  }`;
}

const deletePath = (id: string) => `/trash/${encodeURIComponent(id)}/delete`;

/** What `/notes/<slug>` shows once its page is in the trash (sent with 404: no live page). */
export function trashedNoteView(model: TrashedNoteModel): View {
  const { page } = model;
  return pageView(
    page.title,
    html`<article class="trashed-note">
      <header class="page-header">
        <h1>${page.title}</h1>
      </header>
      ${alert(
        'warning',
        html`This page is in the trash: ${trashedLine(page, model.now)}.
        ${model.canRestore ? 'Restore it to read and edit it again.' : 'An editor can restore it.'}`,
      )}
      <div class="page-actions">
        ${
          model.canRestore
            ? html`<form method="post" action="/trash/${encodeURIComponent(page.id)}/restore">
                ${csrfField(model.csrfToken)}
                <button class="primary" type="submit">Restore</button>
              </form>`
            : ''
        }
        ${model.canDelete ? html`<a class="button danger" href="${deletePath(page.id)}">Delete forever</a>` : ''}
        <a class="button" href="/trash">Trash</a>
      </div>
    </article>`,
  );
}

/** The confirmation step of "delete forever": a page of its own, so it works without JavaScript. */
export function confirmDeleteView(page: TrashedItem, csrfToken: string, now: Date): View {
  return pageView(
    `Delete “${page.title}” forever?`,
    html`<div class="confirm">
      <h1>Delete “${page.title}” forever?</h1>
      <p>
        It was ${trashedLine(page, now)}. Deleting it removes the page with all its versions and
        links. This cannot be undone.
      </p>
      <form method="post" action="${deletePath(page.id)}" class="form-actions">
        ${csrfField(csrfToken)}
        <button class="danger" type="submit">Delete forever</button>
        <a class="button" href="/trash">Cancel</a>
      </form>
    </div>`,
  );
}

/** The confirmation step of "empty the trash". */
export function confirmEmptyView(count: string, csrfToken: string): View {
  return pageView(
    'Empty the trash?',
    html`<div class="confirm">
      <h1>Empty the trash?</h1>
      <p>
        ${count} in the trash will be deleted forever, with all their versions and links. This
        cannot be undone.
      </p>
      <form method="post" action="/trash/empty" class="form-actions">
        ${csrfField(csrfToken)}
        <button class="danger" type="submit">Empty trash</button>
        <a class="button" href="/trash">Cancel</a>
      </form>
    </div>`,
  );
}
