// Who may read an image (#12), through the gateway with fake notes and media: the proxy asks
// notes (GET /api/v1/media-access/{id}) before it streams an image, a variant or its metadata,
// answers media's own 404 to a person who may not read it, and remembers answers briefly.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { FakeUpstream, type RecordedRequest } from './fake-upstream.js';
import { BOOTSTRAP_USER_ID } from '../src/auth/request-auth.service.js';
import { BOOTSTRAP_TOKEN, signIn, startGateway, type GatewayHarness } from './gateway-harness.js';

const member = `Bearer ${BOOTSTRAP_TOKEN}`;
const SECRET = 'S'.repeat(43);
const TEAM = 'T'.repeat(43);
const IMAGE = Buffer.from('0123456789abcdefghij');

/** The user id in a signed identity header (`v2.<userId b64url>.…`). */
const callerOf = (req: RecordedRequest) =>
  Buffer.from(
    String(req.headers['x-lateral-identity']).split('.')[1] ?? '',
    'base64url',
  ).toString();

describe('media proxy: access to images of private pages (fake notes and media)', () => {
  const notes = new FakeUpstream();
  const media = new FakeUpstream();
  let gw: GatewayHarness;
  let adminId = '';
  let outsider = '';

  const accessCalls = (id: string) =>
    notes.requests.filter((r) => r.url === `/api/v1/media-access/${id}`);
  const mediaCalls = (id: string) => media.requests.filter((r) => r.url.includes(id));

  beforeAll(async () => {
    await notes.start();
    await media.start();
    notes.handler = (req, res) => {
      const id = req.url.split('/').pop() ?? '';
      const json = (status: number, body: unknown) =>
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (id === TEAM) return json(200, { mediaId: id, public: true });
      if (id === SECRET && callerOf(req) === adminId)
        return json(200, { mediaId: id, public: false });
      return json(404, { error: { code: 'not_found', message: 'No such image.' } });
    };
    media.handler = (req, res) => {
      if (req.url.endsWith('/meta')) {
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ id: SECRET, width: 640, height: 480 }));
        return;
      }
      res
        .writeHead(200, {
          'content-type': 'image/webp',
          etag: '"abc"',
          'cache-control': 'public, max-age=31536000, immutable',
          'content-length': String(IMAGE.length),
        })
        .end(req.method === 'HEAD' ? undefined : IMAGE);
    };
    gw = await startGateway(inject('postgresAdminUrl'), {
      NOTES_URL: notes.url,
      MEDIA_URL: media.url,
    });
    adminId = BOOTSTRAP_USER_ID;
    await gw
      .http()
      .post('/api/v1/users')
      .set('authorization', member)
      .send({ email: 'out@example.test', name: 'Outsider', password: 'outsider password 123' })
      .expect(201);
    outsider = (await signIn(gw, 'out@example.test', 'outsider password 123')).cookie;
  });
  afterAll(async () => {
    await gw?.close();
    await notes.stop();
    await media.stop();
  });

  it('answers an outsider 404 media_not_found for a private image, its variants, HEAD and meta, without asking media', async () => {
    for (const url of [
      `/api/v1/media/${SECRET}`,
      `/api/v1/media/${SECRET}?w=640&format=webp`,
      `/api/v1/media/${SECRET}/meta`,
    ]) {
      const res = await gw.http().get(url).set('cookie', outsider).set('if-none-match', '"abc"');
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('media_not_found');
    }
    const head = await gw.http().head(`/api/v1/media/${SECRET}`).set('cookie', outsider);
    expect(head.status).toBe(404);
    expect(mediaCalls(SECRET)).toHaveLength(0);
    // Four requests, one question to notes: the answer is remembered for this person.
    expect(accessCalls(SECRET)).toHaveLength(1);
  });

  it('serves a member the private image and its variants, never for shared caches', async () => {
    for (const url of [`/api/v1/media/${SECRET}`, `/api/v1/media/${SECRET}?w=320`]) {
      const res = await gw.http().get(url).set('authorization', member);
      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toBe('private, max-age=31536000, immutable');
      expect(res.headers.etag).toBe('"abc"');
    }
    const meta = await gw.http().get(`/api/v1/media/${SECRET}/meta`).set('authorization', member);
    expect(meta.body).toMatchObject({ width: 640 });
    // The outsider's "no" and the member's "yes" are separate answers: two calls in all.
    expect(accessCalls(SECRET).map(callerOf).sort()).toEqual(
      [
        adminId,
        accessCalls(SECRET)
          .map(callerOf)
          .find((id) => id !== adminId),
      ].sort(),
    );
    expect(accessCalls(SECRET)).toHaveLength(2);
  });

  it('serves a team image to everyone, asking notes once for all of them', async () => {
    const many = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        gw
          .http()
          .get(`/api/v1/media/${TEAM}?w=${[320, 640, 960][i % 3]}`)
          .set(i % 2 ? { cookie: outsider } : { authorization: member }),
      ),
    );
    expect(many.map((r) => r.status)).toEqual(Array(12).fill(200));
    expect(many[0]!.headers['cache-control']).toBe('private, max-age=31536000, immutable');
    // Concurrent requests of one person share a call; a public answer serves every person.
    expect(accessCalls(TEAM).length).toBeLessThanOrEqual(2);
    await gw.http().get(`/api/v1/media/${TEAM}`).set('cookie', outsider).expect(200);
    await gw.http().get(`/api/v1/media/${TEAM}`).set('authorization', member).expect(200);
    expect(accessCalls(TEAM).length).toBeLessThanOrEqual(2);
  });

  it('does not serve an image while notes cannot answer, and does not remember that', async () => {
    const id = 'N'.repeat(43);
    const handler = notes.handler;
    notes.handler = (_req, res) => {
      res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":{"code":"x"}}');
    };
    const down = await gw.http().get(`/api/v1/media/${id}`).set('authorization', member);
    expect(down.status).toBeGreaterThanOrEqual(500);
    expect(mediaCalls(id)).toHaveLength(0);
    notes.handler = handler;
    const after = await gw.http().get(`/api/v1/media/${id}`).set('authorization', member);
    expect(after.status).toBe(404);
    expect(accessCalls(id)).toHaveLength(2);
  });
});
