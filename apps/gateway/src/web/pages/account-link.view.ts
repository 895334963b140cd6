import { html } from '../html.js';
import { pageView, type View } from '../render/view.js';
import { alert, csrfField } from '../components/components.js';

export interface InviteModel {
  token: string;
  email: string;
  role: string;
  /** An invite into a space: the person joins it with this role. */
  space: { name: string; role: string } | null;
  name: string;
  error: string | undefined;
  csrfToken: string;
  /** Single sign-on is configured: offer it instead of a password. */
  oidc: boolean;
}

const passwordField = (label: string) =>
  html`<div class="field">
    <label for="password">${label} <span class="hint">at least 12 characters</span></label>
    <input
      id="password"
      name="password"
      type="password"
      autocomplete="new-password"
      minlength="12"
      required
    />
  </div>`;

/** The invitee's sign-up form (`/invite/<token>`). */
export function inviteView(model: InviteModel): View {
  return pageView(
    'Join the wiki',
    html`<div class="narrow card">
      <h1>Join the wiki</h1>
      <p>
        You were invited as <strong>${model.email}</strong> (${model.role})${
          model.space
            ? html`, into the space <strong>${model.space.name}</strong> as ${model.space.role}`
            : ''
        }.
      </p>
      ${model.error ? alert('error', model.error) : ''}
      <form method="post" action="/invite/${model.token}" hx-boost="false">
        ${csrfField(model.csrfToken)}
        <input type="hidden" name="email" value="${model.email}" autocomplete="username" />
        <div class="field">
          <label for="name">Your name</label>
          <input
            id="name"
            name="name"
            value="${model.name}"
            autocomplete="name"
            maxlength="200"
            required
            autofocus
          />
        </div>
        ${passwordField('Password')}
        <div class="form-actions">
          <button class="primary" type="submit">Create my account</button>
        </div>
      </form>
      ${
        model.oidc
          ? html`<hr />
              <p>
                <a
                  class="button"
                  href="/auth/oidc/login?invite=${encodeURIComponent(model.token)}"
                  hx-boost="false"
                  >Sign up with single sign-on</a
                >
              </p>`
          : ''
      }
    </div>`,
  );
}

export interface ResetModel {
  token: string;
  email: string;
  error: string | undefined;
  csrfToken: string;
}

/** The reset link's form (`/reset/<token>`). */
export function resetView(model: ResetModel): View {
  return pageView(
    'Choose a new password',
    html`<div class="narrow card">
      <h1>Choose a new password</h1>
      <p>For <strong>${model.email}</strong>. You will be signed out everywhere else.</p>
      ${model.error ? alert('error', model.error) : ''}
      <form method="post" action="/reset/${model.token}" hx-boost="false">
        ${csrfField(model.csrfToken)}
        <input type="hidden" name="email" value="${model.email}" autocomplete="username" />
        ${passwordField('New password')}
        <div class="form-actions">
          <button class="primary" type="submit">Set password and sign in</button>
        </div>
      </form>
    </div>`,
  );
}

/** An unknown, used or expired link (410). */
export function deadLinkView(message: string): View {
  return pageView(
    'Link not valid',
    html`<div class="narrow card">
      <h1>This link does not work any more</h1>
      ${alert('error', message)}
      <p><a href="/login">Sign in</a></p>
    </div>`,
  );
}

export interface ForgotModel {
  /** SMTP is set up: people can ask for a link; otherwise the page says to ask an admin. */
  enabled: boolean;
  /** The request went through (the same words whether or not the address has an account). */
  sent: boolean;
  email: string;
  error: string | undefined;
  csrfToken: string;
  resetMinutes: number;
}

/** "Forgot password" (`/forgot`): asks for a reset link by e-mail. */
export function forgotView(model: ForgotModel): View {
  const body = !model.enabled
    ? html`<p>
          This wiki does not send mail. Ask an admin of the wiki for a password reset link: they
          make one on the People page.
        </p>
        <p><a href="/login">Back to sign in</a></p>`
    : model.sent
      ? html`${alert(
            'info',
            html`If <strong>${model.email}</strong> belongs to an account here, a link to set a new
              password is on its way. It works once, for ${model.resetMinutes} minutes.`,
          )}
          <p><a href="/login">Back to sign in</a></p>`
      : html`<p>
            Enter the e-mail address of your account; we mail you a link to set a new password.
          </p>
          ${model.error ? alert('error', model.error) : ''}
          <form method="post" action="/forgot" hx-boost="false">
            ${csrfField(model.csrfToken)}
            <div class="field">
              <label for="email">Email</label>
              <input
                id="email"
                name="email"
                type="email"
                autocomplete="username"
                value="${model.email}"
                maxlength="320"
                required
                autofocus
              />
            </div>
            <div class="form-actions">
              <button class="primary" type="submit">Send me a link</button>
              <a href="/login">Back to sign in</a>
            </div>
          </form>`;
  return pageView(
    'Forgot your password?',
    html`<div class="narrow card">
      <h1>Forgot your password?</h1>
      ${body}
    </div>`,
  );
}
