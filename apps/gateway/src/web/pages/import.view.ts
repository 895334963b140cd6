import { html } from '../html.js';
import { pageView, type View } from '../render/view.js';
import { type ImportResult } from '../platform.js';
import { alert, notePath } from '../components/components.js';

export function importView(model: {
  csrfToken: string;
  error?: string | undefined;
  maxMegabytes: number;
}): View {
  // Multipart bodies are read after the guards run, so a plain form carries the token in the URL.
  const action = `/import?_csrf=${encodeURIComponent(model.csrfToken)}`;
  return pageView(
    'Import',
    html`<h1>Import pages</h1>
      <p>
        Upload a single markdown file, or a <strong>Notion export</strong> (<em
          >Export → Markdown &amp; CSV</em
        >, a <code>.zip</code>). Titles, <code>Created</code> and <code>Tags</code> properties,
        images (HEIC too) and links between the pages come along. Importing the same export again
        does not duplicate pages.
      </p>
      ${model.error ? alert('error', model.error) : ''}
      <form method="post" action="${action}" enctype="multipart/form-data" hx-disable="find button">
        <div class="field">
          <label for="file"
            >Markdown file or Notion export
            <span class="hint">.md or .zip, up to ${model.maxMegabytes} MB</span></label
          >
          <input id="file" name="file" type="file" accept=".md,.markdown,.txt,.zip" required />
        </div>
        <div class="form-actions">
          <button class="primary" type="submit">Import</button>
          <span class="htmx-indicator muted small">Importing… large exports take a while.</span>
        </div>
      </form>`,
  );
}

export function importResultView(result: ImportResult): View {
  const created = result.notes.filter((n) => n.created).length;
  const existing = result.notes.length - created;
  return pageView(
    'Import finished',
    html`<h1>Import finished</h1>
      ${alert(
        result.errors.length ? 'warning' : 'info',
        html`${created} new
        page${created === 1 ? '' : 's'}${existing ? html`, ${existing} already imported before` : ''},
        ${result.media.length}
        image${result.media.length === 1 ? '' : 's'}${
          result.errors.length
            ? html`, ${result.errors.length} problem${result.errors.length === 1 ? '' : 's'}`
            : ''
        }.`,
      )}
      <ul class="page-list">
        ${result.notes.map(
          (note) =>
            html`<li>
              <a class="title" href="${notePath(note.slug)}">${note.title}</a>
              <div class="meta">${note.path}${note.created ? '' : ' · already imported'}</div>
            </li>`,
        )}
      </ul>
      ${
        result.errors.length
          ? html`<h2>Not imported</h2>
              <ul>
                ${result.errors.map((e) => html`<li><code>${e.path}</code>: ${e.message}</li>`)}
              </ul>`
          : ''
      }
      <p><a class="button" href="/import">Import more</a></p>`,
  );
}
