import { type Space, type SpaceTree, type TreeNode } from '@lateral/contracts';
import { html, type SafeHtml } from '../html.js';
import { notePath } from './components.js';
import { PageTree } from './page-tree.js';

export const spacePath = (slug: string) => `/spaces/${encodeURIComponent(slug)}`;

export interface SidebarModel {
  spaces: readonly Space[];
  /** The space the page is in, with its tree; absent on pages outside any space. */
  current?: { space: Space; tree: SpaceTree; noteId?: string | undefined } | undefined;
  canCreateSpace: boolean;
}

function privateMark(space: Space): SafeHtml {
  return space.visibility === 'private'
    ? html` <span class="badge" title="Only its members can read it">private</span>`
    : html``;
}

function spaceList(model: SidebarModel): SafeHtml {
  const currentId = model.current?.space.id;
  return html`<nav aria-label="Spaces">
    <h2 class="sidebar-title">Spaces</h2>
    <ul class="space-list">
      ${model.spaces.map(
        (space) =>
          html`<li>
            <a
              href="${spacePath(space.slug)}"
              ${space.id === currentId ? html`aria-current="true"` : ''}
              >${space.name}</a
            >${privateMark(space)}
          </li>`,
      )}
    </ul>
    ${model.canCreateSpace ? html`<a class="sidebar-more" href="/spaces/new">New space</a>` : ''}
  </nav>`;
}

/**
 * Nested lists; a page with sub-pages is a `<details>` (open on the way to the current page), so
 * it folds without JavaScript and every title stays a plain link. The tree holds only the levels
 * open on the current page (notes' `levels=open`): a closed page's sub-pages are fetched by htmx
 * when it is unfolded; without JavaScript, its link opens the page, whose own tree shows them.
 */
function treeItems(
  tree: PageTree,
  nodes: readonly TreeNode[],
  currentId: string | undefined,
  openIds: ReadonlySet<string>,
  base: string,
): SafeHtml {
  return html`${nodes.map((node) => {
    const link = html`<a
      href="${notePath(node.slug)}"
      ${node.id === currentId ? html`aria-current="page"` : ''}
      >${node.title}</a
    >`;
    const children = tree.childrenOf(node.id);
    if (children.length) {
      return html`<li>
        <details ${openIds.has(node.id) ? html`open` : ''}>
          <summary>${link}</summary>
          <ul>
            ${treeItems(tree, children, currentId, openIds, base)}
          </ul>
        </details>
      </li>`;
    }
    if (!node.hasChildren) return html`<li>${link}</li>`;
    return html`<li>
      <details>
        <summary>${link}</summary>
        <ul
          hx-get="${base}/tree?page=${encodeURIComponent(node.id)}"
          hx-trigger='toggle once from:"closest details"'
          hx-target="this"
          hx-swap="innerHTML"
        >
          <li><a href="${notePath(node.slug)}">Open the page for its sub-pages</a></li>
        </ul>
      </details>
    </li>`;
  })}`;
}

/** One closed page's sub-pages, for htmx unfolding it in the sidebar (each may fold further). */
export function treeLevel(spaceSlug: string, nodes: readonly TreeNode[]): SafeHtml {
  return treeItems(new PageTree(nodes), nodes, undefined, new Set(), spacePath(spaceSlug));
}

function pageTree(current: NonNullable<SidebarModel['current']>): SafeHtml {
  const tree = new PageTree(current.tree.items);
  const noteId = current.noteId;
  const openIds = new Set(noteId ? [...tree.ancestors(noteId).map((n) => n.id), noteId] : []);
  const base = spacePath(current.space.slug);
  return html`<nav aria-label="Pages in ${current.space.name}">
    <h2 class="sidebar-title"><a href="${base}">${current.space.name}</a></h2>
    ${
      current.tree.items.length
        ? html`<ul class="page-tree">
            ${treeItems(tree, tree.top(), noteId, openIds, base)}
          </ul>`
        : html`<p class="empty">No pages yet.</p>`
    }
    ${
      current.tree.truncated
        ? html`<a class="sidebar-more" href="${base}/pages">More in All pages</a>`
        : html`<a class="sidebar-more" href="${base}/pages">All pages</a>`
    }
  </nav>`;
}

/**
 * The spaces I can read and the current space's pages. On a wide screen it is the left column;
 * on a phone, a section below the page whose summary folds it.
 */
export function sidebar(model: SidebarModel): SafeHtml {
  return html`<aside class="sidebar" aria-label="Spaces and pages">
    <details class="sidebar-panel" open>
      <summary>Spaces and pages</summary>
      ${spaceList(model)} ${model.current ? pageTree(model.current) : ''}
    </details>
  </aside>`;
}
