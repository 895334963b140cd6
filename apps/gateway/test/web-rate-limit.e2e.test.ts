import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { FakeUpstream } from './fake-upstream.js';
import { signIn, startGateway, type GatewayHarness } from './gateway-harness.js';

/** Issue #10: the web UI (pages, fragments, previews) is rate limited per user, else per IP. */
describe('web UI rate limit', () => {
  const upstream = new FakeUpstream();
  let gw: GatewayHarness;

  beforeAll(async () => {
    await upstream.start();
    gw = await startGateway(inject('postgresAdminUrl'), {
      NOTES_URL: upstream.url,
      MEDIA_URL: upstream.url,
      RATE_LIMIT_WEB_PER_MINUTE: '3',
    });
  });
  afterAll(async () => {
    await gw?.close();
    await upstream.stop();
  });

  const page = (path: string, headers: Record<string, string> = {}) =>
    gw.http().get(path).set('accept', 'text/html').set(headers);

  it('answers 429 with Retry-After as a page, and as a fragment for htmx, past the budget', async () => {
    for (let i = 0; i < 3; i++) expect((await page('/login')).status).toBe(200);
    const limited = await page('/login');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(limited.headers['content-type']).toMatch(/text\/html/);
    expect(limited.text).toMatch(/<html/i);
    const fragment = await page('/login', { 'hx-request': 'true' });
    expect(fragment.status).toBe(429);
    expect(fragment.text).not.toMatch(/<html/i);
  });

  it('keys a signed-in person by user, not by the shared IP, and leaves the API to its own limit', async () => {
    // The IP's budget is spent (above); signing in and the JSON API do not use it.
    const { cookie } = await signIn(gw);
    expect((await gw.http().get('/api/v1/me').set('cookie', cookie)).status).toBe(200);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await page('/login', { cookie })).status);
    expect(statuses.slice(0, 3)).not.toContain(429);
    expect(statuses[3]).toBe(429);
  });
});
