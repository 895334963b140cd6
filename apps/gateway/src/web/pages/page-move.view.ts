import { type Space, type SpaceTree } from '@lateral/contracts';
import { html, type SafeHtml } from '../html.js';
import { csrfField, notePath } from '../components/components.js';
import { PageTree } from '../components/page-tree.js';
import { pageView, type View } from '../render/view.js';

export interface MoveFormModel {
  note: { id: string; slug: string; parentId: string | null };
  space: Space;
  spaces: readonly Space[];
  tree: SpaceTree;
  csrfToken: string;
}

/**
 * "Move" on a page view: folded, and empty until unfolded. The choices list every page of the
 * space (up to 2,000), too much to render on every view, so htmx fetches the form when the
 * `<details>` opens; without JavaScript the link opens the same form as a page.
 */
export function moveEntry(slug: string): SafeHtml {
  const url = `${notePath(slug)}/move`;
  return html`<details class="move-page">
    <summary>Move</summary>
    <div
      id="move-form"
      hx-get="${url}"
      hx-trigger='toggle once from:"closest details"'
      hx-target="this"
      hx-swap="outerHTML"
    >
      <a href="${url}">Choose where to move it</a>
    </div>
  </details>`;
}

/**
 * The move form: a space and a parent in the page's own space (not the page or one below it).
 * Choosing another space moves the page to its top, as notes does without a parent.
 */
export function moveForm(model: MoveFormModel): SafeHtml {
  const tree = new PageTree(model.tree.items);
  const below = tree.subtree(model.note.id);
  const parents = model.tree.items.filter((n) => !below.has(n.id));
  const writable = model.spaces.filter((s) => s.canWrite);
  return html`<form
    id="move-form"
    method="post"
    action="${notePath(model.note.slug)}/move"
    class="stack"
  >
    ${csrfField(model.csrfToken)}
    <label for="move-space">Space</label>
    <select id="move-space" name="spaceId">
      ${writable.map(
        (s) =>
          html`<option value="${s.id}" ${s.id === model.space.id ? html`selected` : ''}>
            ${s.name}
          </option>`,
      )}
    </select>
    <label for="move-parent">Under (in ${model.space.name})</label>
    <select id="move-parent" name="parentId">
      <option value="">— top of the space —</option>
      ${parents.map(
        (n) =>
          html`<option value="${n.id}" ${n.id === model.note.parentId ? html`selected` : ''}>
            ${n.title}
          </option>`,
      )}
    </select>
    <p class="hint">
      In another space the page goes to its top. Sub-pages move with it; the URL stays.
      ${model.tree.truncated ? ' This space has more pages than the list holds: the first 2,000 by title are offered.' : ''}
    </p>
    <button type="submit">Move page</button>
  </form>`;
}

/** The move form as a page of its own (a link without JavaScript; htmx takes the form alone). */
export function movePageView(model: MoveFormModel & { title: string }): View {
  const form = moveForm(model);
  return pageView(
    `Move ${model.title}`,
    html`<h1>Move <a href="${notePath(model.note.slug)}">${model.title}</a></h1>
      ${form}`,
    {
      fragments: { 'move-form': form },
      place: { spaceId: model.space.id, noteId: model.note.id, spaces: model.spaces },
    },
  );
}
