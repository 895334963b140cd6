import { type Space, type SpaceTree } from '@lateral/contracts';
import { html, type SafeHtml } from '../html.js';
import { pageView, type View } from '../render/view.js';
import { type NoteItem } from '../view-models/note-fields.js';
import { alert, moreRow, notePath, pageList, pageListItem } from '../components/components.js';
import { PageTree } from '../components/page-tree.js';
import { spacePath } from '../components/sidebar.js';

export type PagesSort = 'title' | 'updated';

function spaceActions(space: Space): SafeHtml {
  const base = spacePath(space.slug);
  return html`<div class="page-actions">
    ${space.canWrite ? html`<a class="button primary" href="${base}/new">New page here</a>` : ''}
    <a class="button" href="${base}/pages">All pages</a>
    ${space.canAdmin ? html`<a class="button" href="${base}/settings">Settings</a>` : ''}
  </div>`;
}

export function spacesIndexView(
  spaces: readonly Space[],
  canCreate: boolean,
  deleted?: string,
): View {
  return pageView(
    'Spaces',
    html`<header class="page-header">
        <h1>Spaces</h1>
        ${canCreate ? html`<div class="page-actions"><a class="button primary" href="/spaces/new">New space</a></div>` : ''}
      </header>
      ${deleted ? alert('info', html`The space “${deleted}” is deleted.`) : ''}
      <ul class="page-list">
        ${spaces.map(
          (s) =>
            html`<li>
              <a class="title" href="${spacePath(s.slug)}">${s.name}</a>
              <div class="meta">
                ${s.visibility === 'private' ? 'private · ' : ''}${s.description}
              </div>
            </li>`,
        )}
      </ul>`,
  );
}

export function spaceHomeView(model: {
  space: Space;
  spaces: readonly Space[];
  tree: SpaceTree;
  recent: NoteItem[];
  now: Date;
}): View {
  const { space } = model;
  const top = new PageTree(model.tree.items).top();
  return pageView(
    space.name,
    html`<header class="page-header">
        <h1>${space.name}</h1>
        <div class="page-meta">
          ${space.visibility === 'private' ? html`<span class="badge">private</span>` : ''}
          ${spaceActions(space)}
        </div>
      </header>
      ${space.description ? html`<p class="lead">${space.description}</p>` : ''}
      <h2 class="section-title">Pages</h2>
      ${
        top.length
          ? html`<ul class="page-list">
              ${top.map((n) => html`<li><a class="title" href="${notePath(n.slug)}">${n.title}</a></li>`)}
            </ul>`
          : html`<p class="empty">No pages yet.</p>`
      }
      ${
        model.tree.truncated
          ? html`<p><a href="${spacePath(space.slug)}/pages">More in All pages</a></p>`
          : ''
      }
      <h2 class="section-title">Recent changes</h2>
      ${pageList(model.recent, model.now, 'Nothing changed yet.')}`,
    { place: { spaceId: space.id, spaces: model.spaces, tree: model.tree } },
  );
}

const sortLink = (base: string, sort: PagesSort, current: PagesSort, label: string) =>
  html`<a href="${base}/pages?sort=${sort}" ${sort === current ? html`aria-current="true"` : ''}
    >${label}</a
  >`;

/**
 * All pages of a space. By title it pages through the tree (ordered by title, as notes answers
 * it, at most 2,000); by last change it is notes' keyset list with a "More pages" row.
 */
export function spacePagesView(model: {
  space: Space;
  sort: PagesSort;
  items: NoteItem[];
  nextUrl: string | undefined;
  truncated: boolean;
  now: Date;
}): View {
  const base = spacePath(model.space.slug);
  const rows = html`${model.items.map((item) => pageListItem(item, model.now))}
  ${moreRow(model.nextUrl)}`;
  return pageView(
    `All pages · ${model.space.name}`,
    html`<header class="page-header">
        <h1>All pages in <a href="${base}">${model.space.name}</a></h1>
        <div class="page-meta">
          <nav class="sort" aria-label="Sort">
            Sort by ${sortLink(base, 'title', model.sort, 'title')} ·
            ${sortLink(base, 'updated', model.sort, 'last change')}
          </nav>
          ${model.space.canWrite ? html`<a class="button" href="${base}/new">New page here</a>` : ''}
        </div>
      </header>
      ${
        model.items.length
          ? html`<ul class="page-list">
              ${rows}
            </ul>`
          : html`<p class="empty">No pages yet.</p>`
      }
      ${
        model.truncated
          ? html`<p class="hint">
              This space has more pages than the title list holds;
              <a href="${base}/pages?sort=updated">sort by last change</a> to see every one.
            </p>`
          : ''
      }`,
    { fragments: { more: rows }, place: { spaceId: model.space.id } },
  );
}
