import { html } from '../html.js';
import { pageView, type View } from '../render/view.js';
import { type NoteItem } from '../view-models/note-fields.js';
import { alert, csrfField, timeAgo } from '../components/components.js';

export interface TrashModel {
  items: NoteItem[];
  deleted?: string | undefined;
  nextUrl?: string | undefined;
  canEdit: boolean;
  csrfToken: string;
  now: Date;
}

export function trashView(model: TrashModel): View {
  const rows = model.items.map(
    (item) =>
      html`<li>
        <span class="title">${item.title}</span>
        <div class="meta">
          ${item.deletedAt ? html`moved to the trash ${timeAgo(item.deletedAt, model.now)}` : ''}
        </div>
        ${
          model.canEdit
            ? html`<form method="post" action="/trash/${encodeURIComponent(item.id)}/restore">
                ${csrfField(model.csrfToken)}
                <button type="submit">Restore</button>
              </form>`
            : ''
        }
      </li>`,
  );
  return pageView(
    'Trash',
    html`<h1>Trash</h1>
      ${model.deleted ? alert('info', html`Moved “${model.deleted}” to the trash. You can restore it below.`) : ''}
      ${
        model.items.length
          ? html`<ul class="page-list trash-list">
                ${rows}
              </ul>
              ${model.nextUrl ? html`<p class="more"><a class="button" href="${model.nextUrl}">Older</a></p>` : ''}`
          : html`<p class="empty">The trash is empty.</p>`
      }`,
  );
}
