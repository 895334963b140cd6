import { html, type SafeHtml } from '../html.js';
import { pageView, type View } from '../render/view.js';
import { type NoteItem, type TagItem } from '../view-models/note-fields.js';
import { moreRow, pageListItem } from '../components/components.js';
import { tagCloud } from './home.view.js';

export function tagsView(tags: TagItem[]): View {
  return pageView(
    'Tags',
    html`<h1>Tags</h1>
      ${tags.length ? tagCloud(tags) : html`<p class="empty">No tags yet. Add some in the editor.</p>`}`,
  );
}

export interface TagPageModel {
  tag: string;
  items: NoteItem[];
  nextUrl: string | undefined;
  now: Date;
}

const rows = (model: TagPageModel): SafeHtml =>
  html`${model.items.map((item) => pageListItem(item, model.now))}${moreRow(model.nextUrl)}`;

/**
 * The whole page, or (when the "more" button targets `#more`) only the next rows and a new
 * "more" row, swapped in place of the old one.
 */
export function tagPageView(model: TagPageModel): View {
  const next = rows(model);
  return pageView(
    `Tag: ${model.tag}`,
    html`<p><a href="/tags">← All tags</a></p>
      <h1>Pages tagged <span class="tag">${model.tag}</span></h1>
      ${
        model.items.length
          ? html`<ul class="page-list" id="tag-pages">
              ${next}
            </ul>`
          : html`<p class="empty">No pages have this tag.</p>`
      }`,
    { fragments: { more: next } },
  );
}
