import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium (scripts/ci/install-system-deps.sh); playwright never downloads a browser here. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * Headless Chromium with a fresh profile (playwright gives each launch a new temporary
 * user-data-dir) and no background traffic, so tests see only the wiki's requests.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

/**
 * A fresh browser profile (closed by the caller through `contexts`); a Content Security Policy
 * violation in the page fails the test.
 */
export async function freshPage(browser: Browser, contexts: BrowserContext[]): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  contexts.push(context);
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text())) {
      throw new Error(`CSP violation: ${message.text()}`);
    }
  });
  return page;
}

/** A {@link freshPage} signed in through the login form. */
export async function signInThroughForm(
  browser: Browser,
  baseUrl: string,
  contexts: BrowserContext[],
  email: string,
  password: string,
): Promise<Page> {
  const page = await freshPage(browser, contexts);
  await page.goto(`${baseUrl}/`);
  await page.waitForURL(/\/login\?next=/);
  await page.fill('#email', email);
  await page.fill('#password', password);
  await Promise.all([page.waitForURL(`${baseUrl}/`), page.click('button[type=submit]')]);
  return page;
}
