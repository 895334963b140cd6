/**
 * `npm run screenshots -w apps/gateway`: starts the stack with a seeded team wiki, drives
 * Debian's Chromium and writes PNGs of the main pages (desktop 1280 and phone 390 wide, light
 * and dark) to docs/screenshots/.
 */
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { startPostgresServer } from '@lateral/testing';
import { type Page } from 'playwright-core';
import { launchChromium } from './browser.js';
import { seedTeamWiki } from './content.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from './fake-stack.js';
import { ApiSession } from './seed.js';
import { startStack } from './stack.js';

const OUT = fileURLToPath(new URL('../../../../docs/screenshots/', import.meta.url));

const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 860, isMobile: false },
  { name: 'phone', width: 390, height: 844, isMobile: true },
] as const;
const SCHEMES = ['light', 'dark'] as const;

async function signIn(page: Page, baseUrl: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.fill('#email', ADMIN_EMAIL);
  await page.fill('#password', ADMIN_PASSWORD);
  await Promise.all([page.waitForURL(`${baseUrl}/`), page.click('button[type=submit]')]);
}

async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  // Lazy images below the fold are not part of these shots; those in view must have loaded.
  await page.waitForFunction(
    `[...document.images].filter((i) => i.getBoundingClientRect().top < innerHeight).every((i) => i.complete)`,
  );
}

async function main(): Promise<void> {
  await mkdir(OUT, { recursive: true });
  const postgres = await startPostgresServer();
  const stack = await startStack(postgres.adminUrl);
  const browser = await launchChromium();
  try {
    const { mainSlug, backupsSlug, grace } = await seedTeamWiki(stack.baseUrl);
    // A page Grace wrote and then moved to the trash: its old URL shows the trash notice.
    const old = await grace.createNote('Old VPN setup', 'Replaced by the new access proxy.');
    await grace.call('DELETE', `/api/v1/notes/${old.id}`);
    // A private space with a small tree: its home, settings and "New page here" under a page.
    const admin = await ApiSession.signIn(stack.baseUrl);
    const peopleOps = await admin.call<{ id: string; slug: string }>('POST', '/api/v1/spaces', {
      name: 'People Ops',
      description: 'Hiring, onboarding and leave. Members only.',
      visibility: 'private',
    });
    const hiring = await admin.call<{ id: string }>('POST', '/api/v1/notes', {
      title: 'Hiring',
      body: 'How we hire: one call, one paired session, one decision.',
      spaceId: peopleOps.id,
    });
    await admin.call('POST', '/api/v1/notes', {
      title: 'Interview questions',
      body: 'Ask about an outage they learned from.',
      parentId: hiring.id,
    });
    await admin.call('POST', '/api/v1/notes', {
      title: 'Parental leave',
      body: 'Sixteen weeks, paid, for every parent.',
      spaceId: peopleOps.id,
    });
    const space = `/spaces/${peopleOps.slug}`;
    const shots: {
      name: string;
      path: string;
      prepare?: (page: Page) => Promise<void>;
      phoneOnly?: boolean;
    }[] = [
      { name: 'home', path: '/' },
      { name: 'page', path: `/notes/${mainSlug}` },
      { name: 'editor', path: `/notes/${mainSlug}/edit` },
      {
        name: 'search',
        path: '/search',
        prepare: async (page) => {
          await page.fill('#search-page-input', 'rollback');
          await page.waitForSelector('#search-results [data-result]');
          await page.keyboard.press('ArrowDown');
        },
      },
      { name: 'revisions', path: `/notes/${mainSlug}/revisions` },
      { name: 'diff', path: `/notes/${mainSlug}/diff?from=1&to=3` },
      { name: 'tags', path: '/tags/ops' },
      { name: 'space', path: space },
      { name: 'space-settings', path: `${space}/settings` },
      { name: 'new-in-space', path: `${space}/new?parent=${hiring.id}` },
      { name: 'people', path: '/admin/users' },
      { name: 'trashed', path: `/notes/${old.slug}` },
      {
        name: 'menu',
        path: `/notes/${mainSlug}`,
        phoneOnly: true,
        prepare: async (page) => {
          await page.click('details.phone-menu summary');
        },
      },
      {
        name: 'conflict',
        path: `/notes/${backupsSlug}/edit`,
        prepare: async (page) => {
          // Grace saves while this editor is open; saving it then meets her newer version.
          const note = await grace.getNote(backupsSlug);
          await grace.updateNote(note.id, note.version, {
            title: note.title,
            body: `${note.body}\n\nRestore drills happen on the first Monday of the quarter.`,
            tags: note.tags,
          });
          await page.fill('#body', 'Nightly base backups with WAL archiving, kept for 30 days.');
          await page.click('button:has-text("Save")');
          await page.waitForSelector('text=Someone else saved this page');
        },
      },
    ];
    for (const viewport of VIEWPORTS) {
      for (const scheme of SCHEMES) {
        const context = await browser.newContext({
          viewport: { width: viewport.width, height: viewport.height },
          isMobile: viewport.isMobile,
          hasTouch: viewport.isMobile,
          colorScheme: scheme,
          deviceScaleFactor: 1,
        });
        const page = await context.newPage();
        await signIn(page, stack.baseUrl);
        for (const shot of shots) {
          if (shot.phoneOnly && viewport.name !== 'phone') continue;
          await page.goto(`${stack.baseUrl}${shot.path}`);
          await settle(page);
          await shot.prepare?.(page);
          await settle(page);
          const file = `${OUT}${shot.name}-${viewport.name}-${scheme}.png`;
          await page.screenshot({ path: file });
          process.stdout.write(`wrote ${file}\n`);
        }
        await context.close();
      }
    }
    // Signed out: the sign-in page.
    for (const scheme of SCHEMES) {
      const context = await browser.newContext({
        viewport: { width: 390, height: 844 },
        colorScheme: scheme,
        isMobile: true,
      });
      const page = await context.newPage();
      await page.goto(`${stack.baseUrl}/login`);
      await page.screenshot({ path: `${OUT}login-phone-${scheme}.png` });
      await page.goto(`${stack.baseUrl}/forgot`);
      await page.screenshot({ path: `${OUT}forgot-phone-${scheme}.png` });
      await context.close();
    }
  } finally {
    await browser.close();
    await stack.close();
    await postgres.stop();
  }
}

await main();
