import { randomUUID } from 'node:crypto';
import { WikiClient, multipart, samplePng, type NoteRef, type Reply } from './client.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from './stack.js';

export interface TrafficResult {
  /** What a user would have noticed: unexpected answers, with the step that got them. */
  failures: string[];
  /** The request id sent with each step that has one. */
  requestIds: Record<string, string>;
  note?: NoteRef;
  mediaId?: string;
}

/**
 * One session of realistic use through the gateway, touching every metric the dashboards and
 * alerts read: sign-ins (good, bad, rate-limited), pages (create, read, view, edit, conflict),
 * search (full text and a typo), an image (upload, variant, a refused upload), an unknown route.
 * Failed logins are last so the login rate limit (set low by the caller) trips on them.
 */
export async function driveTraffic(baseUrl: string, loginAttempts = 4): Promise<TrafficResult> {
  const client = new WikiClient(baseUrl, undefined, 4);
  const result: TrafficResult = { failures: [], requestIds: {} };
  const expect = async (step: string, want: number[], call: () => Promise<Reply>) => {
    try {
      const res = await call();
      if (!want.includes(res.status))
        result.failures.push(
          `${step}: ${res.status} ${res.body.toString('utf8').slice(0, 200)} (expected ${want.join('/')})`,
        );
      return res;
    } catch (error) {
      result.failures.push(`${step}: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  };
  const id = (step: string) => (result.requestIds[step] = `stack-${step}-${randomUUID()}`);

  try {
    await expect('sign in', [200], () =>
      client.call('POST', '/login', { json: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD } }),
    );
    const created = await expect('create page', [201], () =>
      client.call('POST', '/api/v1/notes', {
        json: {
          title: 'Runbook for the wiki',
          body: 'Restart with care. See [[On call]].',
          tags: ['ops'],
        },
        requestId: id('create'),
      }),
    );
    await expect('create linked page', [201], () =>
      client.call('POST', '/api/v1/notes', {
        json: { title: 'On call', body: 'Who is on call this week.', tags: ['ops'] },
      }),
    );
    const note = created?.status === 201 ? created.json<NoteRef>() : undefined;
    result.note = note;
    if (note) {
      await expect('read page', [200], () => client.call('GET', `/api/v1/notes/${note.slug}`));
      await expect('view page', [200], () => client.call('GET', `/notes/${note.slug}`));
      await expect('edit page', [200], () =>
        client.call('PUT', `/api/v1/notes/${note.id}`, {
          json: { body: 'Restart with great care.', version: note.version },
          requestId: id('edit'),
        }),
      );
      await expect('stale edit', [409], () =>
        client.call('PUT', `/api/v1/notes/${note.id}`, {
          json: { body: 'A stale edit.', version: note.version },
        }),
      );
      await expect('revisions', [200], () =>
        client.call('GET', `/api/v1/notes/${note.id}/revisions`),
      );
    }
    await expect('search', [200], () =>
      client.call('GET', '/api/v1/search?q=restart', { requestId: id('search') }),
    );
    await expect('search typo', [200], () => client.call('GET', '/api/v1/search?q=runbok'));
    await expect('tags', [200], () => client.call('GET', '/api/v1/tags'));

    const png = await samplePng();
    const upload = await expect('upload image', [201], () =>
      client.call('POST', '/api/v1/media', {
        ...multipart(png, 'image/png', 'photo.png'),
        requestId: id('upload'),
      }),
    );
    const mediaId = upload?.status === 201 ? upload.json<{ id: string }>().id : undefined;
    result.mediaId = mediaId;
    if (mediaId) {
      await expect('fetch image', [200], () => client.call('GET', `/api/v1/media/${mediaId}`));
      await expect('fetch variant', [200], () =>
        client.call('GET', `/api/v1/media/${mediaId}?w=320&format=webp`),
      );
    }
    await expect('upload a non-image', [415, 422, 400], () =>
      client.call(
        'POST',
        '/api/v1/media',
        multipart(Buffer.from('not an image at all'), 'image/png', 'fake.png'),
      ),
    );
    await expect('unknown route', [404], () => client.call('GET', '/api/v1/no-such-thing'));

    for (let i = 0; i < loginAttempts; i += 1) {
      await expect('wrong password', [401, 429], () =>
        client.call('POST', '/login', {
          json: { email: ADMIN_EMAIL, password: 'wrong password!' },
        }),
      );
    }
  } finally {
    await client.close();
  }
  return result;
}
