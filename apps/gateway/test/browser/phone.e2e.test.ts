// The wiki at a phone's width (390×844) in real Chromium: no page scrolls sideways, whatever the
// content (a long unbroken line, a wide table, a wide code block), and the header's menu reaches
// every destination without JavaScript's help (`<details>`). Every page is measured here or in
// the spaces and people browser tests.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { launchChromium } from './browser.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from './fake-stack.js';
import { ApiSession } from './seed.js';
import { startStack, type Stack } from './stack.js';

const PHONE = { width: 390, height: 844 };

const LONG_WORD = 'x'.repeat(400);
const WIDE_ROW = Array.from({ length: 12 }, (_, i) => `column ${i + 1} header`).join(' | ');
const WIDE_BODY = [
  '# Wide things',
  '',
  `A long unbroken line: ${LONG_WORD}`,
  '',
  `A long link: https://example.test/${'segment/'.repeat(40)}end`,
  '',
  `| ${WIDE_ROW} |`,
  `| ${Array.from({ length: 12 }, () => '---').join(' | ')} |`,
  `| ${Array.from({ length: 12 }, (_, i) => `cell ${i + 1} with some words`).join(' | ')} |`,
  '',
  '```',
  `kubectl --namespace lateral get pods --output wide ${'--selector app=notes '.repeat(12)}`,
  '```',
].join('\n');

let stack: Stack;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let slug: string;
let trashedSlug: string;
let trashedId: string;
/** One-time link pages (signed out), as paths: an invite and a password reset. */
let invitePath: string;
let resetPath: string;

beforeAll(async () => {
  stack = await startStack(inject('postgresAdminUrl'));
  browser = await launchChromium();
  const admin = await ApiSession.signIn(stack.baseUrl);
  const created = await admin.createNote('Wide content page', WIDE_BODY, ['phone']);
  slug = created.slug;
  await admin.updateNote(created.id, created.version, {
    title: 'Wide content page',
    body: `${WIDE_BODY}\n\nA second version: ${'y'.repeat(300)}`,
    tags: ['phone'],
  });
  const trashed = await admin.createNote(`Trashed ${'z'.repeat(120)}`, 'Gone soon.');
  trashedSlug = trashed.slug;
  trashedId = trashed.id;
  await admin.call('DELETE', `/api/v1/notes/${trashed.id}`);
  const invite = await admin.call<{ url: string }>('POST', '/api/v1/invites', {
    email: `phone-invitee-${'i'.repeat(60)}@example.test`,
    role: 'editor',
  });
  invitePath = new URL(invite.url).pathname;
  const person = await admin.call<{ id: string }>('POST', '/api/v1/users', {
    name: 'Phone Person',
    email: 'phone-person@example.test',
    password: 'a long enough password',
    role: 'reader',
  });
  const reset = await admin.call<{ url: string }>('POST', `/api/v1/users/${person.id}/reset-link`);
  resetPath = new URL(reset.url).pathname;

  context = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
  page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text())) {
      throw new Error(`CSP violation: ${message.text()}`);
    }
  });
}, 120_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await stack?.close();
});

/** How wide the document is: more than the viewport means the page scrolls sideways. */
const scrollWidth = (p: Page) => p.evaluate<number>('document.documentElement.scrollWidth');

/** The hrefs of links, for `evaluateAll` (this file is typed without the DOM library). */
const hrefsOf = (links: { getAttribute(name: string): string | null }[]) =>
  links.map((a) => a.getAttribute('href'));

async function signIn(): Promise<void> {
  await page.goto(`${stack.baseUrl}/login`);
  expect(await scrollWidth(page)).toBeLessThanOrEqual(PHONE.width);
  await page.fill('#email', ADMIN_EMAIL);
  await page.fill('#password', ADMIN_PASSWORD);
  await Promise.all([page.waitForURL(`${stack.baseUrl}/`), page.click('button[type=submit]')]);
}

describe('at 390 px wide', () => {
  it('no page scrolls sideways', async () => {
    await signIn();
    const paths = [
      '/',
      `/notes/${slug}`,
      `/notes/${slug}/edit`,
      `/notes/${slug}/revisions`,
      `/notes/${slug}/revisions/1`,
      `/notes/${slug}/diff?from=1&to=2`,
      '/search?q=wide',
      '/tags',
      '/tags/phone',
      '/trash',
      `/notes/${trashedSlug}`,
      '/import',
      '/new',
      '/ops',
      '/trash/empty',
      `/trash/${trashedId}/delete`,
      '/notes/no-such-page-anywhere',
    ];
    const widths: Record<string, number> = {};
    for (const path of paths) {
      await page.goto(`${stack.baseUrl}${path}`);
      await page.waitForLoadState('networkidle');
      widths[path] = await scrollWidth(page);
    }
    // Every page that scrolls sideways, with its width (none expected).
    const tooWide = Object.entries(widths).filter(([, width]) => width > PHONE.width);
    expect(tooWide).toEqual([]);
  });

  it('the signed-out pages do not scroll sideways: forgot password, an invite, a reset link', async () => {
    const signedOut = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
    try {
      const p = await signedOut.newPage();
      const widths: Record<string, number> = {};
      for (const path of ['/forgot', invitePath, resetPath]) {
        const response = await p.goto(`${stack.baseUrl}${path}`);
        expect(response?.status(), path).toBe(200);
        // A link that failed (expired, unknown) would be a narrow error page: prove the form.
        // (Without SMTP, /forgot says to ask an admin, so it has no form.)
        if (path !== '/forgot') {
          expect(await p.locator('input[type=password]').count(), path).toBeGreaterThan(0);
        }
        widths[path] = await scrollWidth(p);
      }
      expect(Object.entries(widths).filter(([, width]) => width > PHONE.width)).toEqual([]);
    } finally {
      await signedOut.close();
    }
  });

  it('the conflict page, with its diff and three text boxes, does not scroll sideways', async () => {
    const admin = await ApiSession.signIn(stack.baseUrl);
    const shared = await admin.createNote(
      'Phone conflict',
      `First line ${LONG_WORD}\nSecond line.`,
    );
    await page.goto(`${stack.baseUrl}/notes/${shared.slug}/edit`);
    // Someone else changes the same line meanwhile: a real overlap, so the conflict page.
    await admin.updateNote(shared.id, shared.version, {
      title: 'Phone conflict',
      body: `First line theirs ${LONG_WORD}\nSecond line.`,
    });
    await page.fill('#body', `First line mine ${LONG_WORD}\nSecond line.`);
    await page.click('button:has-text("Save")');
    await page.waitForSelector('h1:has-text("Someone else saved this page")');
    expect(await page.locator('table.diff').count()).toBe(1);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(PHONE.width);
  });

  it('wraps the editor textarea: its long line does not widen it', async () => {
    await page.goto(`${stack.baseUrl}/notes/${slug}/edit`);
    const box = await page.locator('#body').boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(PHONE.width);
    // Soft wrapping: the textarea has no horizontal scroll of its own.
    const overflow = await page
      .locator('#body')
      .evaluate(
        (el: { scrollWidth: number; clientWidth: number }) => el.scrollWidth - el.clientWidth,
      );
    expect(overflow).toBeLessThanOrEqual(0);
    // The preview's table and code block scroll inside their own boxes.
    for (const selector of ['.prose table', '.prose pre']) {
      await page.goto(`${stack.baseUrl}/notes/${slug}`);
      const wide = await page
        .locator(selector)
        .first()
        .evaluate(
          (el: { scrollWidth: number; clientWidth: number }) => el.scrollWidth > el.clientWidth,
        );
      expect(wide, selector).toBe(true);
    }
  });

  it('opens the menu: every destination of the header is there, Trash and Import reached from it', async () => {
    await page.goto(`${stack.baseUrl}/notes/${slug}`);
    const menu = page.locator('details.phone-menu');
    const trashLink = menu.locator('a[href="/trash"]');
    expect(await trashLink.isVisible()).toBe(false);
    // The desktop links are out of the way on a phone; the menu holds them.
    expect(await page.locator('.site-nav > a[href="/import"]').isVisible()).toBe(false);
    await menu.locator('summary').click();
    const destinations = [
      ...['/new', '/search', '/', '/spaces', '/tags', '/trash', '/import', '/ops'],
      ...['/admin/users', '/admin/tokens', '/settings'],
    ];
    for (const href of destinations) {
      expect(await menu.locator(`a[href="${href}"]`).isVisible(), href).toBe(true);
    }
    // Every link of the desktop header is in the menu too, so a destination added there and
    // forgotten here fails this test.
    const headerLinks = await page.locator('.site-nav > a').evaluateAll(hrefsOf);
    const menuLinks = await menu.locator('a').evaluateAll(hrefsOf);
    expect(headerLinks.filter((href) => !menuLinks.includes(href))).toEqual([]);
    expect(await menu.locator('button:has-text("Sign out")').isVisible()).toBe(true);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(PHONE.width);

    await trashLink.click();
    await page.waitForURL(`${stack.baseUrl}/trash`);
    await page.waitForSelector('h1:has-text("Trash")');
    // The header stays when htmx swaps the main column; app.js closes the menu.
    expect(await page.locator('details.phone-menu').getAttribute('open')).toBeNull();

    await page.locator('details.phone-menu summary').click();
    await page.locator('details.phone-menu a[href="/import"]').click();
    await page.waitForURL(`${stack.baseUrl}/import`);
    await page.waitForSelector('h1:has-text("Import")');
  });

  it("shows a trashed page's URL as in the trash, and deletes it forever after confirming", async () => {
    await page.goto(`${stack.baseUrl}/notes/${trashedSlug}`);
    await page.waitForSelector('text=This page is in the trash');
    expect(await page.locator('form[action$="/restore"] button').isVisible()).toBe(true);
    await page.click('a:has-text("Delete forever")');
    await page.waitForSelector('h1:has-text("forever?")');
    await page.click('button:has-text("Delete forever")');
    await page.waitForSelector('text=forever.');
    expect(page.url()).toContain('/trash?purged=');
    await page.goto(`${stack.baseUrl}/notes/${trashedSlug}`);
    expect(await page.locator('text=This page is in the trash').count()).toBe(0);
  });

  it('signs out from the menu', async () => {
    await page.goto(`${stack.baseUrl}/`);
    await page.locator('details.phone-menu summary').click();
    await Promise.all([
      page.waitForURL(/\/login/),
      page.locator('details.phone-menu button:has-text("Sign out")').click(),
    ]);
  });
});
