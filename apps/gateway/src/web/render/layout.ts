import { html, type SafeHtml } from '../html.js';
import { type SessionUser, hasRole } from '../platform.js';

export interface LayoutContext {
  user: SessionUser | undefined;
  csrfToken: string;
  path: string;
  assets: { css: string; js: string; htmx: string; icon: string };
}

export interface LayoutPage {
  title: string;
  body: SafeHtml;
  wide?: boolean;
  refreshSeconds?: number;
  fragments?: Readonly<Record<string, SafeHtml>>;
  /** The spaces and page tree (`components/sidebar.ts`), when the page has one. */
  sidebar?: SafeHtml | undefined;
}

export const SITE_NAME = 'Lateral';

export const documentTitle = (title: string) => (title ? `${title} · ${SITE_NAME}` : SITE_NAME);

const navLink = (href: string, label: string, path: string, extraClass = '') =>
  html`<a href="${href}" class="${extraClass}" ${path === href ? html`aria-current="page"` : ''}
    >${label}</a
  >`;

function siteNav(ctx: LayoutContext): SafeHtml {
  const { user, path } = ctx;
  if (!user)
    return html`<nav class="site-nav" aria-label="Site"><a href="/login">Sign in</a></nav>`;
  const editor = hasRole(user.role, 'editor');
  return html`<nav class="site-nav" aria-label="Site">
    ${navLink('/tags', 'Tags', path)} ${navLink('/trash', 'Trash', path, 'optional')}
    ${editor ? navLink('/import', 'Import', path, 'optional') : ''}
    ${hasRole(user.role, 'admin') ? navLink('/ops', 'Operations', path, 'optional') : ''}
    ${hasRole(user.role, 'admin') ? html`${navLink('/admin/users', 'People', path, 'optional')} ${navLink('/admin/tokens', 'Tokens', path, 'optional')}` : ''}
    ${navLink('/settings', 'Settings', path, 'optional')}
    ${editor ? html`<a href="/new" class="button primary" title="New page (n)">New page</a>` : ''}
    <form method="post" action="/logout" hx-boost="false" class="optional">
      <input type="hidden" name="_csrf" value="${ctx.csrfToken}" />
      <button class="link" type="submit" title="Signed in as ${user.name}">Sign out</button>
    </form>
    ${phoneMenu(ctx, user)}
  </nav>`;
}

/**
 * On a phone the links marked `optional` above give way to this menu, which lists every
 * destination (add a link here too when adding one to the header). `<details>` opens without
 * JavaScript; app.js closes it after htmx swaps the main column and on a tap outside.
 */
function phoneMenu(ctx: LayoutContext, user: SessionUser): SafeHtml {
  const { path } = ctx;
  const editor = hasRole(user.role, 'editor');
  return html`<details class="phone-menu">
    <summary>Menu</summary>
    <div class="phone-menu-panel">
      <p class="phone-menu-user">Signed in as ${user.name}</p>
      <ul>
        ${editor ? html`<li>${navLink('/new', 'New page', path)}</li>` : ''}
        <li>${navLink('/search', 'Search', path)}</li>
        <li>${navLink('/', 'Recent pages', path)}</li>
        <li>${navLink('/spaces', 'Spaces', path)}</li>
        <li>${navLink('/tags', 'Tags', path)}</li>
        <li>${navLink('/trash', 'Trash', path)}</li>
        ${editor ? html`<li>${navLink('/import', 'Import', path)}</li>` : ''}
        ${hasRole(user.role, 'admin') ? html`<li>${navLink('/ops', 'Operations', path)}</li>` : ''}
        ${
          hasRole(user.role, 'admin')
            ? html`<li>${navLink('/admin/users', 'People', path)}</li>
                <li>${navLink('/admin/tokens', 'API tokens', path)}</li>`
            : ''
        }
        <li>${navLink('/settings', 'Settings', path)}</li>
      </ul>
      <form method="post" action="/logout" hx-boost="false">
        <input type="hidden" name="_csrf" value="${ctx.csrfToken}" />
        <button class="link" type="submit">Sign out</button>
      </form>
    </div>
  </details>`;
}

/** What goes inside `#main`: the same for a full page and for an htmx swap. */
export function pageContent(page: LayoutPage): SafeHtml {
  const column = html`<div class="column${page.wide ? ' wide' : ''}">${page.body}</div>`;
  // The sidebar sits inside #main so that an htmx swap also moves its "current page" mark; it
  // comes after the column in the markup (on a phone it is a collapsible section below the page)
  // and CSS puts it on the left on wider screens.
  return page.sidebar ? html`<div class="with-sidebar">${column}${page.sidebar}</div>` : column;
}

/** The fragment htmx swaps into `#main`; its `<title>` updates the tab. */
export function pageFragment(page: LayoutPage): SafeHtml {
  return html`<title>${documentTitle(page.title)}</title>${pageContent(page)}`;
}

/**
 * The one page layout. Links and forms inside the body are boosted by htmx into `#main`, with
 * the CSRF token sent as a header; without JavaScript they are ordinary links and forms.
 */
export function layout(page: LayoutPage, ctx: LayoutContext): SafeHtml {
  const canEdit = ctx.user ? hasRole(ctx.user.role, 'editor') : false;
  const headers = JSON.stringify({ 'x-csrf-token': ctx.csrfToken });
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${documentTitle(page.title)}</title>
        <meta name="color-scheme" content="light dark" />
        <meta name="csrf-token" content="${ctx.csrfToken}" />
        <meta name="htmx-config" content='{"includeIndicatorCSS":false,"defaultTimeout":20000}' />
        ${page.refreshSeconds ? html`<meta http-equiv="refresh" content="${page.refreshSeconds}" />` : ''}
        <link rel="icon" href="/favicon.ico" sizes="16x16 32x32 48x48" />
        <link rel="icon" href="${ctx.assets.icon}" type="image/svg+xml" />
        <link rel="stylesheet" href="${ctx.assets.css}" />
        <script src="${ctx.assets.htmx}" defer></script>
        <script src="${ctx.assets.js}" defer></script>
      </head>
      <body
        hx-boost:inherited="true"
        hx-target:inherited="#main"
        hx-headers:inherited="${headers}"
        data-can-edit="${String(canEdit)}"
      >
        <a class="skip-link" href="#main">Skip to content</a>
        <header class="site-header">
          <a class="brand" href="/"
            ><span class="brand-mark" aria-hidden="true"></span>${SITE_NAME}</a
          >
          ${
            ctx.user
              ? html`<form class="header-search" action="/search" method="get" role="search">
                  <input
                    id="header-search-input"
                    type="search"
                    name="q"
                    placeholder="Search pages  /"
                    aria-label="Search pages"
                    autocomplete="off"
                  />
                </form>`
              : ''
          }
          ${siteNav(ctx)}
        </header>
        <main id="main" tabindex="-1">${pageContent(page)}</main>
        <footer class="site-footer">
          ${
            ctx.user
              ? html`<kbd>/</kbd> search · ${canEdit ? html`<kbd>n</kbd> new page ·` : ''}
                  <kbd>Ctrl</kbd>+<kbd>S</kbd> save · signed in as ${ctx.user.name}`
              : html`Lateral — a team wiki`
          }
        </footer>
      </body>
    </html>`;
}
