import { html } from '../html.js';
import { pageView, type View } from '../render/view.js';
import { alert } from '../components/components.js';

export interface LoginModel {
  next: string;
  error: string | undefined;
  oidc: boolean;
  signedInAs: string | undefined;
}

const MESSAGES: Record<string, string> = {
  invalid_credentials: 'That email and password do not match an account.',
  validation_failed: 'Enter your email and password.',
  invalid_characters: 'The email or password contains characters that cannot be part of one.',
  rate_limited: 'Too many attempts. Wait a minute and try again.',
  oidc_failed: 'Signing in with your identity provider did not work. Try again.',
  oidc_link_required:
    'An account with this e-mail already exists here. Sign in with your password first, then link your identity provider account at /auth/oidc/login?link=1.',
  oidc_not_configured: 'Single sign-on is not set up on this wiki.',
  unauthenticated: 'Please sign in to continue.',
  forbidden: 'This account cannot sign in.',
};

export function loginView(model: LoginModel): View {
  const message = model.error
    ? (MESSAGES[model.error] ?? 'Signing in did not work. Try again.')
    : undefined;
  const nextParam = model.next !== '/' ? `?next=${encodeURIComponent(model.next)}` : '';
  return pageView(
    'Sign in',
    html`<div class="narrow card">
      <h1>Sign in</h1>
      ${
        model.signedInAs
          ? alert(
              'info',
              html`You are signed in as ${model.signedInAs}. <a href="${model.next}">Continue</a>`,
            )
          : ''
      }
      ${message ? alert('error', message) : ''}
      <form method="post" action="/login" hx-boost="false">
        <input type="hidden" name="next" value="${model.next}" />
        <div class="field">
          <label for="email">Email</label>
          <input id="email" name="email" type="email" autocomplete="username" required autofocus />
        </div>
        <div class="field">
          <label for="password">Password</label>
          <input
            id="password"
            name="password"
            type="password"
            autocomplete="current-password"
            required
          />
        </div>
        <div class="form-actions">
          <button class="primary" type="submit">Sign in</button>
          <a href="/forgot">Forgot your password?</a>
        </div>
      </form>
      ${
        model.oidc
          ? html`<hr />
              <p>
                <a class="button" href="/auth/oidc/login${nextParam}" hx-boost="false"
                  >Sign in with single sign-on</a
                >
              </p>`
          : ''
      }
    </div>`,
  );
}
