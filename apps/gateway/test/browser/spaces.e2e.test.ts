// Spaces in real Chromium on the real notes (#12): an admin makes a private space with a page; a
// teammate who is not a member does not see it in the sidebar, gets "not found" at its URL and
// does not find it in search; once added as a member they see it in the tree and open it. Moving a
// page under another changes its breadcrumbs and keeps its URL.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { launchChromium } from './browser.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from './fake-stack.js';
import { landscapePng } from './fixtures.js';
import { ApiSession } from './seed.js';
import { startStack, type Stack } from './stack.js';

const TEAMMATE = {
  name: 'Tess Teammate',
  email: 'tess@example.test',
  password: 'a long password for Tess',
};

let stack: Stack;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  stack = await startStack(inject('postgresAdminUrl'));
  browser = await launchChromium();
  const admin = await ApiSession.signIn(stack.baseUrl);
  await admin.createUser(TEAMMATE.name, TEAMMATE.email, TEAMMATE.password, 'editor');
  await admin.createNote('Lunch menu', 'Soup on Mondays.');
}, 120_000);

afterAll(async () => {
  await Promise.all(contexts.map((c) => c.close()));
  await browser?.close();
  await stack?.close();
});

async function signedIn(email: string, password: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  contexts.push(context);
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text())) {
      throw new Error(`CSP violation: ${message.text()}`);
    }
  });
  await page.goto(`${stack.baseUrl}/login`);
  await page.fill('#email', email);
  await page.fill('#password', password);
  await Promise.all([page.waitForURL(`${stack.baseUrl}/`), page.click('button[type=submit]')]);
  return page;
}

/** "New page here" in a space: the editor opens, and its first save creates the page there. */
async function newPageIn(page: Page, spaceUrl: string, title: string): Promise<string> {
  await page.goto(spaceUrl);
  await page.click('main .page-actions a:has-text("New page here")');
  await page.waitForSelector('form[data-editor]');
  expect(page.url()).toBe(`${spaceUrl}/new`);
  await page.fill('#title', title);
  await page.fill('#body', `About ${title}.`);
  await Promise.all([
    page.waitForURL(/\/notes\/[^/]+$/),
    page.click('form[data-editor] button:has-text("Create page")'),
  ]);
  return page.url();
}

describe('spaces in a real browser', () => {
  it('a private space is invisible to non-members until they are added; moves keep the URL', async () => {
    const admin = await signedIn(ADMIN_EMAIL, ADMIN_PASSWORD);
    await admin.click('.sidebar a:has-text("New space")');
    await admin.fill('#space-name', 'Moonshot');
    await admin.fill('#space-description', 'Plans nobody may know yet.');
    await admin.check('input[name=visibility][value=private]');
    await Promise.all([
      admin.waitForURL(`${stack.baseUrl}/spaces/moonshot`),
      admin.click('button:has-text("Create space")'),
    ]);
    expect(await admin.locator('main h1').textContent()).toBe('Moonshot');
    const secretUrl = await newPageIn(admin, `${stack.baseUrl}/spaces/moonshot`, 'Zephyr ledger');
    const parentUrl = await newPageIn(admin, `${stack.baseUrl}/spaces/moonshot`, 'Launch plan');

    const tess = await signedIn(TEAMMATE.email, TEAMMATE.password);
    const sidebar = tess.locator('aside.sidebar');
    expect(await sidebar.textContent()).toContain('Team');
    expect(await sidebar.textContent()).not.toContain('Moonshot');
    const hidden = await tess.goto(secretUrl);
    expect(hidden?.status()).toBe(404);
    expect(await tess.locator('main').textContent()).toContain('Not found');
    expect((await tess.goto(`${stack.baseUrl}/spaces/moonshot`))?.status()).toBe(404);
    await tess.goto(`${stack.baseUrl}/search?q=zephyr`);
    expect(await tess.locator('main .column').textContent()).not.toContain('Zephyr ledger');

    await admin.goto(`${stack.baseUrl}/spaces/moonshot/settings`);
    await admin.fill('#member-person', TEAMMATE.email);
    await admin.selectOption('#member-role', 'reader');
    await Promise.all([
      admin.waitForURL(/settings\?saved=members$/),
      admin.click('button:has-text("Add or change member")'),
    ]);
    expect(await admin.locator('table.members').textContent()).toContain(TEAMMATE.name);

    await tess.goto(`${stack.baseUrl}/`);
    await tess.click('aside.sidebar a:has-text("Moonshot")');
    await tess.waitForURL(`${stack.baseUrl}/spaces/moonshot`);
    await tess.click('aside.sidebar .page-tree a:has-text("Zephyr ledger")');
    await tess.waitForURL(secretUrl);
    expect(await tess.locator('main h1').textContent()).toBe('Zephyr ledger');
    expect(await tess.locator('.page-tree a[aria-current="page"]').textContent()).toBe(
      'Zephyr ledger',
    );

    // Move "Zephyr ledger" under "Launch plan": same URL, one more crumb.
    await admin.goto(secretUrl);
    expect(await admin.locator('.breadcrumbs').textContent()).not.toContain('Launch plan');
    await admin.click('.move-page summary');
    await admin.selectOption('#move-parent', { label: 'Launch plan' });
    await admin.click('button:has-text("Move page")');
    await admin.waitForSelector('.breadcrumbs a:has-text("Launch plan")');
    expect(admin.url()).toBe(secretUrl);
    const crumbs = await admin.locator('.breadcrumbs li').allTextContents();
    expect(crumbs.map((c) => c.trim())).toEqual(['Moonshot', 'Launch plan', 'Zephyr ledger']);
    expect(parentUrl).toMatch(/\/notes\/launch-plan$/);
    // The tree nests it: its parent's <details> is open on the way to it.
    await tess.goto(secretUrl);
    expect(
      await tess.locator('.page-tree details[open] > summary a:has-text("Launch plan")').count(),
    ).toBe(1);
    // On the space home, "Launch plan" is folded and its sub-pages are not in the page; unfolding
    // it (the marker, not the link) fetches them.
    await tess.goto(`${stack.baseUrl}/spaces/moonshot`);
    const folded = tess.locator('.page-tree details:has(> summary a:has-text("Launch plan"))');
    expect(await folded.getAttribute('open')).toBeNull();
    expect(await tess.locator('.page-tree a:has-text("Zephyr ledger")').count()).toBe(0);
    await folded.locator('> summary').click({ position: { x: 4, y: 8 } });
    await tess.locator('.page-tree a:has-text("Zephyr ledger")').waitFor();
    expect(tess.url()).toBe(`${stack.baseUrl}/spaces/moonshot`);
  });

  it('an image on a private page (real notes and media): a member and an admin get it, an outsider 404', async () => {
    const admin = await ApiSession.signIn(stack.baseUrl);
    const outsider = { email: 'otto@example.test', password: 'a long password for Otto' };
    await admin.createUser('Otto Outsider', outsider.email, outsider.password, 'editor');
    const vault = await admin.call<{ id: string }>('POST', '/api/v1/spaces', {
      name: 'Vault',
      visibility: 'private',
    });
    const image = await admin.uploadImage(landscapePng(480, 320), 'floor-plan.png', 'image/png');
    await admin.call('POST', '/api/v1/notes', {
      title: 'Floor plan',
      body: `The new office: ![plan](/api/v1/media/${image.id})`,
      spaceId: vault.id,
    });
    const urls = [
      `/api/v1/media/${image.id}`,
      `/api/v1/media/${image.id}?w=320&format=webp`,
      `/api/v1/media/${image.id}/meta`,
    ];
    const otto = await ApiSession.signIn(stack.baseUrl, outsider.email, outsider.password);
    // The same answer as for an id that never existed: nothing says the image is there.
    for (const url of urls) expect(await otto.statusOf(url), url).toBe(404);
    expect(await otto.statusOf('/api/v1/media/no-such-image-id')).toBe(404);
    for (const url of urls) expect(await admin.statusOf(url), url).toBe(200);
  });

  it('the space pages do not scroll sideways at 390 px', async () => {
    const admin = await ApiSession.signIn(stack.baseUrl);
    const long = 'w'.repeat(200);
    await admin.call('POST', '/api/v1/spaces', { name: 'Phone space', description: long });
    const parent = await admin.call<{ id: string; slug: string }>('POST', '/api/v1/notes', {
      title: `Phone parent ${'p'.repeat(150)}`,
      body: 'Parent.',
      spaceId: (await admin.call<{ id: string }>('GET', '/api/v1/spaces/phone-space')).id,
    });
    const child = await admin.call<{ slug: string }>('POST', '/api/v1/notes', {
      title: `Phone child ${'c'.repeat(150)}`,
      body: 'Child.',
      parentId: parent.id,
    });
    const phone = await signedIn(ADMIN_EMAIL, ADMIN_PASSWORD);
    await phone.setViewportSize({ width: 390, height: 844 });
    const widths: Record<string, number> = {};
    for (const path of [
      '/spaces',
      '/spaces/new',
      '/spaces/phone-space',
      '/spaces/phone-space/pages',
      '/spaces/phone-space/settings',
      `/spaces/phone-space/new?parent=${parent.id}`,
      `/notes/${child.slug}`,
    ]) {
      await phone.goto(`${stack.baseUrl}${path}`);
      if (path.startsWith('/notes/')) {
        await phone.click('.move-page summary');
        await phone.locator('#move-parent').waitFor();
      }
      widths[path] = await phone.evaluate<number>('document.documentElement.scrollWidth');
    }
    expect(Object.entries(widths).filter(([, width]) => width > 390)).toEqual([]);
  });
});
