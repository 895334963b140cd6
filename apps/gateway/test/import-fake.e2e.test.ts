import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { FakeUpstream } from './fake-upstream.js';
import { BOOTSTRAP_TOKEN, startGateway, type GatewayHarness } from './gateway-harness.js';

const ID1 = '0123456789abcdef0123456789abcdef';
const ID2 = 'fedcba9876543210fedcba9876543210';

/** notes stand-in that honours importKey the way the real service does. */
function fakeNotes(upstream: FakeUpstream) {
  const byKey = new Map<string, object>();
  upstream.handler = (req, res) => {
    const input = JSON.parse(req.body.toString()) as { title: string; importKey: string };
    const existing = byKey.get(input.importKey);
    const note = existing ?? {
      id: `n${byKey.size + 1}`,
      slug: input.title.toLowerCase(),
      ...input,
      version: 1,
    };
    byKey.set(input.importKey, note);
    res
      .writeHead(existing ? 200 : 201, { 'content-type': 'application/json' })
      .end(JSON.stringify(note));
  };
}

describe('POST /api/v1/import (fake upstreams)', () => {
  const notes = new FakeUpstream();
  const media = new FakeUpstream();
  let gw: GatewayHarness;

  beforeAll(async () => {
    await notes.start();
    await media.start();
    fakeNotes(notes);
    media.handler = (req, res) =>
      res.writeHead(201, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          id: `m${media.requests.length}`,
          contentType: 'image/png',
          width: 4,
          height: 3,
          bytes: req.body.length,
        }),
      );
    gw = await startGateway(inject('postgresAdminUrl'), {
      NOTES_URL: notes.url,
      MEDIA_URL: media.url,
    });
  });
  afterAll(async () => {
    await gw?.close();
    await notes.stop();
    await media.stop();
  });

  const zip = zipSync({
    [`Export-abc/Home ${ID1}.md`]: strToU8(
      `# Home\n\nCreated: March 3, 2024 9:00 AM\nTags: start, team\n\n[Plan](Home%20${ID1}/Plan%20${ID2}.md)\n\n![cat](Home%20${ID1}/cat.png)\n`,
    ),
    [`Export-abc/Home ${ID1}/Plan ${ID2}.md`]: strToU8('# Plan\n\nSteps.'),
    [`Export-abc/Home ${ID1}/cat.png`]: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]),
  });

  it('creates pages with wiki links and uploaded images, and does not duplicate on re-import', async () => {
    const first = await gw
      .http()
      .post('/api/v1/import')
      .set('authorization', `Bearer ${BOOTSTRAP_TOKEN}`)
      .attach('file', Buffer.from(zip), 'export.zip');
    expect(first.status).toBe(201);
    expect(first.body.errors).toEqual([]);
    expect(
      (first.body.notes as { title: string; created: boolean }[]).map((n) => [n.title, n.created]),
    ).toEqual([
      ['Home', true],
      ['Plan', true],
    ]);
    expect(first.body.media).toHaveLength(1);
    const home = JSON.parse(notes.requests[0]!.body.toString());
    expect(home).toMatchObject({
      title: 'Home',
      tags: ['start', 'team'],
      createdAt: '2024-03-03T09:00:00.000Z',
    });
    expect(home.body).toBe('[[Plan]]\n\n![cat](/api/v1/media/m1#w=4&h=3)');
    expect(media.requests[0]!.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(media.requests[0]!.body.includes(Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]))).toBe(
      true,
    );

    const again = await gw
      .http()
      .post('/api/v1/import')
      .set('authorization', `Bearer ${BOOTSTRAP_TOKEN}`)
      .attach('file', Buffer.from(zip), 'export.zip');
    expect(again.status).toBe(201);
    expect(
      (again.body.notes as { id: string; created: boolean }[]).map((n) => [n.id, n.created]),
    ).toEqual([
      ['n1', false],
      ['n2', false],
    ]);
  });

  it('imports a single markdown file and refuses other files with 4xx JSON', async () => {
    const md = await gw
      .http()
      .post('/api/v1/import')
      .set('authorization', `Bearer ${BOOTSTRAP_TOKEN}`)
      .attach('file', Buffer.from('# Solo\n\nTags: x\n\nHello'), 'solo.md');
    expect(md.status).toBe(201);
    expect(md.body.notes[0]).toMatchObject({ title: 'Solo', created: true });

    const exe = await gw
      .http()
      .post('/api/v1/import')
      .set('authorization', `Bearer ${BOOTSTRAP_TOKEN}`)
      .attach('file', Buffer.from('MZ...'), 'tool.exe');
    expect(exe.status).toBe(400);
    expect(exe.body.error.code).toBe('import_invalid');

    const notMultipart = await gw
      .http()
      .post('/api/v1/import')
      .set('authorization', `Bearer ${BOOTSTRAP_TOKEN}`)
      .send({ hello: 'world' });
    expect(notMultipart.status).toBe(415);
  });
});
