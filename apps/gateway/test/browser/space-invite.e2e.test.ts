// Invite → sign up → edit in a space, in real Chromium on the real notes (#12), with mail: the
// admin of a private space (a global editor, not a wiki admin) invites someone from the space's
// settings; the invite arrives at a real SMTP server on loopback; a fresh browser profile opens
// the mailed link, signs up, lands in the space and writes the space's first page through
// "New page here". An outsider still sees nothing of the space.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { SmtpSink } from '../smtp-sink.js';
import { freshPage as openPage, launchChromium, signInThroughForm } from './browser.js';
import { ApiSession } from './seed.js';
import { startStack, type Stack } from './stack.js';

const OWNER = {
  name: 'Olga Owner',
  email: 'olga@example.test',
  password: 'a long password for Olga',
};
const OUTSIDER = { name: 'Otto', email: 'otto@example.test', password: 'a long password for Otto' };

let smtp: SmtpSink;
let stack: Stack;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  smtp = new SmtpSink();
  await smtp.start();
  stack = await startStack(inject('postgresAdminUrl'), {
    SMTP_URL: smtp.url,
    SMTP_FROM: 'Lateral <wiki@example.test>',
  });
  browser = await launchChromium();
  const admin = await ApiSession.signIn(stack.baseUrl);
  await admin.createUser(OWNER.name, OWNER.email, OWNER.password, 'editor');
  await admin.createUser(OUTSIDER.name, OUTSIDER.email, OUTSIDER.password, 'editor');
}, 120_000);

afterAll(async () => {
  await Promise.all(contexts.map((c) => c.close()));
  await browser?.close();
  await stack?.close();
  await smtp?.stop();
});

const freshPage = (): Promise<Page> => openPage(browser, contexts);

describe('invite into a space, sign up, write there', () => {
  it('a space admin invites by e-mail; the invitee signs up from the mail and edits in the space', async () => {
    const owner = await signInThroughForm(
      browser,
      stack.baseUrl,
      contexts,
      OWNER.email,
      OWNER.password,
    );
    await owner.click('.sidebar a:has-text("New space")');
    await owner.fill('#space-name', 'Field Notes');
    await owner.check('input[name=visibility][value=private]');
    await Promise.all([
      owner.waitForURL(`${stack.baseUrl}/spaces/field-notes`),
      owner.click('button:has-text("Create space")'),
    ]);
    await owner.click('main .page-actions a:has-text("Settings")');
    await owner.waitForURL(`${stack.baseUrl}/spaces/field-notes/settings`);
    // A global editor gives an invitee at most editor in the wiki.
    const roles = await owner.locator('#invite-role option').allTextContents();
    expect(roles).toEqual(['reader', 'editor']);
    await owner.fill('#invite-email', 'fieldworker@example.test');
    await owner.selectOption('#invite-space-role', 'editor');
    await owner.selectOption('#invite-role', 'editor');
    await owner.click('button:has-text("Create invite")');
    await owner.waitForSelector('#invite-link');
    expect(await owner.locator('main').textContent()).toContain(
      'Mailed to fieldworker@example.test',
    );

    const mail = await smtp.next((m) => m.to.includes('fieldworker@example.test'));
    expect(mail.subject).toBe('Olga Owner invited you to the wiki');
    expect(mail.text).toContain('to the space "Field Notes" (as editor)');
    const link = /https?:\/\/\S+\/invite\/inv_[\w-]+/.exec(mail.text)![0];
    expect(link).toBe(await owner.locator('#invite-link').inputValue());

    const worker = await freshPage();
    await worker.goto(link);
    expect(await worker.locator('main').textContent()).toMatch(
      /into the space\s+Field Notes\s+as editor/,
    );
    await worker.fill('#name', 'Fern Fieldworker');
    await worker.fill('#password', 'a long password for Fern');
    await Promise.all([
      worker.waitForURL(`${stack.baseUrl}/spaces/field-notes`),
      worker.click('button:has-text("Create my account")'),
    ]);
    expect(await worker.locator('main h1').textContent()).toBe('Field Notes');
    expect(await worker.locator('aside.sidebar').textContent()).toContain('Field Notes');

    // The space's first page, through the editor: "New page here" → write → Create page.
    await worker.click('main .page-actions a:has-text("New page here")');
    await worker.waitForSelector('form[data-editor]');
    expect(await worker.locator('main h1').textContent()).toContain('New page in Field Notes');
    await worker.fill('#title', 'Soil samples');
    await worker.fill('#body', 'Three samples from the north field.');
    await Promise.all([
      worker.waitForURL(`${stack.baseUrl}/notes/soil-samples`),
      worker.click('form[data-editor] button:has-text("Create page")'),
    ]);
    const crumbs = await worker.locator('.breadcrumbs li').allTextContents();
    expect(crumbs.map((c) => c.trim())).toEqual(['Field Notes', 'Soil samples']);
    await worker.click('main a:has-text("Edit")');
    await worker.waitForSelector('form[data-editor]');
    await worker.fill('#body', 'Three samples from the north field. Sent to the lab.');
    await Promise.all([
      worker.waitForURL(`${stack.baseUrl}/notes/soil-samples`),
      worker.click('form[data-editor] button:has-text("Save")'),
    ]);
    expect(await worker.locator('main .prose').textContent()).toContain('Sent to the lab.');

    // The owner sees the new member with the invited role; an outsider sees nothing.
    await owner.goto(`${stack.baseUrl}/spaces/field-notes/settings`);
    const members = await owner.locator('table.members').textContent();
    expect(members).toContain('Fern Fieldworker');
    const outsider = await signInThroughForm(
      browser,
      stack.baseUrl,
      contexts,
      OUTSIDER.email,
      OUTSIDER.password,
    );
    expect(await outsider.locator('aside.sidebar').textContent()).not.toContain('Field Notes');
    expect((await outsider.goto(`${stack.baseUrl}/notes/soil-samples`))?.status()).toBe(404);
  });
});
