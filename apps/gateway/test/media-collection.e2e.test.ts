// Collecting unused images through the gateway (POST /api/v1/admin/media-collection, and the
// schedule's run()): media and notes are stand-ins that keep state as the real services do
// (their own e2e tests prove their answers: media-collection and media-references). Only images
// past the grace period that notes does not name are deleted; pages of 500 are followed; notes
// failing deletes nothing; one run at a time.
import { verifyIdentity } from '@lateral/identity';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { MediaCollector } from '../src/media-collection/media-collector.service.js';
import { FakeUpstream, type RecordedRequest } from './fake-upstream.js';
import {
  BOOTSTRAP_TOKEN,
  INTERNAL_SECRET,
  startGateway,
  type GatewayHarness,
} from './gateway-harness.js';

const bootstrap = `Bearer ${BOOTSTRAP_TOKEN}`;
const DAY = 86_400_000;
/** A media id as media makes them (43 base64url characters), sortable by n. */
const mediaId = (n: number) => `${String(n).padStart(5, '0')}${'m'.repeat(38)}`;

const notes = new FakeUpstream();
const media = new FakeUpstream();
/** media's images: id → when it was uploaded. */
const images = new Map<string, number>();
/** What notes says is still used. */
const used = new Set<string>();
let notesDown = false;
/** When set, media holds its list answer until this resolves (to overlap two runs). */
let listGate: Promise<void> | undefined;
let gw: GatewayHarness;

const json = (res: import('node:http').ServerResponse, status: number, body?: unknown) =>
  res
    .writeHead(status, { 'content-type': 'application/json' })
    .end(body === undefined ? '' : JSON.stringify(body));

/** The identity the gateway signed a call with. */
const roleOf = (req: RecordedRequest) =>
  verifyIdentity(req.headers['x-lateral-identity'] as string, INTERNAL_SECRET, {
    method: req.method,
    path: req.url,
    body: req.body,
  }).role;

beforeAll(async () => {
  await notes.start();
  await media.start();
  notes.handler = (req, res) => {
    if (notesDown) return json(res, 500, { error: { code: 'internal', message: 'down' } });
    const { mediaIds } = JSON.parse(req.body.toString()) as { mediaIds: string[] };
    json(res, 200, { referenced: mediaIds.filter((id) => used.has(id)) });
  };
  media.handler = (req, res) => {
    const url = new URL(req.url, 'http://media');
    if (req.method === 'DELETE') {
      const id = decodeURIComponent(url.pathname.split('/').pop()!);
      return images.delete(id)
        ? res.writeHead(204).end()
        : json(res, 404, { error: { code: 'media_not_found', message: 'No such image.' } });
    }
    const before = Date.parse(url.searchParams.get('before')!);
    const after = url.searchParams.get('after') ?? '';
    const limit = Number(url.searchParams.get('limit'));
    const page = [...images]
      .filter(([id, at]) => at < before && id > after)
      .map(([id]) => id)
      .sort()
      .slice(0, limit);
    const answer = () =>
      json(res, 200, {
        items: page.map((id) => ({ id, createdAt: new Date(images.get(id)!).toISOString() })),
        next: page.length === limit ? page[page.length - 1] : null,
      });
    if (listGate) void listGate.then(answer);
    else answer();
  };
  gw = await startGateway(inject('postgresAdminUrl'), {
    NOTES_URL: notes.url,
    MEDIA_URL: media.url,
    MEDIA_COLLECTION_INTERVAL_HOURS: '0',
    MEDIA_COLLECTION_GRACE_HOURS: '24',
  });
});
afterAll(async () => {
  await gw?.close();
  await notes.stop();
  await media.stop();
});
beforeEach(() => {
  images.clear();
  used.clear();
  notesDown = false;
  listGate = undefined;
  notes.requests.length = 0;
  media.requests.length = 0;
});

const collect = () =>
  gw.http().post('/api/v1/admin/media-collection').set('authorization', bootstrap);

describe('collecting unused images', () => {
  it('deletes only old images notes does not name, asking both as an admin', async () => {
    const now = Date.now();
    images.set(mediaId(1), now - 3 * DAY); // used by a page: kept
    images.set(mediaId(2), now - 3 * DAY); // nothing uses it: deleted
    images.set(mediaId(3), now - 2 * DAY); // nothing uses it: deleted
    images.set(mediaId(4), now - 60_000); // a fresh upload, not in a draft yet: not even asked
    used.add(mediaId(1));

    const res = await collect();
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ checked: 3, deleted: 2 });
    expect([...images.keys()].sort()).toEqual([mediaId(1), mediaId(4)]);
    const asked = JSON.parse(notes.requests[0]!.body.toString()) as { mediaIds: string[] };
    expect(asked.mediaIds.sort()).toEqual([mediaId(1), mediaId(2), mediaId(3)]);
    for (const req of [...notes.requests, ...media.requests]) expect(roleOf(req)).toBe('admin');
    const metrics = await gw.metrics.registry.metrics();
    expect(metrics).toMatch(/lateral_media_collection_images_total\{outcome="deleted"[^}]*\} 2/);
    expect(metrics).toMatch(/lateral_media_collection_images_total\{outcome="kept"[^}]*\} 1/);
  });

  it('follows media’s pages of 500 until the last', async () => {
    const old = Date.now() - 2 * DAY;
    for (let n = 0; n < 1_100; n++) images.set(mediaId(n), old);
    for (let n = 0; n < 1_100; n += 10) used.add(mediaId(n));

    const res = await collect();
    expect(res.body).toEqual({ checked: 1_100, deleted: 990 });
    expect(images.size).toBe(110);
    expect(notes.requests).toHaveLength(3);
    expect(media.requests.filter((r) => r.method === 'GET')).toHaveLength(3);
  });

  it('deletes nothing when notes cannot answer', async () => {
    images.set(mediaId(1), Date.now() - 2 * DAY);
    notesDown = true;
    const res = await collect();
    expect(res.status).toBeGreaterThanOrEqual(502);
    expect(images.has(mediaId(1))).toBe(true);
    expect(media.requests.filter((r) => r.method === 'DELETE')).toHaveLength(0);
  });

  it('runs one collection at a time: a second one meanwhile is 409', async () => {
    images.set(mediaId(1), Date.now() - 2 * DAY);
    let open!: () => void;
    listGate = new Promise((resolve) => (open = resolve));
    const first = collect().then((r) => r);
    await expect.poll(() => media.requests.length).toBe(1);
    const second = await collect();
    expect(second.status).toBe(409);
    open();
    expect((await first).body).toEqual({ checked: 1, deleted: 1 });
  });

  it('runs on a timer only when no replica collected within the interval', async () => {
    const collector = gw.app.get(MediaCollector);
    images.set(mediaId(1), Date.now() - 3 * DAY);
    expect((await collect()).body).toEqual({ checked: 1, deleted: 1 });
    media.requests.length = 0;

    // Another replica's timer within the day: nothing asked of media or notes.
    images.set(mediaId(2), Date.now() - 3 * DAY);
    expect(await collector.runIfDue(DAY)).toBeUndefined();
    expect(media.requests).toHaveLength(0);
    expect(images.has(mediaId(2))).toBe(true);

    // Once the interval has passed since the last collection, the timer's run collects.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await collector.runIfDue(10)).toEqual({ checked: 1, deleted: 1 });
    expect(images.has(mediaId(2))).toBe(false);
  });

  it('forwards DELETE of an image (media lets admins only: a takedown), never the listing', async () => {
    images.set(mediaId(1), Date.now() - 2 * DAY);
    const list = await gw
      .http()
      .get('/api/v1/media-collection/uploaded-before')
      .query({ before: new Date().toISOString() })
      .set('authorization', bootstrap);
    expect(list.status).toBe(404);
    expect(media.requests).toHaveLength(0);
    const del = await gw
      .http()
      .delete(`/api/v1/media/${mediaId(1)}`)
      .set('authorization', bootstrap);
    expect(del.status).toBe(204);
    expect(images.has(mediaId(1))).toBe(false);
    expect(roleOf(media.requests[0]!)).toBe('admin');
  });

  it('is for admins only', async () => {
    await gw
      .http()
      .post('/api/v1/users')
      .set('authorization', bootstrap)
      .send({
        email: 'ed@example.test',
        name: 'Ed',
        role: 'editor',
        password: 'a long enough password',
      })
      .expect(201);
    const login = await gw
      .http()
      .post('/login')
      .set('origin', 'http://127.0.0.1:8080')
      .send({ email: 'ed@example.test', password: 'a long enough password' });
    const cookie = ([] as string[])
      .concat(login.headers['set-cookie'] ?? [])
      .map((c) => c.split(';')[0])
      .join('; ');
    const session = await gw.http().get('/api/v1/session').set('cookie', cookie);
    const res = await gw
      .http()
      .post('/api/v1/admin/media-collection')
      .set('cookie', cookie)
      .set('x-csrf-token', session.body.csrfToken as string)
      .set('origin', 'http://127.0.0.1:8080');
    expect(res.status).toBe(403);
    expect(notes.requests).toHaveLength(0);
  });
});
