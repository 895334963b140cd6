import { html, type SafeHtml } from '../html.js';
import { pageView, type View } from './view.js';

export interface ErrorInfo {
  status: number;
  code: string;
  message: string;
  requestId?: string;
  /** `notes` or `media` when an internal service is down. */
  upstream?: string;
  /** Where "try again" goes (the page that failed, for GET requests). */
  retryUrl?: string;
  /** Whether the failed request targeted the main column (auto-retry only there). */
  pageRequest: boolean;
}

const TITLES: Record<number, string> = {
  400: 'That did not work',
  401: 'Please sign in',
  403: 'Not allowed',
  404: 'Not found',
  409: 'Conflict',
  413: 'Too large',
  415: 'Unsupported file',
  429: 'Slow down',
  502: 'Something answered badly',
  503: 'Temporarily unavailable',
};

const RETRY_SECONDS = 5;

function unavailable(info: ErrorInfo): SafeHtml {
  const service = info.upstream
    ? info.upstream[0]!.toUpperCase() + info.upstream.slice(1)
    : 'The wiki';
  const retry = info.retryUrl;
  // htmx retries by itself (a delayed load trigger); without JS the page has a meta refresh.
  const autoRetry =
    retry && info.pageRequest
      ? html`<span
          hx-get="${retry}"
          hx-trigger="load delay:${RETRY_SECONDS}s"
          hx-push-url="false"
        ></span>`
      : '';
  return html`<div class="error-page" role="alert">
    <p class="code">503</p>
    <h1>${service} is unavailable, retrying…</h1>
    <p class="muted">${info.message} This page tries again every ${RETRY_SECONDS} seconds.</p>
    ${retry ? html`<p><a class="button primary" href="${retry}">Retry now</a></p>` : ''}
    ${autoRetry}
  </div>`;
}

/** The error page (or fragment): what happened in words, and what to do next. */
export function errorView(info: ErrorInfo): View {
  if (info.status === 503 && (info.upstream || info.code === 'upstream_unavailable')) {
    return pageView('Unavailable', unavailable(info), {
      ...(info.retryUrl && info.pageRequest ? { refreshSeconds: RETRY_SECONDS } : {}),
    });
  }
  const title = TITLES[info.status] ?? (info.status >= 500 ? 'Something went wrong' : 'Error');
  const next =
    info.code === 'csrf_failed'
      ? html`<a class="button" href="${info.retryUrl ?? '/'}">Reload the page</a>`
      : info.status === 401
        ? html`<a class="button primary" href="/login">Sign in</a>`
        : html`<a class="button" href="/">Go to the home page</a>`;
  const body = html`<div class="error-page" role="alert">
    <p class="code">${info.status}</p>
    <h1>${title}</h1>
    <p>${info.message}</p>
    <p>${next}</p>
    ${info.requestId ? html`<p class="small muted">Request id: <code>${info.requestId}</code></p>` : ''}
  </div>`;
  return pageView(title, body);
}
