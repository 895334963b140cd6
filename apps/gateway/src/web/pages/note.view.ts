import { html, type SafeHtml } from '../html.js';
import { pageView, type PagePlace, type View } from '../render/view.js';
import { type NoteItem } from '../view-models/note-fields.js';
import { alert, csrfField, editedBy, notePath, tagList } from '../components/components.js';

export interface NoteModel {
  note: NoteItem & { version: number | undefined };
  content: SafeHtml;
  backlinks: NoteItem[];
  canEdit: boolean;
  csrfToken: string;
  now: Date;
  /** Set after a save notes merged with others' changes: their names. */
  mergedWith?: string | undefined;
  /** Space › parent › … › page, when notes said where the page sits. */
  breadcrumbs?: SafeHtml | undefined;
  /** "Move" (its form loads when unfolded), for people who may write in the page's space. */
  moveEntry?: SafeHtml | undefined;
  /** "New sub-page": the space's new-page form with this page as the parent. */
  subPageUrl?: string | undefined;
  place?: PagePlace | undefined;
}

function actions(model: NoteModel): SafeHtml {
  const path = notePath(model.note.slug);
  return html`<div class="page-actions">
    ${model.canEdit ? html`<a class="button primary" href="${path}/edit">Edit</a>` : ''}
    <a class="button" href="${path}/revisions">History</a>
    ${
      model.canEdit
        ? html`<form
            method="post"
            action="${path}/delete"
            hx-confirm="Move “${model.note.title}” to the trash?"
          >
            ${csrfField(model.csrfToken)}
            <button class="danger" type="submit">Move to trash</button>
          </form>`
        : ''
    }
    ${model.subPageUrl ? html`<a class="button" href="${model.subPageUrl}">New sub-page</a>` : ''}
    ${model.moveEntry ?? ''}
  </div>`;
}

export function noteView(model: NoteModel): View {
  const { note } = model;
  return pageView(
    note.title,
    html`<article>
      <header class="page-header">
        ${model.breadcrumbs ?? ''}
        <h1>${note.title}</h1>
        <div class="page-meta">
          ${editedBy(note, model.now)} ${tagList(note.tags)} ${actions(model)}
        </div>
      </header>
      ${model.mergedWith ? alert('info', `Saved. Merged with ${model.mergedWith}’s changes.`) : ''}
      <div class="prose">${model.content}</div>
      ${
        model.backlinks.length
          ? html`<aside class="backlinks" aria-labelledby="backlinks-title">
              <h2 id="backlinks-title">Linked from</h2>
              <ul>
                ${model.backlinks.map((b) => html`<li><a href="${notePath(b.slug)}">${b.title}</a></li>`)}
              </ul>
            </aside>`
          : ''
      }
    </article>`,
    model.place ? { place: model.place } : {},
  );
}
