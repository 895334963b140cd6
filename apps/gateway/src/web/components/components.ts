import { html, type SafeHtml } from '../html.js';
import { type NoteItem } from '../view-models/note-fields.js';
import { absoluteTime, relativeTime } from './relative-time.js';

export const notePath = (slug: string) => `/notes/${encodeURIComponent(slug)}`;
export const tagPath = (tag: string) => `/tags/${encodeURIComponent(tag)}`;

export const csrfField = (token: string) =>
  html`<input type="hidden" name="_csrf" value="${token}" />`;

export function timeAgo(when: Date | undefined, now: Date): SafeHtml {
  if (!when) return html``;
  return html`<time datetime="${when.toISOString()}" title="${absoluteTime(when)}"
    >${relativeTime(when, now)}</time
  >`;
}

/** "edited by Ada, 5 minutes ago" */
export function editedBy(
  item: { editor?: string | undefined; updatedAt?: Date | undefined },
  now: Date,
  verb = 'edited',
) {
  if (!item.editor && !item.updatedAt) return html``;
  return html`<span class="edited"
    >${verb}${item.editor ? html` by <strong>${item.editor}</strong>` : ''}${item.updatedAt ? html`, ${timeAgo(item.updatedAt, now)}` : ''}</span
  >`;
}

export function tagList(tags: readonly string[], label = 'Tags'): SafeHtml {
  if (!tags.length) return html``;
  return html`<ul class="tags" aria-label="${label}">
    ${tags.map((tag) => html`<li><a class="tag" href="${tagPath(tag)}">${tag}</a></li>`)}
  </ul>`;
}

export function pageListItem(item: NoteItem, now: Date): SafeHtml {
  return html`<li>
    <a class="title" href="${notePath(item.slug)}">${item.title}</a>
    <div class="meta">${editedBy(item, now)}</div>
  </li>`;
}

export function pageList(
  items: readonly NoteItem[],
  now: Date,
  empty: SafeHtml | string,
): SafeHtml {
  if (!items.length) return html`<p class="empty">${empty}</p>`;
  return html`<ul class="page-list">
    ${items.map((item) => pageListItem(item, now))}
  </ul>`;
}

/** The "more" row of a cursor-paginated list: a link without JS, an in-place append with htmx. */
export function moreRow(url: string | undefined): SafeHtml {
  if (!url) return html``;
  return html`<li class="more" id="more">
    <a class="button" href="${url}" hx-get="${url}" hx-target="closest li" hx-swap="outerHTML"
      >More pages</a
    >
  </li>`;
}

export function alert(kind: 'error' | 'warning' | 'info', message: SafeHtml | string): SafeHtml {
  return html`<div class="alert ${kind}" role="${kind === 'error' ? 'alert' : 'status'}">
    ${message}
  </div>`;
}
