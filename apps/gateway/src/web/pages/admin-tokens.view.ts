import { html } from '../html.js';
import { pageView, type View } from '../render/view.js';
import { alert, csrfField } from '../components/components.js';
import { when } from './people.components.js';

export interface AdminTokenRow {
  id: string;
  name: string;
  prefix: string;
  role: string;
  owner: { name: string; email: string } | null;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
}

export interface AdminTokensModel {
  tokens: AdminTokenRow[];
  notice?: string | undefined;
  csrfToken: string;
  now: Date;
}

/** `/admin/tokens`: every API token, who it acts for, its last use and expiry; revoke. */
export function adminTokensView(model: AdminTokensModel): View {
  return pageView(
    'API tokens',
    html`<h1>API tokens</h1>
      <p><a href="/admin/users">People</a></p>
      ${model.notice ? alert('info', model.notice) : ''}
      ${
        model.tokens.length
          ? html`<table>
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Owner</th>
                  <th>Role</th>
                  <th>Last used</th>
                  <th>Expires</th>
                  <th></th>
                </tr>
              </thead>
              <tbody>
                ${model.tokens.map(
                  (token) =>
                    html`<tr>
                      <td>${token.name} <code class="small">${token.prefix}…</code></td>
                      <td>
                        ${token.owner ? html`${token.owner.name} <span class="small muted">${token.owner.email}</span>` : html`<span class="muted">automation</span>`}
                      </td>
                      <td>${token.role}</td>
                      <td>${when(token.lastUsedAt, model.now)}</td>
                      <td>
                        ${token.revokedAt ? html`<strong>revoked</strong>` : when(token.expiresAt, model.now)}
                      </td>
                      <td>
                        ${
                          token.revokedAt
                            ? ''
                            : html`<form method="post" action="/admin/tokens/${token.id}/revoke">
                                ${csrfField(model.csrfToken)}
                                <button type="submit" class="danger">Revoke</button>
                              </form>`
                        }
                      </td>
                    </tr>`,
                )}
              </tbody>
            </table>`
          : html`<p class="empty">There are no API tokens.</p>`
      }`,
    { wide: true },
  );
}
