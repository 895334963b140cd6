import { FixedClock } from '@lateral/observability/testing';
import { describe, expect, it } from 'vitest';
import { type SessionUser } from '../auth/current-user.js';
import { ACCESS_CACHE_SIZE, ACCESS_TTL_MS, MediaAccessService } from './media-access.service.js';
import { type NotesClient } from './notes.client.js';
import { UpstreamResponseError } from './upstream-errors.js';

const ANN: SessionUser = { id: 'ann', name: 'Ann', role: 'editor' };
const BOB: SessionUser = { id: 'bob', name: 'Bob', role: 'editor' };

/** Ann reads `private*` ids, nobody else does; `team*` ids are public. */
function setup() {
  const calls: string[] = [];
  const notes = {
    mediaAccess: (id: string, user: SessionUser) => {
      calls.push(`${user.id}:${id}`);
      if (id.startsWith('team')) return Promise.resolve({ mediaId: id, public: true });
      if (id.startsWith('private') && user.id === 'ann')
        return Promise.resolve({ mediaId: id, public: false });
      return Promise.reject(new UpstreamResponseError('notes', 404, 'not_found', 'No', {}));
    },
  } as unknown as NotesClient;
  const clock = new FixedClock();
  return { calls, clock, service: new MediaAccessService(notes, clock) };
}

describe('MediaAccessService', () => {
  it('answers per person, remembers yes and no for the TTL, then asks again', async () => {
    const { calls, clock, service } = setup();
    expect(await service.canRead('private1', ANN)).toBe(true);
    expect(await service.canRead('private1', BOB)).toBe(false);
    expect(await service.canRead('private1', ANN)).toBe(true);
    expect(await service.canRead('private1', BOB)).toBe(false);
    expect(calls).toEqual(['ann:private1', 'bob:private1']);
    clock.advance(ACCESS_TTL_MS + 1);
    await service.canRead('private1', BOB);
    expect(calls).toHaveLength(3);
  });

  it('shares a public answer between people and concurrent questions', async () => {
    const { calls, service } = setup();
    const answers = await Promise.all([1, 2, 3].map(() => service.canRead('team1', ANN)));
    expect(answers).toEqual([true, true, true]);
    expect(await service.canRead('team1', BOB)).toBe(true);
    expect(calls).toEqual(['ann:team1']);
  });

  it('says no without a person, and stays bounded', async () => {
    const { service } = setup();
    expect(await service.canRead('team1', undefined)).toBe(false);
    for (let i = 0; i < ACCESS_CACHE_SIZE + 50; i++) await service.canRead(`gone${i}`, BOB);
    expect((service as unknown as { answers: Map<string, unknown> }).answers.size).toBe(
      ACCESS_CACHE_SIZE,
    );
  });
});
