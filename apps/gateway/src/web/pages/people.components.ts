import { type Role } from '@lateral/identity';
import { html, type SafeHtml } from '../html.js';
import { alert, timeAgo } from '../components/components.js';

export const ROLE_NAMES: readonly Role[] = ['reader', 'editor', 'admin'];

/** A role `<select>`, offering only the roles in `allowed`. */
export function roleSelect(
  id: string,
  selected: Role,
  allowed: readonly Role[] = ROLE_NAMES,
  label = 'Role',
): SafeHtml {
  return html`<label for="${id}">${label}</label>
    <select id="${id}" name="role">
      ${allowed.map(
        (role) =>
          html`<option value="${role}" ${role === selected ? 'selected' : ''}>${role}</option>`,
      )}
    </select>`;
}

/** A secret or link shown once, ready to copy. */
export function shownOnce(label: string, value: string, id: string, note: string): SafeHtml {
  return alert(
    'info',
    html`<label for="${id}">${label}</label>
      <input id="${id}" class="secret" type="text" value="${value}" readonly spellcheck="false" />
      <span class="hint">${note}</span>`,
  );
}

/** "3 days ago", or a dash. */
export function when(iso: string | null, now: Date): SafeHtml | string {
  return iso ? timeAgo(new Date(iso), now) : '—';
}
