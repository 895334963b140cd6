import { type Space, type SpaceTree } from '@lateral/contracts';
import { html, type SafeHtml } from '../html.js';
import { csrfField, notePath } from '../components/components.js';
import { PageTree } from '../components/page-tree.js';

export interface MoveFormModel {
  note: { id: string; slug: string; parentId: string | null };
  space: Space;
  spaces: readonly Space[];
  tree: SpaceTree;
  csrfToken: string;
}

/**
 * "Move" on a page: a space and a parent in the page's own space (not the page or one below
 * it). Choosing another space moves the page to its top, as notes does without a parent.
 */
export function moveForm(model: MoveFormModel): SafeHtml {
  const tree = new PageTree(model.tree.items);
  const below = tree.subtree(model.note.id);
  const parents = model.tree.items.filter((n) => !below.has(n.id));
  const writable = model.spaces.filter((s) => s.canWrite);
  return html`<details class="move-page">
    <summary>Move</summary>
    <form method="post" action="${notePath(model.note.slug)}/move" class="stack">
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
      </p>
      <button type="submit">Move page</button>
    </form>
  </details>`;
}
