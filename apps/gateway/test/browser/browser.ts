import { chromium, type Browser } from 'playwright-core';

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
