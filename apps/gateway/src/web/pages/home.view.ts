import { html } from '../html.js';
import { pageView, type View } from '../render/view.js';
import { type NoteItem, type TagItem } from '../view-models/note-fields.js';
import { pageList, tagPath } from '../components/components.js';

export interface HomeModel {
  recent: NoteItem[];
  tags: TagItem[];
  canEdit: boolean;
  now: Date;
}

export function tagCloud(tags: readonly TagItem[]) {
  return html`<ul class="tags" aria-label="All tags">
    ${tags.map(
      (tag) =>
        html`<li>
          <a class="tag" href="${tagPath(tag.name)}"
            >${tag.name}<span class="count">${tag.count}</span></a
          >
        </li>`,
    )}
  </ul>`;
}

export function homeView(model: HomeModel): View {
  const empty = model.canEdit
    ? html`No pages yet. <a href="/new">Write the first one</a> or
        <a href="/import">import</a> some.`
    : html`No pages yet.`;
  return pageView(
    'Home',
    html`<h1>Recently edited</h1>
      ${pageList(model.recent, model.now, empty)}
      ${
        model.tags.length
          ? html`<h2 class="section-title">Tags</h2>
              ${tagCloud(model.tags)}`
          : ''
      }`,
  );
}
