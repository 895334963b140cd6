import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { launchChromium, signInThroughForm } from './browser.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from './fake-stack.js';
import { ApiSession } from './seed.js';
import { startStack, type Stack } from './stack.js';

// Writing never loses text: drafts that survive leaving the editor, and stale saves merged.
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

async function createPage(page: Page, title: string, body: string): Promise<void> {
  await page.goto(`${stack.baseUrl}/new`);
  await page.fill('#title', title);
  await page.fill('#body', body);
  await Promise.all([page.waitForURL(/\/notes\//), page.click('button:has-text("Create page")')]);
}

describe('writing never loses text, in a real browser', () => {
  it('leaving the editor warns, keeps a draft, and Restore draft brings the text back', async () => {
    const page = await signedInPage();
    await createPage(page, 'Draft target', 'first line\n');
    await page.goto(`${stack.baseUrl}/notes/draft-target/edit`);
    await page.locator('#body').press('End');
    await page.locator('#body').pressSequentially(' and unsaved', { delay: 5 });
    // The autosave (htmx, 3 s after typing stops) reports in the save bar.
    await expect
      .poll(() => page.locator('#draft-status').textContent(), { timeout: 15_000 })
      .toMatch(/Draft saved \d\d:\d\d UTC/);
    await page.locator('#body').pressSequentially(' words', { delay: 5 });

    const warned: string[] = [];
    page.once('dialog', (dialog) => {
      warned.push(dialog.message());
      void dialog.accept();
    });
    await page.click('a.brand');
    await page.waitForURL(`${stack.baseUrl}/`);
    expect(warned[0]).toContain('Leave the editor?');

    await page.goto(`${stack.baseUrl}/notes/draft-target/edit`);
    await page.waitForSelector('text=You have an unsaved draft of this page');
    expect(await page.inputValue('#body')).not.toContain('unsaved words');
    await Promise.all([
      page.waitForURL(/\/edit\?draft=restore$/),
      page.click('a:has-text("Restore draft")'),
    ]);
    expect(await page.inputValue('#body')).toContain('first line and unsaved words');
    await Promise.all([
      page.waitForURL(/\/notes\/draft-target$/),
      page.click('button:has-text("Save")'),
    ]);
    expect(await page.locator('.prose').textContent()).toContain('first line and unsaved words');
    // Saved: the draft is gone, so the editor offers nothing.
    await page.goto(`${stack.baseUrl}/notes/draft-target/edit`);
    expect(await page.locator('text=You have an unsaved draft').count()).toBe(0);
  });

  it('two people edit different lines of one page: the second save is merged, not a conflict', async () => {
    const ada = await signedInPage();
    const grace = await signedInPage('grace@example.test', PASSWORD);
    await createPage(ada, 'Merge target', 'alpha\nbeta\ngamma\ndelta\n');
    await ada.goto(`${stack.baseUrl}/notes/merge-target/edit`);
    await grace.goto(`${stack.baseUrl}/notes/merge-target/edit`);
    await grace.fill('#body', 'alpha (Grace)\nbeta\ngamma\ndelta\n');
    await Promise.all([
      grace.waitForURL(/\/notes\/merge-target$/),
      grace.click('button:has-text("Save")'),
    ]);
    await ada.fill('#body', 'alpha\nbeta\ngamma\ndelta (Ada)\n');
    await Promise.all([
      ada.waitForURL(/\/notes\/merge-target\?merged=/),
      ada.click('button:has-text("Save")'),
    ]);
    expect(await ada.locator('.alert.info').textContent()).toContain(
      'Merged with Grace Hopper’s changes',
    );
    const text = await ada.locator('.prose').textContent();
    expect(text).toContain('alpha (Grace)');
    expect(text).toContain('delta (Ada)');
  });
});
