import { Clock } from '@lateral/observability';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { UpstreamResponseError, type MediaAccessService, type MediaClient } from '../platform.js';
import { MAX_LOOKUPS_PER_RENDER, MediaInfoService } from './media-info.service.js';

/** Lets the viewer read every image except those `denied` lists. */
function accessAllBut(denied: Set<string> = new Set()): MediaAccessService {
  return {
    canRead: (id: string) => Promise.resolve(!denied.has(id)),
  } as unknown as MediaAccessService;
}

/** A media client that knows ids starting with `img` and counts every lookup. */
function countingMedia() {
  const calls: string[] = [];
  const client = {
    getMedia: (id: string) => {
      calls.push(id);
      if (id.startsWith('img')) return Promise.resolve({ id, width: 640, height: 480 });
      return Promise.reject(new UpstreamResponseError('media', 404, 'not_found', 'No such', {}));
    },
  };
  const denied = new Set<string>();
  return {
    calls,
    denied,
    service: new MediaInfoService(
      client as unknown as MediaClient,
      new Clock(),
      accessAllBut(denied),
    ),
  };
}

const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

describe('MediaInfoService fan-out', () => {
  afterEach(() => vi.useRealTimers());

  it('gives no size of an image the viewer may not read, even when another viewer cached it', async () => {
    const { calls, denied, service } = countingMedia();
    expect((await service.lookup(['img1'])).get('img1')).toEqual({
      width: 640,
      height: 480,
      thumbhash: null,
    });
    denied.add('img1');
    expect((await service.lookup(['img1', 'img2'])).get('img1')).toBeNull();
    expect(calls).toEqual(['img1', 'img2']);
  });

  it('looks up at most 200 distinct ids per render; the rest render without dimensions', async () => {
    const { calls, service } = countingMedia();
    const page = [...ids('img', 5000), ...ids('img', 5000)];
    const result = await service.lookup(page);
    expect(calls).toHaveLength(MAX_LOOKUPS_PER_RENDER);
    expect(new Set(calls).size).toBe(MAX_LOOKUPS_PER_RENDER);
    expect(result.get('img0')).toEqual({ width: 640, height: 480, thumbhash: null });
    expect(result.get('img4999')).toBeNull();
  });

  it('remembers unknown ids for a while, then asks again', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { calls, service } = countingMedia();
    const page = ids('gone', 150);
    await service.lookup(page);
    expect(calls).toHaveLength(150);
    const again = await service.lookup(page);
    expect(calls).toHaveLength(150);
    expect(again.get('gone7')).toBeNull();
    vi.setSystemTime(Date.now() + 61_000);
    await service.lookup(page);
    expect(calls).toHaveLength(300);
  });

  it('does not remember a failure of media itself', async () => {
    let calls = 0;
    const service = new MediaInfoService(
      {
        getMedia: () => {
          calls++;
          return Promise.reject(new Error('ECONNREFUSED'));
        },
      } as unknown as MediaClient,
      new Clock(),
      accessAllBut(),
    );
    await service.lookup(['img1']);
    await service.lookup(['img1']);
    expect(calls).toBe(2);
  });
});
