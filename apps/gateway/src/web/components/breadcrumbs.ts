import { type TreeNode } from '@lateral/contracts';
import { html, type SafeHtml } from '../html.js';
import { notePath } from './components.js';
import { spacePath } from './sidebar.js';

/** Space › parent › … › page; the last crumb is the page itself, not a link. */
export function breadcrumbs(
  space: { slug: string; name: string },
  ancestors: readonly Pick<TreeNode, 'slug' | 'title'>[],
  title: string,
): SafeHtml {
  return html`<nav class="breadcrumbs" aria-label="Breadcrumb">
    <ol>
      <li><a href="${spacePath(space.slug)}">${space.name}</a></li>
      ${ancestors.map((a) => html`<li><a href="${notePath(a.slug)}">${a.title}</a></li>`)}
      <li aria-current="page">${title}</li>
    </ol>
  </nav>`;
}
