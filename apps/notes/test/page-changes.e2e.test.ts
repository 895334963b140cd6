// The page-change feed the gateways' page-view caches follow (`GET /api/v1/page-changes`), over a
// real socket against a real PostgreSQL: what each kind of write says, who may follow, and that
// a broken LISTEN connection ends the streams (notices could be lost) and is followed again.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { type AddressInfo } from 'node:net';
import { IDENTITY_HEADER, signIdentity, type Identity } from '@lateral/identity';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { LISTEN_APPLICATION_NAME } from '../src/page-changes/page-changes.feed.js';
import { ADA, INTERNAL_SECRET, aNote, startNotes, type NotesHarness } from './notes-harness.js';

const GATEWAY: Identity = { userId: 'system:page-view-cache', name: 'Page views', role: 'admin' };

let h: NotesHarness;
let port: number;

beforeAll(async () => {
  h = await startNotes(inject('postgresAdminUrl'));
  const server = h.app.getHttpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
}, 60_000);

afterAll(async () => {
  await h?.close();
});

interface Follow {
  status: number;
  lines: string[];
  ended: Promise<void>;
  /**
   * Resolves once every expected line has come (in any order) since the last `until` (or the
   * start), with the lines seen meanwhile.
   */
  until(expected: string[], timeoutMs?: number): Promise<string[]>;
  close(): void;
}

function follow(who: Identity = GATEWAY): Promise<Follow> {
  const path = '/api/v1/page-changes';
  const headers = {
    [IDENTITY_HEADER]: signIdentity(who, INTERNAL_SECRET, { method: 'GET', path }),
  };
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, headers }, (res: IncomingMessage) => {
      const lines: string[] = [];
      const waiters = new Set<() => void>();
      let consumed = 0;
      let buffered = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffered += chunk;
        const parts = buffered.split('\n');
        buffered = parts.pop() ?? '';
        lines.push(...parts);
        for (const wake of waiters) wake();
      });
      const ended = new Promise<void>((done) => res.on('close', done));
      resolve({
        status: res.statusCode ?? 0,
        lines,
        ended,
        close: () => req.destroy(),
        until: (expected, timeoutMs = 5_000) => {
          const from = consumed;
          return new Promise((done, fail) => {
            const check = () => {
              const seen = lines.slice(from);
              if (expected.every((line) => seen.includes(line))) {
                waiters.delete(check);
                clearTimeout(timer);
                consumed = lines.length;
                done(seen);
              }
            };
            const timer = setTimeout(() => {
              waiters.delete(check);
              fail(
                new Error(`expected ${expected.join(', ')}; saw ${lines.slice(from).join(', ')}`),
              );
            }, timeoutMs);
            waiters.add(check);
            check();
          });
        },
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** Follows once the feed is up (it starts LISTENing right after the app does): a 503 till then. */
async function followWhenUp(timeoutMs = 10_000): Promise<Follow> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const attempt = await follow();
    if (attempt.status !== 503 || Date.now() > deadline) return attempt;
    await attempt.ended;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Kills notes' LISTEN connection from PostgreSQL's side, as a failover or a network cut would. */
async function breakListenConnection(): Promise<void> {
  await h.sql.query(
    `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
     WHERE datname = current_database() AND application_name = $1`,
    [LISTEN_APPLICATION_NAME],
  );
}

async function create(
  title: string,
  body = 'Plain text.',
): Promise<{ id: string; version: number }> {
  const res = await h.as(ADA).post('/api/v1/notes').send(aNote({ title, body })).expect(201);
  return res.body as { id: string; version: number };
}

describe('the page-change feed', () => {
  it('says which page a save changed, whose backlinks changed, and "all" for the tree', async () => {
    const feed = await followWhenUp();
    expect(feed.status).toBe(200);
    await feed.until(['ready']);
    const target = await create('Feed target');
    const linking = await create('Feed linking', 'See [[Feed target]].');
    await feed.until(['all', `page ${target.id}`]);

    // A body-only save: that page, and the page its (rewritten) links point at.
    const saved = (
      await h
        .as(ADA)
        .put(`/api/v1/notes/${linking.id}`)
        .send({ body: 'Still see [[Feed target]].', version: linking.version })
        .expect(200)
    ).body as { version: number };
    const seen = await feed.until([`page ${linking.id}`, `page ${target.id}`]);
    expect(seen).not.toContain('all');

    // A rename moves the page in every tree and re-points wiki links: everything.
    await h
      .as(ADA)
      .put(`/api/v1/notes/${linking.id}`)
      .send({ title: 'Feed linking renamed', version: saved.version })
      .expect(200);
    await feed.until(['all']);

    // A link by an old slug reaches the renamed page.
    await create('Feed old-slug link', 'Back to [[Feed linking]].');
    await feed.until([`page ${linking.id}`]);

    // Trash and spaces: everything.
    await h.as(ADA).delete(`/api/v1/notes/${target.id}`).expect(204);
    await feed.until(['all']);
    await h.as(ADA).post('/api/v1/spaces').send({ name: 'Feed space', visibility: 'team' });
    await feed.until(['all']);
    // A heartbeat comes while nothing changes.
    await feed.until(['.'], 8_000);
    feed.close();
  }, 20_000);

  it('is for the gateway only: 403 for a person', async () => {
    const feed = await follow(ADA);
    expect(feed.status).toBe(403);
    await feed.ended;
  });

  it('keeps its streams out of the request-duration histogram, not its refusals', async () => {
    const timed = async () => {
      const text = await h.metrics.registry.getSingleMetricAsString(
        'http_server_request_duration_seconds',
      );
      return text
        .split('\n')
        .filter((l) => l.includes('_count{') && l.includes('route="/api/v1/page-changes"'))
        .map((l) => l.match(/status_code="(\d+)"/)?.[1]);
    };
    const feed = await followWhenUp();
    await feed.until(['ready']);
    // Ended by notes (its LISTEN connection broke), as at shutdown: a finished answer.
    await breakListenConnection();
    await feed.ended;
    const refused = await follow(ADA);
    await refused.ended;
    await new Promise((resolve) => setTimeout(resolve, 50));
    const statuses = await timed();
    expect(statuses).toContain('403');
    expect(statuses).not.toContain('200');
  });

  it('ends every stream when its PostgreSQL connection breaks, then follows again', async () => {
    const feed = await followWhenUp();
    await feed.until(['ready']);
    await breakListenConnection();
    await feed.ended;
    // Back within the reconnect delay; meanwhile a follower is told to come back (503).
    const again = await followWhenUp();
    expect(again.status).toBe(200);
    await again.until(['ready']);
    await create('Feed after reconnect');
    await again.until(['all']);
    again.close();
  }, 20_000);
});
