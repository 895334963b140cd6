import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { signIn, startGateway, type GatewayHarness } from '../gateway-harness.js';
import { FakeWiki } from './fake-wiki.js';

// Issue #10 finding 1: a diff of two unrelated revisions ran for seconds on the event loop, so
// every other request (health checks included) waited behind it.

let wiki: FakeWiki;
let gw: GatewayHarness;
let session: { cookie: string; csrf: string };

/** Deterministic "random words" (an LCG), `wordsPerLine` to a line. */
function randomWords(chars: number, seed: number, wordsPerLine: number): string {
  let x = seed;
  const out: string[] = [];
  let length = 0;
  for (let i = 0; length < chars; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    const word = x.toString(36).slice(0, 3 + (x % 6));
    out.push(word, i % wordsPerLine === wordsPerLine - 1 ? '\n' : ' ');
    length += word.length + 1;
  }
  return out.join('');
}

beforeAll(async () => {
  wiki = new FakeWiki();
  await wiki.start();
  const huge = wiki.seed('Huge', randomWords(40_000, 1, 1));
  wiki.update(huge, { body: randomWords(40_000, 2, 1) });
  wiki.seed('Target', 'I am linked.');
  // Well past the size that is rendered in a worker; the links must still resolve there.
  const paragraphs = Array.from({ length: 3_000 }, (_, i) => `Paragraph ${i} with *some* text.`);
  wiki.seed(
    'Long read',
    `# Long read\n\nSee [[Target]] and [[Nowhere]].\n\n${paragraphs.join('\n\n')}\n\n![cat](/api/v1/media/m1)`,
  );
  wiki.media.set('m1', { id: 'm1', width: 800, height: 600, thumbhash: null });
  gw = await startGateway(inject('postgresAdminUrl'), { NOTES_URL: wiki.url, MEDIA_URL: wiki.url });
  session = await signIn(gw);
});

afterAll(async () => {
  await gw?.close();
  await wiki?.stop();
});

const get = (path: string) =>
  gw.http().get(path).set('cookie', session.cookie).set('accept', 'text/html');

describe('hostile renders', () => {
  it('answers /healthz promptly while a diff of two unrelated 40 KB revisions is computed', async () => {
    let done = false;
    const diff = get('/notes/huge/diff?from=1&to=2').then((res) => {
      done = true;
      return res;
    });
    // Back to back, so one health check is always in flight while the diff is being made.
    const latencies: number[] = [];
    const deadline = performance.now() + 30_000;
    while (!done) {
      if (performance.now() > deadline) throw new Error('the diff did not finish within 30 s');
      const start = performance.now();
      const health = await gw.http().get('/healthz');
      latencies.push(performance.now() - start);
      expect(health.status).toBe(200);
    }
    const res = await diff;
    expect(Math.max(...latencies)).toBeLessThan(1_000);
    expect(res.status).toBe(200);
    expect(res.text).toContain(
      'This diff is too large to compare line by line; showing a simplified comparison',
    );
  });

  it('renders a very long page completely, links and images resolved', async () => {
    const res = await get('/notes/long-read');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<a class="wikilink" href="/notes/target"');
    expect(res.text).toContain('Paragraph 2999 with <em>some</em> text.');
    expect(res.text).toContain('width="800" height="600"');
  });
});
