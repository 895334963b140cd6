import { html } from '../html.js';
import { pageView, type View } from '../render/view.js';
import { alert, csrfField } from '../components/components.js';
import { ROLE_NAMES, roleSelect, shownOnce, when } from './people.components.js';

export interface AdminUserRow {
  id: string;
  name: string;
  email: string;
  role: (typeof ROLE_NAMES)[number];
  disabled: boolean;
  oidc: boolean;
  createdAt: string;
}

export interface PendingInviteRow {
  id: string;
  email: string;
  role: string;
  expiresAt: string;
  /** An invite into a space: the space and the role there. */
  space?: { name: string; role: string } | null;
}

export interface AdminUsersModel {
  users: AdminUserRow[];
  total: number;
  query: string;
  page: number;
  pageSize: number;
  invites: PendingInviteRow[];
  selfId: string;
  notice?: string | undefined;
  error?: string | undefined;
  /** The invite form as sent, kept when it is shown again with an error. */
  inviteForm?: { email: string; role: (typeof ROLE_NAMES)[number] } | undefined;
  /** A link just made (invite or reset), shown this once. */
  link?: { label: string; url: string; note: string } | undefined;
  csrfToken: string;
  now: Date;
}

function pageUrl(query: string, page: number): string {
  const params = new URLSearchParams();
  if (query) params.set('q', query);
  if (page > 1) params.set('page', String(page));
  const text = params.toString();
  return `/admin/users${text ? `?${text}` : ''}`;
}

function userRow(user: AdminUserRow, model: AdminUsersModel) {
  const self = user.id === model.selfId;
  const action = (path: string) => `/admin/users/${user.id}/${path}`;
  return html`<tr>
    <td>
      <strong>${user.name}</strong>${self ? html` <span class="hint">(you)</span>` : ''}<br /><span
        class="small muted"
        >${user.email}</span
      >
    </td>
    <td>
      ${
        self
          ? user.role
          : html`<form method="post" action="${action('role')}" class="inline-form">
              ${csrfField(model.csrfToken)}
              ${roleSelect(`role-${user.id}`, user.role, ROLE_NAMES, `Role of ${user.name}`)}
              <button type="submit">Change</button>
            </form>`
      }
    </td>
    <td>${user.disabled ? html`<strong>disabled</strong>` : 'active'}</td>
    <td>
      ${
        self
          ? ''
          : html`<form method="post" action="${action(user.disabled ? 'enable' : 'disable')}">
              ${csrfField(model.csrfToken)}
              <button type="submit" class="${user.disabled ? '' : 'danger'}">
                ${user.disabled ? 'Enable' : 'Disable'}
              </button>
            </form>`
      }
      <form method="post" action="${action('reset-link')}">
        ${csrfField(model.csrfToken)}
        <button type="submit">Send a reset link</button>
      </form>
    </td>
  </tr>`;
}

/** `/admin/users`: people (search, paging, role, disable, reset link) and invites. */
export function adminUsersView(model: AdminUsersModel): View {
  const pages = Math.max(1, Math.ceil(model.total / model.pageSize));
  const form = model.inviteForm ?? { email: '', role: 'editor' as const };
  return pageView(
    'People',
    html`<h1>People</h1>
      <p><a href="/admin/tokens">API tokens</a></p>
      ${model.notice ? alert('info', model.notice) : ''}
      ${model.error ? alert('error', model.error) : ''}
      ${model.link ? shownOnce(model.link.label, model.link.url, 'one-time-link', model.link.note) : ''}
      <section aria-labelledby="invite-heading">
        <h2 id="invite-heading">Invite someone</h2>
        <form method="post" action="/admin/invites">
          ${csrfField(model.csrfToken)}
          <div class="field">
            <label for="invite-email">E-mail</label>
            <input id="invite-email" name="email" type="email" value="${form.email}" required />
          </div>
          <div class="field">${roleSelect('invite-role', form.role)}</div>
          <div class="form-actions">
            <button class="primary" type="submit">Create invite link</button>
          </div>
        </form>
        ${
          model.invites.length
            ? html`<h3>Pending invites</h3>
                <table>
                  <tbody>
                    ${model.invites.map(
                      (invite) =>
                        html`<tr>
                          <td>${invite.email}</td>
                          <td>
                            ${invite.role}${invite.space ? html`, ${invite.space.role} in ${invite.space.name}` : ''}
                          </td>
                          <td>expires ${when(invite.expiresAt, model.now)}</td>
                          <td>
                            <form method="post" action="/admin/invites/${invite.id}/revoke">
                              ${csrfField(model.csrfToken)}
                              <button type="submit" class="danger">Withdraw</button>
                            </form>
                          </td>
                        </tr>`,
                    )}
                  </tbody>
                </table>`
            : ''
        }
      </section>
      <section aria-labelledby="people-heading">
        <h2 id="people-heading">Accounts <span class="hint">${String(model.total)}</span></h2>
        <form class="search-form" method="get" action="/admin/users" role="search">
          <label class="visually-hidden" for="people-q">Search people</label>
          <input
            id="people-q"
            type="search"
            name="q"
            value="${model.query}"
            placeholder="Name or e-mail"
          />
          <button type="submit">Search</button>
        </form>
        ${
          model.users.length
            ? html`<table class="people">
                <thead>
                  <tr>
                    <th>Person</th>
                    <th>Role</th>
                    <th>Status</th>
                    <th>Actions</th>
                  </tr>
                </thead>
                <tbody>
                  ${model.users.map((user) => userRow(user, model))}
                </tbody>
              </table>`
            : html`<p class="empty">Nobody matches “${model.query}”.</p>`
        }
        ${
          pages > 1
            ? html`<nav class="pager" aria-label="Pages">
                ${model.page > 1 ? html`<a class="button" href="${pageUrl(model.query, model.page - 1)}">Previous</a>` : ''}
                <span class="muted">page ${String(model.page)} of ${String(pages)}</span>
                ${model.page < pages ? html`<a class="button" href="${pageUrl(model.query, model.page + 1)}">Next</a>` : ''}
              </nav>`
            : ''
        }
      </section>`,
    { wide: true },
  );
}
