import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { FakeUpstream } from './fake-upstream.js';
import { BOOTSTRAP_TOKEN, startGateway, type GatewayHarness } from './gateway-harness.js';

describe('API rate limit', () => {
  const notes = new FakeUpstream();
  let gw: GatewayHarness;

  beforeAll(async () => {
    await notes.start();
    gw = await startGateway(inject('postgresAdminUrl'), {
      NOTES_URL: notes.url,
      MEDIA_URL: notes.url,
      RATE_LIMIT_API_PER_MINUTE: '5',
    });
  });
  afterAll(async () => {
    await gw?.close();
    await notes.stop();
  });

  it('gives each caller its own budget and answers 429 with Retry-After past it', async () => {
    const call = (token: string) =>
      gw.http().get('/api/v1/tags').set('authorization', `Bearer ${token}`);
    const other = await gw
      .http()
      .post('/api/v1/tokens')
      .set('authorization', `Bearer ${BOOTSTRAP_TOKEN}`)
      .send({ name: 'other', role: 'reader' });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await call(BOOTSTRAP_TOKEN)).status);
    // The token creation above used one of the bootstrap caller's five.
    expect(statuses.filter((s) => s === 200)).toHaveLength(4);
    const limited = await call(BOOTSTRAP_TOKEN);
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect((await call(other.body.token as string)).status).toBe(200);
    const metrics = await gw.metrics.registry.metrics();
    expect(metrics).toMatch(/lateral_rate_limited_total\{[^}]*scope="api"[^}]*\} [1-9]/);
  });
});
