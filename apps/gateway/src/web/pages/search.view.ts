import { html, type SafeHtml } from '../html.js';
import { pageView, type View } from '../render/view.js';
import { type SearchItem } from '../view-models/note-fields.js';
import { notePath, tagList } from '../components/components.js';

export interface SearchModel {
  q: string;
  tag: string;
  items: SearchItem[];
  suggestion: string | undefined;
}

function results(model: SearchModel): SafeHtml {
  if (!model.q) return html`<p class="muted">Type to search titles, tags and text.</p>`;
  if (!model.items.length) {
    return html`<p class="empty">
      No pages match “${model.q}”.
      ${
        model.suggestion
          ? html`Did you mean
              <a href="/search?q=${encodeURIComponent(model.suggestion)}">${model.suggestion}</a>?`
          : ''
      }
    </p>`;
  }
  return html`<p class="visually-hidden" role="status">${model.items.length} results</p>
    <ul class="results" role="listbox" aria-label="Search results">
      ${model.items.map(
        (item, i) =>
          html`<li id="result-${i}" data-result role="option" aria-selected="false">
            <a class="title" href="${notePath(item.slug)}">${item.title}</a>
            ${item.snippet.toString() ? html`<p class="snippet">${item.snippet}</p>` : ''}
            ${tagList(item.tags)}
          </li>`,
      )}
    </ul>`;
}

/**
 * One template, two answers: the whole page (normal request, history restore) or just the
 * results (the active search box targets `#search-results`; the renderer picks the fragment).
 */
export function searchView(model: SearchModel): View {
  const found = results(model);
  return pageView(
    model.q ? `Search: ${model.q}` : 'Search',
    html`<h1 class="visually-hidden">Search</h1>
      <form class="search-form" action="/search" method="get" role="search">
        <input
          id="search-page-input"
          type="search"
          name="q"
          value="${model.q}"
          placeholder="Search pages"
          aria-label="Search pages"
          aria-controls="search-results"
          autocomplete="off"
          autofocus
          hx-get="/search"
          hx-trigger="input changed delay:250ms, search"
          hx-target="#search-results"
          hx-include="closest form"
          hx-replace-url="true"
          hx-sync="this:replace"
          hx-indicator="#search-spinner"
        />
        ${model.tag ? html`<input type="hidden" name="tag" value="${model.tag}" />` : ''}
        <button type="submit">Search</button>
      </form>
      <p id="search-spinner" class="htmx-indicator search-status muted small" aria-hidden="true">
        Searching…
      </p>
      ${model.tag ? html`<p class="muted">Only pages tagged ${tagList([model.tag])}</p>` : ''}
      <div id="search-results">${found}</div>`,
    { fragments: { 'search-results': found } },
  );
}
