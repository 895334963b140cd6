import { type Role } from '@lateral/identity';
import { html } from '../html.js';
import { pageView, type View } from '../render/view.js';
import { alert, csrfField } from '../components/components.js';
import { type ApiTokenView } from '../platform.js';
import { ROLE_NAMES, roleSelect, shownOnce, when } from './people.components.js';

export type SettingsSection = 'name' | 'password' | 'tokens';

export interface SettingsModel {
  name: string;
  email: string | undefined;
  role: Role;
  /** False for people who only sign in through single sign-on. */
  hasPassword: boolean;
  tokens: ApiTokenView[];
  maxTokenDays: number;
  notice?: string | undefined;
  error?: { section: SettingsSection; message: string } | undefined;
  newToken?: { name: string; token: string } | undefined;
  csrfToken: string;
  now: Date;
}

const EXPIRY_DAYS = [7, 30, 90, 365];

function errorFor(model: SettingsModel, section: SettingsSection) {
  return model.error?.section === section ? alert('error', model.error.message) : '';
}

function tokenRows(model: SettingsModel) {
  if (!model.tokens.length) return html`<p class="empty">You have no API tokens.</p>`;
  return html`<table>
    <thead>
      <tr>
        <th>Name</th>
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
            <td>${token.role}</td>
            <td>${when(token.lastUsedAt, model.now)}</td>
            <td>${token.revokedAt ? 'revoked' : when(token.expiresAt, model.now)}</td>
            <td>
              ${
                token.revokedAt
                  ? ''
                  : html`<form method="post" action="/settings/tokens/${token.id}/revoke">
                      ${csrfField(model.csrfToken)}
                      <button class="danger" type="submit">Revoke</button>
                    </form>`
              }
            </td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

/** `/settings`: my name, my password, my API tokens. */
export function settingsView(model: SettingsModel): View {
  const roles = ROLE_NAMES.slice(0, ROLE_NAMES.indexOf(model.role) + 1);
  const days = EXPIRY_DAYS.filter((d) => d <= model.maxTokenDays);
  return pageView(
    'Settings',
    html`<h1>Settings</h1>
      ${model.notice ? alert('info', model.notice) : ''}
      <section aria-labelledby="settings-name">
        <h2 id="settings-name">Name</h2>
        ${errorFor(model, 'name')}
        <form method="post" action="/settings/name">
          ${csrfField(model.csrfToken)}
          <div class="field">
            <label for="name"
              >Your name <span class="hint">${model.email ?? ''} · ${model.role}</span></label
            >
            <input id="name" name="name" value="${model.name}" maxlength="200" required />
          </div>
          <div class="form-actions"><button type="submit">Save name</button></div>
        </form>
      </section>
      <section aria-labelledby="settings-password">
        <h2 id="settings-password">Password</h2>
        ${errorFor(model, 'password')}
        ${
          model.hasPassword
            ? html`<form method="post" action="/settings/password">
                ${csrfField(model.csrfToken)}
                <div class="field">
                  <label for="current-password">Current password</label>
                  <input
                    id="current-password"
                    name="currentPassword"
                    type="password"
                    autocomplete="current-password"
                    required
                  />
                </div>
                <div class="field">
                  <label for="new-password"
                    >New password <span class="hint">at least 12 characters</span></label
                  >
                  <input
                    id="new-password"
                    name="newPassword"
                    type="password"
                    autocomplete="new-password"
                    minlength="12"
                    required
                  />
                </div>
                <p class="hint">Changing it signs you out on every other device.</p>
                <div class="form-actions"><button type="submit">Change password</button></div>
              </form>`
            : html`<p class="muted">You sign in with single sign-on; there is no password here.</p>`
        }
      </section>
      <section aria-labelledby="settings-tokens">
        <h2 id="settings-tokens">API tokens</h2>
        <p class="hint">
          For scripts: send <code>Authorization: Bearer &lt;token&gt;</code>. A token never has more
          rights than you.
        </p>
        ${
          model.newToken
            ? shownOnce(
                `Token “${model.newToken.name}”`,
                model.newToken.token,
                'new-token',
                'Copy it now: it is shown only this once.',
              )
            : ''
        }
        ${errorFor(model, 'tokens')} ${tokenRows(model)}
        <h3>New token</h3>
        <form method="post" action="/settings/tokens">
          ${csrfField(model.csrfToken)}
          <div class="field">
            <label for="token-name">Name</label>
            <input id="token-name" name="name" maxlength="100" required />
          </div>
          <div class="field">${roleSelect('token-role', 'reader', roles)}</div>
          <div class="field">
            <label for="token-expiry">Expires after</label>
            <select id="token-expiry" name="expiresInDays">
              ${days.map((d) => html`<option value="${String(d)}" ${d === 90 ? 'selected' : ''}>${String(d)} days</option>`)}
            </select>
          </div>
          <div class="form-actions"><button type="submit">Create token</button></div>
        </form>
      </section>`,
  );
}
