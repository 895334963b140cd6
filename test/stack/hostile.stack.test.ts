import fc from 'fast-check';
import { zipSync, strToU8 } from 'fflate';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WikiClient, multipart, type Reply } from './client.js';
import { HOSTILE_CORPUS } from './hostile-corpus.js';
import { type ServiceProcess } from './service-process.js';
import { Stack } from './stack.js';

/**
 * The hostile-input tier (issue #10, docs/security.md): each finding and fuzzed variants sent
 * through the real services. Each request must get a clear answer (a 4xx, or a bounded 2xx),
 * every service's /healthz must keep answering while it is processed, no process may restart,
 * and nothing partial is stored. Bounds are generous on purpose: the bugs took 5-90 s; a loaded
 * 2-core CI machine may add a second, not minutes.
 */
const HEALTHZ_BOUND_MS = 2000;

/** Polls every replica's /healthz while `work` runs; the slowest answer per replica. */
async function watchHealth<T>(
  replicas: ServiceProcess[],
  work: () => Promise<T>,
): Promise<{ result: T; slowestMs: Record<string, number> }> {
  const slowestMs: Record<string, number> = Object.fromEntries(replicas.map((r) => [r.name, 0]));
  let done = false;
  const probe = async (replica: ServiceProcess) => {
    while (!done) {
      const start = performance.now();
      try {
        const res = await fetch(`${replica.url}/healthz`, { signal: AbortSignal.timeout(30_000) });
        await res.body?.cancel();
      } catch {
        slowestMs[replica.name] = Infinity;
      }
      const ms = performance.now() - start;
      slowestMs[replica.name] = Math.max(slowestMs[replica.name] ?? 0, ms);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  const probes = replicas.map(probe);
  try {
    return { result: await work(), slowestMs };
  } finally {
    done = true;
    await Promise.all(probes);
  }
}

describe('hostile input through the whole stack', () => {
  let stack: Stack;
  let client: WikiClient;
  let replicas: ServiceProcess[];
  const pids = new Map<string, number | undefined>();

  beforeAll(async () => {
    stack = await Stack.start({
      env: {
        // A budget a test can exceed without allocating gigabytes in the test process.
        gateway: { IMPORT_MAX_UNCOMPRESSED_BYTES: String(64 * 1024 * 1024) },
      },
    });
    client = new WikiClient(stack.gatewayUrl, undefined, 4);
    replicas = Object.values(stack.replicas).flat();
    for (const r of replicas) pids.set(r.name, r.pid);
  });

  afterEach((ctx) => {
    if (ctx.task.result?.state === 'fail') stack.keepLogs = true;
  });

  afterAll(async () => {
    await client?.close();
    await stack?.stop();
  });

  async function countNotes(): Promise<number> {
    let count = 0;
    let cursor: string | null = null;
    do {
      const page: Reply = await client.call(
        'GET',
        `/api/v1/notes?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      const json = page.json<{ items: unknown[]; nextCursor: string | null }>();
      count += json.items.length;
      cursor = json.nextCursor;
    } while (cursor);
    return count;
  }

  for (const hostile of HOSTILE_CORPUS) {
    it(`${hostile.name}: a clean answer, /healthz answering throughout`, async () => {
      const before = hostile.expect.every((s) => s >= 400) ? await countNotes() : undefined;
      hostile.prepare?.();
      const { result, slowestMs } = await watchHealth(replicas, () => hostile.send(client));
      expect(hostile.expect, result.body.toString().slice(0, 300)).toContain(result.status);
      if (result.status >= 400) {
        const error = result.json<{ error?: { code?: string } }>().error;
        expect(error?.code, 'a machine-readable error code').toMatch(/^[a-z_]+$/);
      }
      for (const [name, ms] of Object.entries(slowestMs))
        expect(ms, `${name} /healthz while processing`).toBeLessThan(HEALTHZ_BOUND_MS);
      if (before !== undefined) expect(await countNotes(), 'nothing partial stored').toBe(before);
    });
  }

  const MARKDOWN_PIECES = [
    '[',
    ']',
    '[[',
    ']]',
    '`',
    '```',
    '(',
    ')',
    '|',
    '!',
    '#',
    ' ',
    '\n',
    'a',
    '*',
    '_',
    '<',
    '>',
    '~',
    '\\',
    '/notes/',
    'http://x/',
  ];

  it('fuzzed markdown bodies are saved and rendered', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom(...MARKDOWN_PIECES), { minLength: 1, maxLength: 4000 }),
        async (pieces) => {
          const created = await client.call('POST', '/api/v1/notes', {
            json: { title: `Fuzz ${Math.random()}`, body: pieces.join('') },
          });
          expect(created.status).toBe(201);
          const view = await client.call('GET', `/notes/${created.json<{ slug: string }>().slug}`);
          expect(view.status).toBe(200);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('fuzzed titles get a 201 or a clear 400, never a 500', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'binary', minLength: 1, maxLength: 300 }),
        async (title) => {
          const res = await client.call('POST', '/api/v1/notes', { json: { title, body: 'x' } });
          expect([201, 400, 409]).toContain(res.status);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('fuzzed multipart bodies to media and import get a 4xx, never a 500', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 4096 }),
        fc.constantFrom('/api/v1/media', '/api/v1/import'),
        fc.boolean(),
        async (bytes, path, wrapped) => {
          const request = wrapped
            ? multipart(Buffer.from(bytes), 'application/octet-stream', 'f.bin')
            : { body: Buffer.from(bytes), contentType: 'multipart/form-data; boundary=xyz' };
          const res = await client.call('POST', path, request);
          expect(res.status).toBeGreaterThanOrEqual(400);
          expect(res.status).toBeLessThan(500);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('mutated zips get a 201 or a clear 4xx, never a 500', async () => {
    const valid = zipSync({
      'Page 0123456789abcdef0123456789abcdef.md': strToU8(
        '# Page\n\nTags: a, b\n\nHello [x](Other.md)',
      ),
      'Other 0123456789abcdef0123456789abcdef.md': strToU8('# Other\n\nbody'),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat({ max: valid.length - 1 }), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 8,
        }),
        async (mutations) => {
          const zip = Uint8Array.from(valid);
          for (const [at, value] of mutations) zip[at] = value;
          const res = await client.call(
            'POST',
            '/api/v1/import',
            multipart(Buffer.from(zip), 'application/zip', 'export.zip'),
          );
          expect(res.status).toBeLessThan(500);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('no service restarted', () => {
    for (const r of replicas) {
      expect(r.running, `${r.name} still running`).toBe(true);
      expect(r.pid, `${r.name} same process`).toBe(pids.get(r.name));
    }
  });
});
