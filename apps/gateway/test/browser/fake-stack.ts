import { freePort } from '@lateral/testing';
import { ADMIN_EMAIL, ADMIN_PASSWORD, INTERNAL_SECRET, startGateway } from '../gateway-harness.js';
import { FakeWiki } from '../web/fake-wiki.js';

export { ADMIN_EMAIL, ADMIN_PASSWORD, INTERNAL_SECRET };

/** The gateway listening on a free port (a browser needs a real socket), on its own database. */
export async function startListeningGateway(
  adminUrl: string,
  upstreams: { notesUrl: string; mediaUrl: string },
  /** More gateway environment (e.g. SMTP_URL for the mail tests). */
  env: Record<string, string> = {},
) {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const harness = await startGateway(adminUrl, {
    PORT: String(port),
    PUBLIC_URL: baseUrl,
    NOTES_URL: upstreams.notesUrl,
    MEDIA_URL: upstreams.mediaUrl,
    // Browser tests sign in more often than a person would.
    RATE_LIMIT_LOGIN_PER_MINUTE: '1000',
    UPSTREAM_HEADERS_TIMEOUT_MS: '30000',
    ...env,
  });
  await harness.app.listen(port, '127.0.0.1');
  return { baseUrl, harness, close: () => harness.close() };
}

/** The gateway in front of an in-memory notes/media stand-in (fast; for UI-only checks). */
export async function startFakeStack(adminUrl: string, env: Record<string, string> = {}) {
  const wiki = new FakeWiki();
  wiki.secret = INTERNAL_SECRET;
  await wiki.start();
  const gateway = await startListeningGateway(
    adminUrl,
    { notesUrl: wiki.url, mediaUrl: wiki.url },
    env,
  );
  return {
    wiki,
    baseUrl: gateway.baseUrl,
    close: async () => {
      await gateway.close();
      await wiki.stop();
    },
  };
}
