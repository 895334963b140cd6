import { type Space, type SpaceRole } from '@lateral/contracts';
import { html, type SafeHtml } from '../html.js';
import { pageView, type View } from '../render/view.js';
import { alert, csrfField } from '../components/components.js';
import { spacePath } from '../components/sidebar.js';
import { shownOnce } from './people.components.js';

export interface MemberRow {
  userId: string;
  role: SpaceRole;
  name: string | undefined;
  email: string | undefined;
}

const ROLES: SpaceRole[] = ['reader', 'editor', 'admin'];

/** The parts of the settings page an error is shown in. */
export type SettingsSection = 'space' | 'members' | 'invite' | 'delete';

const roleOptions = (roles: readonly SpaceRole[], selected: SpaceRole) =>
  roles.map(
    (r) => html`<option value="${r}" ${r === selected ? html`selected` : ''}>${r}</option>`,
  );

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
  error?: { section: SettingsSection; message: string } | undefined;
  /** An invite just made: its link, shown this once. */
  invite?: { email: string; url: string; mailed: boolean } | undefined;
  /** The wiki-wide roles this person may give an invitee (up to their own; admin for admins). */
  inviteRoles: readonly SpaceRole[];
  csrfToken: string;
}): View {
  const { space } = model;
  const base = spacePath(space.slug);
  const errorFor = (section: SettingsSection) =>
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
            ${roleOptions(ROLES, 'editor')}
          </select>
          <button type="submit">Add or change member</button>
        </form>
      </section>
      <section aria-labelledby="space-invite">
        <h2 id="space-invite">Invite someone new</h2>
        <p class="hint">
          For people without an account yet: they get a one-time link, sign up and join this space.
        </p>
        ${errorFor('invite')}
        ${
          model.invite
            ? shownOnce(
                `Invite link for ${model.invite.email}`,
                model.invite.url,
                'invite-link',
                model.invite.mailed
                  ? `Mailed to ${model.invite.email}. It works once; this is the only other place it is shown.`
                  : 'Copy it and send it to them: it is shown only this once and works once.',
              )
            : ''
        }
        <form method="post" action="${base}/invites" class="stack">
          ${csrfField(model.csrfToken)}
          <label for="invite-email">E-mail</label>
          <input id="invite-email" name="email" type="email" required maxlength="320" />
          <label for="invite-space-role">Role in ${space.name}</label>
          <select id="invite-space-role" name="spaceRole">
            ${roleOptions(ROLES, 'editor')}
          </select>
          <label for="invite-role">Role in the whole wiki</label>
          <select id="invite-role" name="role">
            ${roleOptions(model.inviteRoles, model.inviteRoles.includes('editor') ? 'editor' : 'reader')}
          </select>
          <button type="submit">Create invite</button>
        </form>
      </section>
      <section aria-labelledby="space-delete">
        <h2 id="space-delete">Delete this space</h2>
        ${errorFor('delete')}
        <p class="hint">
          Only an empty space can be deleted: move its pages to another space first (a page's Move
          form), and delete its pages in the trash for good.
        </p>
        <form method="post" action="${base}/delete">
          ${csrfField(model.csrfToken)}
          <button class="danger" type="submit">Delete ${space.name}</button>
        </form>
      </section>`,
    { place: { spaceId: space.id } },
  );
}
