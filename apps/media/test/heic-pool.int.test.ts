import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HeicDecodeError, HeicPool } from '../src/images/heic/heic-pool.js';
import { halves, heicFrom, noise } from './fixtures.js';

describe('HeicPool (worker threads running heic-decode)', () => {
  let heic: Buffer;
  /** 3 MP of noise: WebAssembly decodes it for ~0.5 s here, a hundred times the abort's 5 ms. */
  let slowHeic: Buffer;
  beforeAll(async () => {
    heic = await heicFrom(await halves(480, 360));
    slowHeic = await heicFrom(await noise(2000, 1500));
  });

  const pool = new HeicPool({ size: 1, recycleAfter: 100 });
  afterAll(() => pool.close());

  it('decodes to RGBA pixels of the right size', async () => {
    const pixels = await pool.decode(heic);
    expect([pixels.width, pixels.height, pixels.data.length]).toEqual([480, 360, 480 * 360 * 4]);
    expect(pixels.data[0]).toBeGreaterThan(180); // red top-left
  });

  it('stops a decode that runs past its budget by terminating the worker, then carries on', async () => {
    const spawned = pool.spawned;
    const controller = new AbortController();
    // The small photo decoded in under 5 ms on a fast machine and beat the abort.
    const decoding = pool.decode(slowHeic, controller.signal);
    setTimeout(() => controller.abort(new Error('budget spent')), 5);
    await expect(decoding).rejects.toThrow('budget spent');
    const next = await pool.decode(heic);
    expect(next.width).toBe(480);
    expect(pool.spawned).toBe(spawned + 1);
  });

  it('rejects bytes that are not HEIC without losing the worker for the next image', async () => {
    await expect(pool.decode(Buffer.from('not a heic at all'))).rejects.toBeInstanceOf(
      HeicDecodeError,
    );
    expect((await pool.decode(heic)).height).toBe(360);
  });
});
