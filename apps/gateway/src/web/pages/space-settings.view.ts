import { type Space, type SpaceRole } from '@lateral/contracts';
import { html, type SafeHtml } from '../html.js';
import { pageView, type View } from '../render/view.js';
import { alert, csrfField } from '../components/components.js';
import { spacePath } from '../components/sidebar.js';

export interface MemberRow {
  userId: string;
  role: SpaceRole;
  name: string | undefined;
  email: string | undefined;
}

const ROLES: SpaceRole[] = ['reader', 'editor', 'admin'];

function visibilityField(current: 'team' | 'private'): SafeHtml {
  return html`<fieldset>
    <legend>Who can read it</legend>
    <label
      ><input
        type="radio"
        name="visibility"
        value="team"
        ${current === 'team' ? html`checked` : ''}
      />
      Everyone signed in</label
    >
    <label
      ><input
        type="radio"
        name="visibility"
        value="private"
        ${current === 'private' ? html`checked` : ''}
      />
      Members only (private)</label
    >
  </fieldset>`;
}

export function newSpaceView(model: {
  values: { name: string; description: string; visibility: 'team' | 'private' };
  error?: string | undefined;
  csrfToken: string;
}): View {
  return pageView(
    'New space',
    html`<h1>New space</h1>
      ${model.error ? alert('error', model.error) : ''}
      <form method="post" action="/spaces" class="stack">
        ${csrfField(model.csrfToken)}
        <label for="space-name">Name</label>
        <input
          id="space-name"
          name="name"
          required
          maxlength="100"
          value="${model.values.name}"
          autofocus
        />
        <label for="space-description">Description</label>
        <textarea id="space-description" name="description" rows="3" maxlength="1000">
${model.values.description}</textarea>
        ${visibilityField(model.values.visibility)}
        <button class="primary" type="submit">Create space</button>
      </form>`,
  );
}

export function spaceSettingsView(model: {
  space: Space;
  members: MemberRow[];
  notice?: string | undefined;
  error?: { section: 'space' | 'members'; message: string } | undefined;
  csrfToken: string;
}): View {
  const { space } = model;
  const base = spacePath(space.slug);
  const errorFor = (section: 'space' | 'members') =>
    model.error?.section === section ? alert('error', model.error.message) : '';
  return pageView(
    `Settings · ${space.name}`,
    html`<h1>Settings of <a href="${base}">${space.name}</a></h1>
      ${model.notice ? alert('info', model.notice) : ''}
      <section aria-labelledby="space-details">
        <h2 id="space-details">Name and access</h2>
        ${errorFor('space')}
        <form method="post" action="${base}/settings" class="stack">
          ${csrfField(model.csrfToken)}
          <label for="space-name">Name</label>
          <input id="space-name" name="name" required maxlength="100" value="${space.name}" />
          <label for="space-description">Description</label>
          <textarea id="space-description" name="description" rows="3" maxlength="1000">
${space.description}</textarea>
          ${visibilityField(space.visibility)}
          <button type="submit">Save</button>
        </form>
      </section>
      <section aria-labelledby="space-members">
        <h2 id="space-members">Members</h2>
        ${errorFor('members')}
        <table class="members">
          <thead>
            <tr>
              <th>Person</th>
              <th>Role</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            ${model.members.map(
              (m) =>
                html`<tr>
                  <td>
                    ${m.name ?? m.userId}${m.email ? html` <span class="muted">${m.email}</span>` : ''}
                  </td>
                  <td>${m.role}</td>
                  <td>
                    <form
                      method="post"
                      action="${base}/members/${encodeURIComponent(m.userId)}/remove"
                    >
                      ${csrfField(model.csrfToken)}
                      <button class="link danger" type="submit">Remove</button>
                    </form>
                  </td>
                </tr>`,
            )}
          </tbody>
        </table>
        <form method="post" action="${base}/members" class="stack">
          ${csrfField(model.csrfToken)}
          <label for="member-person">E-mail or user id</label>
          <input id="member-person" name="person" required maxlength="320" />
          <label for="member-role">Role</label>
          <select id="member-role" name="role">
            ${ROLES.map((r) => html`<option value="${r}" ${r === 'editor' ? html`selected` : ''}>${r}</option>`)}
          </select>
          <button type="submit">Add or change member</button>
        </form>
      </section>`,
    { place: { spaceId: space.id } },
  );
}
