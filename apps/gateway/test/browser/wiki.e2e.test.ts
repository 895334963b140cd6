import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { strToU8, zipSync } from 'fflate';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { launchChromium, signInThroughForm } from './browser.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from './fake-stack.js';
import { landscapeHeic, landscapePng } from './fixtures.js';
import { ApiSession } from './seed.js';
import { startStack, type Stack } from './stack.js';

let stack: Stack;
let browser: Browser;
const contexts: BrowserContext[] = [];
const PASSWORD = 'a long password for tests';

beforeAll(async () => {
  stack = await startStack(inject('postgresAdminUrl'));
  browser = await launchChromium();
  const admin = await ApiSession.signIn(stack.baseUrl);
  await admin.createUser('Grace Hopper', 'grace@example.test', PASSWORD);
}, 120_000);

afterAll(async () => {
  await Promise.all(contexts.map((c) => c.close()));
  await browser?.close();
  await stack?.close();
});

/** A fresh profile signed in through the login form (the admin unless told otherwise). */
function signedInPage(email = ADMIN_EMAIL, password = ADMIN_PASSWORD): Promise<Page> {
  return signInThroughForm(browser, stack.baseUrl, contexts, email, password);
}

/** Waits until the image has been fetched and decoded (a broken image has naturalWidth 0). */
async function imageLoaded(page: Page, selector: string): Promise<void> {
  // Polled from the test through CDP: in-page polling would need eval, which the CSP forbids.
  await expect
    .poll(
      () =>
        page
          .locator(selector)
          .evaluate(
            (img: { complete: boolean; naturalWidth: number }) =>
              img.complete && img.naturalWidth > 0,
          ),
      { timeout: 30_000 },
    )
    .toBe(true);
}

async function createPage(page: Page, title: string, body: string, tags = ''): Promise<void> {
  await page.goto(`${stack.baseUrl}/new`);
  await page.fill('#title', title);
  if (tags) await page.fill('#tags', tags);
  await page.fill('#body', body);
  await Promise.all([page.waitForURL(/\/notes\//), page.click('button:has-text("Create page")')]);
}

describe('the wiki in a real browser', () => {
  it('signs in, creates a page with live preview and saves with Ctrl+S', async () => {
    const page = await signedInPage();
    expect(await page.locator('.site-footer').textContent()).toContain('signed in as');
    await page.keyboard.press('n');
    await page.waitForURL(`${stack.baseUrl}/new`);
    await page.fill('#title', 'Browser made page');
    await page.locator('#body').pressSequentially('# Hello\n\nSome *emphasis*.', { delay: 5 });
    await page.waitForSelector('#preview h1:has-text("Hello")');
    expect(await page.locator('#preview em').textContent()).toBe('emphasis');
    await Promise.all([
      page.waitForURL(/\/notes\/browser-made-page$/),
      page.keyboard.press('Control+s'),
    ]);
    await page.waitForSelector('article h1:has-text("Browser made page")');
    expect(await page.locator('.prose h1').textContent()).toBe('Hello');
    expect(await page.title()).toBe('Browser made page · Lateral');
  });

  it('uploads a HEIC photo into the editor and shows it on the page without layout shift', async () => {
    const page = await signedInPage();
    await page.goto(`${stack.baseUrl}/new`);
    await page.fill('#title', 'Photo page');
    await page.fill('#body', 'Our office:\n\n');
    await page.locator('#body').press('End');
    const heic = await landscapeHeic(1200, 900);
    await page.setInputFiles('input[data-image-picker]', {
      name: 'IMG_0042.HEIC',
      mimeType: 'image/heic',
      buffer: heic,
    });
    await expect
      .poll(() => page.inputValue('#body'), { timeout: 30_000 })
      .toMatch(/!\[IMG 0042\]\(\/api\/v1\/media\/[^)]+\)/);
    await page.waitForSelector('#preview img.media');
    await Promise.all([
      page.waitForURL(/\/notes\/photo-page$/),
      page.click('button:has-text("Create page")'),
    ]);
    const img = page.locator('.prose img.media');
    await img.scrollIntoViewIfNeeded();
    await imageLoaded(page, '.prose img.media');
    // Reserved space: the real media service reports the HEIC's own size; the stand-in a fixed one.
    const size = stack.kind === 'real' ? ['1200', '900'] : ['4032', '3024'];
    expect([await img.getAttribute('width'), await img.getAttribute('height')]).toEqual(size);
    expect(await img.getAttribute('srcset')).toMatch(/\?w=320 320w/);
    expect(await img.getAttribute('loading')).toBe('lazy');
  });

  it('links two pages with [[…]]: a missing target offers creation, then resolves with a backlink', async () => {
    const page = await signedInPage();
    await createPage(page, 'Service overview', 'Details live in [[Service dashboards]].');
    const missing = page.locator('a.wikilink-missing:has-text("Service dashboards")');
    await missing.click();
    await page.waitForURL(/\/new\?title=Service%20dashboards/);
    expect(await page.inputValue('#title')).toBe('Service dashboards');
    await page.fill('#body', 'Grafana boards for every service.');
    await Promise.all([
      page.waitForURL(/\/notes\/service-dashboards$/),
      page.click('button:has-text("Create page")'),
    ]);
    expect(await page.locator('.backlinks a').textContent()).toBe('Service overview');
    await page.click('.backlinks a');
    await page.waitForURL(/\/notes\/service-overview$/);
    const link = page.locator('.prose a.wikilink');
    expect(await link.getAttribute('href')).toBe('/notes/service-dashboards');
    expect(await link.getAttribute('class')).toBe('wikilink');
  });

  it('shows search results while typing and opens one with the keyboard', async () => {
    const page = await signedInPage();
    await createPage(
      page,
      'Rollback procedure',
      'To roll back, revert the image tag commit. Rollbacks are boring.',
      'ops',
    );
    await page.keyboard.press('/');
    await page.keyboard.type('rollb', { delay: 40 });
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/search\?q=rollb/);
    await page.fill('#search-page-input', '');
    await page.locator('#search-page-input').pressSequentially('revert', { delay: 40 });
    // No Enter: the results arrive as you type, and the URL follows the query.
    await page.waitForURL(/\/search\?q=revert/);
    await page.waitForSelector('#search-results [data-result] mark:text-matches("revert", "i")');
    expect(
      await page.locator('#search-results [data-result] a.title').first().textContent(),
    ).toContain('Rollback procedure');
    await page.keyboard.press('ArrowDown');
    expect(await page.locator('#result-0').getAttribute('aria-selected')).toBe('true');
    await Promise.all([
      page.waitForURL(/\/notes\/rollback-procedure$/),
      page.keyboard.press('Enter'),
    ]);
  });

  it('never loses an edit: overlapping saves show both versions and the merge saves', async () => {
    const ada = await signedInPage();
    const grace = await signedInPage('grace@example.test', PASSWORD);
    await createPage(ada, 'Shared checklist', '- backups\n- alerts\n');
    await ada.goto(`${stack.baseUrl}/notes/shared-checklist/edit`);
    await grace.goto(`${stack.baseUrl}/notes/shared-checklist/edit`);
    await grace.fill('#body', '- backups\n- alerts (Grace)\n- dashboards (Grace)\n');
    await Promise.all([
      grace.waitForURL(/\/notes\/shared-checklist$/),
      grace.click('button:has-text("Save")'),
    ]);
    // Both changed the second line: a real conflict (different lines would be merged).
    await ada.fill('#body', '- backups (daily)\n- alerts (paging)\n');
    await ada.click('button:has-text("Save")');
    await ada.waitForSelector('h1:has-text("Someone else saved this page")');
    expect(await ada.inputValue('#theirs')).toContain('dashboards (Grace)');
    expect(await ada.inputValue('#mine')).toContain('backups (daily)');
    expect(await ada.inputValue('#body')).toContain('<<<<<<< mine');
    // The diff runs from Ada's starting version to Grace's: Grace's new line is an addition.
    expect(
      await ada.locator('table.diff tr.diff-added', { hasText: 'dashboards (Grace)' }).count(),
    ).toBeGreaterThan(0);
    await ada.fill('#body', '- backups (daily)\n- alerts\n- dashboards (Grace)\n');
    await Promise.all([
      ada.waitForURL(/\/notes\/shared-checklist$/),
      ada.click('button:has-text("Save merged version")'),
    ]);
    const items = await ada.locator('.prose li').allTextContents();
    expect(items).toEqual(['backups (daily)', 'alerts', 'dashboards (Grace)']);
  });

  it('restores an old revision from the history, which says so; the diff shows tag changes', async () => {
    const page = await signedInPage();
    await createPage(page, 'Restorable', 'The original text.', 'runbook');
    await page.goto(`${stack.baseUrl}/notes/restorable/edit`);
    await page.fill('#body', 'A regrettable edit.');
    await page.fill('#tags', 'runbook, regrettable');
    await Promise.all([
      page.waitForURL(/\/notes\/restorable$/),
      page.click('button:has-text("Save")'),
    ]);
    await page.click('a:has-text("History")');
    await page.waitForURL(/\/revisions$/);
    await page.click('button:has-text("Compare selected versions")');
    await page.waitForSelector('table.diff tr.diff-removed');
    await page.goto(`${stack.baseUrl}/notes/restorable/revisions`);
    await page.click('a:has-text("Version 1")');
    await Promise.all([
      page.waitForURL(/\/notes\/restorable$/),
      page.click('button:has-text("Restore version 1")'),
    ]);
    expect(await page.locator('.prose').textContent()).toContain('The original text.');
    // notes recorded what version 3 restored, and the history says it.
    await page.goto(`${stack.baseUrl}/notes/restorable/revisions`);
    expect(await page.locator('.restored-from').allTextContents()).toEqual([
      'Restored from version 1',
    ]);
    // The restore took the tag back off: the diff lists it, not only the body.
    await page.goto(`${stack.baseUrl}/notes/restorable/diff?from=2&to=3`);
    expect(await page.locator('.tag-changes del').allTextContents()).toEqual(['regrettable']);
  });

  it('imports a Notion export zip with an image and links between its pages', async () => {
    const page = await signedInPage();
    const zip = zipSync({
      'Export/Ops handbook 0123456789abcdef0123456789abcdef.md': strToU8(
        '# Ops handbook\n\nCreated: November 20, 2026 9:00 AM\nTags: ops, imported\n\nStart with [Paging](Ops%20handbook%200123456789abcdef0123456789abcdef/Paging%20fedcba9876543210fedcba9876543210.md).\n\n![Rack](Ops%20handbook%200123456789abcdef0123456789abcdef/rack.png)\n',
      ),
      'Export/Ops handbook 0123456789abcdef0123456789abcdef/Paging fedcba9876543210fedcba9876543210.md':
        strToU8('# Paging\n\nWho gets paged, and when.\n'),
      'Export/Ops handbook 0123456789abcdef0123456789abcdef/rack.png': landscapePng(640, 400),
    });
    await page.goto(`${stack.baseUrl}/import`);
    await page.setInputFiles('#file', {
      name: 'notion-export.zip',
      mimeType: 'application/zip',
      buffer: Buffer.from(zip),
    });
    await page.click('button:has-text("Import")');
    await page.waitForSelector('h1:has-text("Import finished")', { timeout: 30_000 });
    await page.click('.page-list a:has-text("Ops handbook")');
    await page.waitForURL(/\/notes\/ops-handbook$/);
    expect(await page.locator('.prose a.wikilink').getAttribute('href')).toBe('/notes/paging');
    await imageLoaded(page, '.prose img.media');
    expect(await page.locator('.page-meta .tags').textContent()).toContain('imported');
  });

  it('keeps working with JavaScript turned off', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${stack.baseUrl}/login`);
    await page.fill('#email', ADMIN_EMAIL);
    await page.fill('#password', ADMIN_PASSWORD);
    await Promise.all([page.waitForURL(`${stack.baseUrl}/`), page.click('button[type=submit]')]);
    await page.click('a:has-text("New page")');
    await page.fill('#title', 'Written without scripts');
    await page.fill('#body', 'Plain **forms** work.');
    await Promise.all([
      page.waitForURL(/\/notes\/written-without-scripts$/),
      page.click('button:has-text("Create page")'),
    ]);
    expect(await page.locator('.prose strong').textContent()).toBe('forms');
    await page.fill('#header-search-input', 'scripts');
    await Promise.all([
      page.waitForURL(/\/search\?q=scripts/),
      page.press('#header-search-input', 'Enter'),
    ]);
    await Promise.all([
      page.waitForURL(/\/notes\/written-without-scripts$/),
      page.click('#search-results a.title'),
    ]);
  });

  it('navigates with htmx and restores pages on Back and Forward', async () => {
    const page = await signedInPage();
    await createPage(page, 'History walk', 'First stop.');
    await page.goto(`${stack.baseUrl}/`);
    let fullLoads = 0;
    page.on('load', () => fullLoads++);
    await page.click('.page-list a:has-text("History walk")');
    await page.waitForURL(/\/notes\/history-walk$/);
    await page.waitForSelector('article h1:has-text("History walk")');
    await page.click('a:has-text("History")');
    await page.waitForURL(/\/notes\/history-walk\/revisions$/);
    await page.waitForSelector('h1:has-text("History")');
    expect(await page.title()).toBe('History of History walk · Lateral');
    expect(fullLoads).toBe(0);
    await page.goBack();
    await page.waitForURL(/\/notes\/history-walk$/);
    await page.waitForSelector('article h1:has-text("History walk")');
    await page.goForward();
    await page.waitForSelector('button:has-text("Compare selected versions")');
  });
});
