import { html } from '../html.js';
import { pageView, type View } from '../render/view.js';
import { type NoteItem } from '../view-models/note-fields.js';
import { alert, csrfField, timeAgo } from '../components/components.js';

export interface TrashModel {
  items: NoteItem[];
  deleted?: string | undefined;
  /** The title of the page just deleted for good. */
  purged?: string | undefined;
  /** How many pages emptying the trash just deleted. */
  emptied?: number | undefined;
  nextUrl?: string | undefined;
  canEdit: boolean;
  /** Admins: delete forever and empty the trash. */
  canDelete: boolean;
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
        ${
          model.canDelete
            ? html`<a class="button danger" href="/trash/${encodeURIComponent(item.id)}/delete"
                >Delete forever</a
              >`
            : ''
        }
      </li>`,
  );
  return pageView(
    'Trash',
    html`<div class="page-heading">
        <h1>Trash</h1>
        ${
          model.canDelete && model.items.length
            ? html`<a class="button danger" href="/trash/empty">Empty trash</a>`
            : ''
        }
      </div>
      ${model.deleted ? alert('info', html`Moved “${model.deleted}” to the trash. You can restore it below.`) : ''}
      ${model.purged ? alert('info', html`Deleted “${model.purged}” forever.`) : ''}
      ${
        model.emptied !== undefined
          ? alert(
              'info',
              `Emptied the trash: ${model.emptied} ${model.emptied === 1 ? 'page' : 'pages'} deleted forever.`,
            )
          : ''
      }
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
