import { html, type SafeHtml } from '../html.js';
import { pageView, type View } from '../render/view.js';
import { type NoteItem, type RevisionItem } from '../view-models/note-fields.js';
import { csrfField, notePath, tagList, timeAgo } from '../components/components.js';

export interface RevisionsModel {
  note: NoteItem;
  revisions: RevisionItem[];
  canEdit: boolean;
  csrfToken: string;
  now: Date;
}

function restoreForm(note: NoteItem, revision: RevisionItem, csrfToken: string): SafeHtml {
  return html`<form
    method="post"
    action="${notePath(note.slug)}/revisions/${revision.number}/restore"
  >
    ${csrfField(csrfToken)}
    <button type="submit">Restore version ${revision.number}</button>
  </form>`;
}

const restoredNote = (n: number) =>
  html`<div class="muted small restored-from">Restored from version ${n}</div>`;

/** Tags one version has and the other has not, as the diff page lists them. */
function tagChanges(from: string[], to: string[]): SafeHtml {
  const removed = from.filter((tag) => !to.includes(tag));
  const added = to.filter((tag) => !from.includes(tag));
  if (!removed.length && !added.length) return html``;
  return html`<p class="tag-changes">
    Tags:
    ${removed.map((tag) => html`<del>${tag}</del> `)}${added.map((tag) => html`<ins>${tag}</ins> `)}
  </p>`;
}

const back = (note: NoteItem) => html`<p><a href="${notePath(note.slug)}">← ${note.title}</a></p>`;

export function revisionsView(model: RevisionsModel): View {
  const { note, revisions, now } = model;
  const sorted = [...revisions].sort((a, b) => b.number - a.number);
  const latest = sorted[0]?.number;
  const previous = sorted[1]?.number;
  const rows = sorted.map(
    (r) =>
      html`<tr>
        <td>
          <input
            type="radio"
            name="from"
            value="${r.number}"
            aria-label="Compare from version ${r.number}"
            ${r.number === previous ? html`checked` : ''}
          />
        </td>
        <td>
          <input
            type="radio"
            name="to"
            value="${r.number}"
            aria-label="Compare to version ${r.number}"
            ${r.number === latest ? html`checked` : ''}
          />
        </td>
        <td>
          <a href="${notePath(note.slug)}/revisions/${r.number}">Version ${r.number}</a
          >${r.number === latest ? html` <span class="muted">(current)</span>` : ''}
          ${r.restoredFrom ? restoredNote(r.restoredFrom) : ''}
        </td>
        <td>
          ${r.author ?? html`<span class="muted">unknown</span>`}
          <div class="muted small">${timeAgo(r.createdAt, now)}</div>
        </td>
      </tr>`,
  );
  return pageView(
    `History of ${note.title}`,
    html`${back(note)}
      <h1>History</h1>
      ${
        sorted.length
          ? html`<form method="get" action="${notePath(note.slug)}/diff">
              <table class="revisions">
                <thead>
                  <tr>
                    <th scope="col">From</th>
                    <th scope="col">To</th>
                    <th scope="col">Version</th>
                    <th scope="col">Saved by</th>
                  </tr>
                </thead>
                <tbody>
                  ${rows}
                </tbody>
              </table>
              <div class="form-actions">
                <button class="primary" type="submit" ${sorted.length < 2 ? html`disabled` : ''}>
                  Compare selected versions
                </button>
              </div>
            </form>`
          : html`<p class="empty">No revisions recorded.</p>`
      }`,
  );
}

export interface RevisionModel {
  note: NoteItem;
  revision: RevisionItem;
  content: SafeHtml;
  isCurrent: boolean;
  canEdit: boolean;
  csrfToken: string;
  now: Date;
}

export function revisionView(model: RevisionModel): View {
  const { note, revision } = model;
  const path = notePath(note.slug);
  return pageView(
    `${note.title} (version ${revision.number})`,
    html`${back(note)}
      <header class="page-header">
        <h1>${revision.title || note.title}</h1>
        <div class="page-meta">
          <span
            >Version
            ${revision.number}${revision.author ? html` by <strong>${revision.author}</strong>` : ''},
            ${timeAgo(revision.createdAt, model.now)}</span
          >${revision.restoredFrom ? restoredNote(revision.restoredFrom) : ''}
          ${tagList(revision.tags)}
          <div class="page-actions">
            ${revision.number > 1 ? html`<a class="button" href="${path}/diff?from=${revision.number - 1}&to=${revision.number}">Changes in this version</a>` : ''}
            <a class="button" href="${path}/revisions">All versions</a>
            ${model.canEdit && !model.isCurrent ? restoreForm(note, revision, model.csrfToken) : ''}
          </div>
        </div>
      </header>
      ${model.isCurrent ? '' : html`<p class="alert warning">This is an old version of the page.</p>`}
      <div class="prose">${model.content}</div>`,
  );
}

export interface DiffModel {
  note: NoteItem;
  from: RevisionItem;
  to: RevisionItem;
  /** The rendered line diff of the two bodies. */
  changes: SafeHtml;
  canEdit: boolean;
  csrfToken: string;
}

export function diffView(model: DiffModel): View {
  const { note, from, to } = model;
  const titleChanged = from.title !== to.title;
  return pageView(
    `${note.title}: version ${from.number} → ${to.number}`,
    html`${back(note)}
      <h1>Changes from version ${from.number} to ${to.number}</h1>
      ${titleChanged ? html`<p>Title: <del>${from.title}</del> → <ins>${to.title}</ins></p>` : ''}
      ${tagChanges(from.tags, to.tags)}
      ${to.restoredFrom ? html`<p>Version ${to.number} restored version ${to.restoredFrom}.</p>` : ''}
      ${model.changes}
      <div class="form-actions below">
        <a class="button" href="${notePath(note.slug)}/revisions">All versions</a>
        ${model.canEdit ? restoreForm(note, from, model.csrfToken) : ''}
      </div>`,
    { wide: true },
  );
}
