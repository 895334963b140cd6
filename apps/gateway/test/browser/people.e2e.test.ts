// Inviting a teammate in real Chromium, on the real notes and media (#12): an admin creates an
// invite on /admin/users and copies the link; a fresh browser profile opens it, signs up, lands
// signed in with the invite's role and edits a page.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { freshPage as openPage, launchChromium } from './browser.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from './fake-stack.js';
import { ApiSession } from './seed.js';
import { startStack, type Stack } from './stack.js';

let stack: Stack;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  stack = await startStack(inject('postgresAdminUrl'));
  browser = await launchChromium();
  const admin = await ApiSession.signIn(stack.baseUrl);
  await admin.createNote('Team handbook', 'Welcome to the team.');
}, 120_000);

afterAll(async () => {
  await Promise.all(contexts.map((c) => c.close()));
  await browser?.close();
  await stack?.close();
});

const freshPage = (): Promise<Page> => openPage(browser, contexts);

describe('people in a real browser', () => {
  it('an admin invites, the invitee signs up from the copied link and edits a page', async () => {
    const admin = await freshPage();
    await admin.goto(`${stack.baseUrl}/login`);
    await admin.fill('#email', ADMIN_EMAIL);
    await admin.fill('#password', ADMIN_PASSWORD);
    await Promise.all([admin.waitForURL(`${stack.baseUrl}/`), admin.click('button[type=submit]')]);
    await admin.click('.site-nav a:has-text("People")');
    await admin.waitForURL(`${stack.baseUrl}/admin/users`);
    await admin.fill('#invite-email', 'newcomer@example.test');
    await admin.selectOption('#invite-role', 'editor');
    await admin.click('button:has-text("Create invite link")');
    const link = await admin.locator('#one-time-link').inputValue();
    expect(link).toMatch(/\/invite\/inv_[\w-]{43}$/);
    const invitedUrl = link.replace(/^https?:\/\/[^/]+/, stack.baseUrl);

    const newcomer = await freshPage();
    await newcomer.goto(invitedUrl);
    expect(await newcomer.locator('main').textContent()).toContain('newcomer@example.test');
    await newcomer.fill('#name', 'Nina Newcomer');
    await newcomer.fill('#password', 'short');
    // The browser's own check (minlength) stops a short password before it is sent.
    await newcomer.click('button:has-text("Create my account")');
    expect(newcomer.url()).toBe(invitedUrl);
    await newcomer.fill('#password', 'a long password for Nina');
    await Promise.all([
      newcomer.waitForURL(`${stack.baseUrl}/`),
      newcomer.click('button:has-text("Create my account")'),
    ]);
    expect(await newcomer.locator('.site-footer').textContent()).toContain('Nina Newcomer');

    await newcomer.goto(`${stack.baseUrl}/notes/team-handbook/edit`);
    await newcomer.fill('#body', 'Welcome to the team. Nina was here.');
    await Promise.all([
      newcomer.waitForURL(`${stack.baseUrl}/notes/team-handbook`),
      newcomer.click('button:has-text("Save")'),
    ]);
    expect(await newcomer.locator('main').textContent()).toContain('Nina was here.');
    expect(await newcomer.locator('main').textContent()).toContain('Nina Newcomer');

    // The link worked once.
    const again = await freshPage();
    const response = await again.goto(invitedUrl);
    expect(response?.status()).toBe(410);
  });

  it('the people pages do not scroll sideways at 390 px', async () => {
    const phone = await freshPage();
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.goto(`${stack.baseUrl}/login`);
    await phone.fill('#email', ADMIN_EMAIL);
    await phone.fill('#password', ADMIN_PASSWORD);
    await Promise.all([phone.waitForURL(`${stack.baseUrl}/`), phone.click('button[type=submit]')]);
    await phone.goto(`${stack.baseUrl}/settings`);
    await phone.fill('#token-name', 'a phone-made token with a long name to wrap');
    await phone.click('button:has-text("Create token")');
    await phone.waitForSelector('#new-token');
    const widths: Record<string, number> = {};
    for (const path of ['/settings', '/admin/users', '/admin/tokens', '/forgot']) {
      await phone.goto(`${stack.baseUrl}${path}`);
      widths[path] = await phone.evaluate<number>('document.documentElement.scrollWidth');
    }
    expect(Object.entries(widths).filter(([, width]) => width > 390)).toEqual([]);
  });
});
