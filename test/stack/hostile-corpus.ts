/**
 * What a hostile user can send in a few kilobytes (docs/security.md): every finding of issue #10
 * as a request through the gateway, shared by the hostile stack test (which asserts each answer
 * and that every service's /healthz kept answering) and the benchmark (which reports the worst
 * event-loop delay of each service while the corpus runs).
 */
import { randomBytes } from 'node:crypto';
import { Zip, ZipDeflate, zipSync, strToU8 } from 'fflate';
import { multipart, type Reply, type WikiClient } from './client.js';

export interface HostileCase {
  name: string;
  /** Builds a large payload before the watched request, so the test process stays responsive. */
  prepare?: () => void;
  /** Sends the request(s); returns the reply the assertion is about. */
  send(client: WikiClient): Promise<Reply>;
  /** Statuses that count as a clean answer for this input. */
  expect: number[];
}

const WORDS = 'alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima'.split(' ');

/** `bytes` of space-separated words picked at random, so two calls share almost no lines. */
export function randomWords(bytes: number, perLine = 12): string {
  const out: string[] = [];
  let size = 0;
  let line: string[] = [];
  while (size < bytes) {
    const word = `${WORDS[Math.floor(Math.random() * WORDS.length)]}${Math.floor(Math.random() * 1000)}`;
    line.push(word);
    size += word.length + 1;
    if (line.length === perLine) {
      out.push(line.join(' '));
      line = [];
    }
  }
  out.push(line.join(' '));
  return out.join('\n');
}

const unique = () => randomBytes(4).toString('hex');

async function createPage(client: WikiClient, title: string, body: string): Promise<Reply> {
  return client.call('POST', '/api/v1/notes', { json: { title, body, tags: [] } });
}

/** Creates a page, then views it as the web UI renders it (the view is the reply asserted). */
async function createAndView(client: WikiClient, title: string, body: string): Promise<Reply> {
  const created = await createPage(client, title, body);
  if (created.status !== 201) return created;
  const { slug } = created.json<{ slug: string }>();
  return client.call('GET', `/notes/${encodeURIComponent(slug)}`);
}

async function importFile(client: WikiClient, name: string, bytes: Uint8Array, type: string) {
  return client.call('POST', '/api/v1/import', multipart(Buffer.from(bytes), type, name));
}

/**
 * A zip whose one entry inflates to `bytes` of zeros: a few hundred KB on the wire. Built by
 * streaming so the test process never holds the inflated data either.
 */
export function zipBomb(bytes: number): Uint8Array {
  const chunks: Uint8Array[] = [];
  const zip = new Zip((error, chunk) => {
    if (error) throw error;
    chunks.push(chunk);
  });
  const entry = new ZipDeflate('Bomb 0123456789abcdef0123456789abcdef.md', { level: 1 });
  zip.add(entry);
  const block = new Uint8Array(1024 * 1024);
  for (let done = 0; done < bytes; done += block.length) entry.push(block);
  entry.push(new Uint8Array(0), true);
  zip.end();
  return Buffer.concat(chunks);
}

/** A zip whose only page declares 10 bytes but inflates to 1 MB: its header lies. */
export function lyingZip(): Uint8Array {
  const body = strToU8(`# Liar\n\n${'x'.repeat(1024 * 1024)}`);
  const zip = zipSync({ 'Liar 0123456789abcdef0123456789abcdef.md': body });
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  // Uncompressed size: local file header offset 22, central directory header offset 24.
  view.setUint32(22, 10, true);
  for (let i = zip.length - 46; i >= 0; i--) {
    if (view.getUint32(i, true) !== 0x02014b50) continue;
    view.setUint32(i + 24, 10, true);
    break;
  }
  return zip;
}

let bomb: Uint8Array | undefined;

export const HOSTILE_CORPUS: HostileCase[] = [
  {
    name: 'diff of two 17 KB revisions of different words (finding 1)',
    expect: [200],
    async send(client) {
      const created = await createPage(client, `Diff ${unique()}`, randomWords(17_000));
      if (created.status !== 201) return created;
      const note = created.json<{ id: string; slug: string; version: number }>();
      const updated = await client.updateNote(note, randomWords(17_000));
      if (updated.status !== 200) return updated;
      return client.call('GET', `/notes/${note.slug}/diff?from=1&to=2`);
    },
  },
  {
    name: 'imported heading of 20,000 spaces (finding 2)',
    expect: [201],
    send: (client) =>
      importFile(
        client,
        `heading-${unique()}.md`,
        strToU8(`# a${' '.repeat(20_000)}x\n`),
        'text/markdown',
      ),
  },
  {
    name: 'page of 100 KB of `[[]` viewed (finding 3)',
    expect: [200],
    send: (client) => createAndView(client, `Brackets ${unique()}`, '[[]'.repeat(33_000)),
  },
  {
    name: 'Notion export page of 80 KB of `[` (finding 4)',
    expect: [201],
    send: (client) =>
      importFile(
        client,
        'export.zip',
        zipSync({
          [`Page ${unique()} 0123456789abcdef0123456789abcdef.md`]: strToU8(
            `# P\n\n${'['.repeat(80_000)}`,
          ),
        }),
        'application/zip',
      ),
  },
  {
    name: 'page of 100 KB of backtick runs saved (finding 5)',
    expect: [200],
    send: (client) =>
      createAndView(
        client,
        `Backticks ${unique()}`,
        Array.from({ length: 20_000 }, (_, i) => '`'.repeat((i % 7) + 1)).join(' '),
      ),
  },
  {
    name: 'zip that inflates to 256 MiB (finding 6)',
    expect: [413],
    prepare: () => void (bomb ??= zipBomb(256 * 1024 * 1024)),
    send: (client) =>
      importFile(client, 'bomb.zip', (bomb ??= zipBomb(256 * 1024 * 1024)), 'application/zip'),
  },
  {
    name: 'zip whose header lies about a page size (finding 6)',
    expect: [400, 422],
    send: (client) => importFile(client, 'liar.zip', lyingZip(), 'application/zip'),
  },
  {
    name: 'zip of 20,000 entries that are not pages (finding 6)',
    expect: [413],
    send: (client) => {
      const files: Record<string, Uint8Array> = {};
      for (let i = 0; i < 20_000; i++) files[`junk/${i}.bin`] = new Uint8Array(0);
      return importFile(client, 'many.zip', zipSync(files, { level: 0 }), 'application/zip');
    },
  },
  {
    name: 'page with 5,000 image references viewed (finding 7)',
    expect: [200],
    send: (client) =>
      createAndView(
        client,
        `Images ${unique()}`,
        Array.from(
          { length: 5000 },
          () => `![](/api/v1/media/${randomBytes(32).toString('hex')})`,
        ).join('\n'),
      ),
  },
  {
    name: 'NUL in a page body (finding 9)',
    expect: [400],
    send: (client) => createPage(client, `Nul ${unique()}`, 'before\u0000after'),
  },
  {
    name: 'NUL in a page title (finding 9)',
    expect: [400],
    send: (client) => createPage(client, `Nul\u0000${unique()}`, 'body'),
  },
  {
    name: 'NUL in a path segment (finding 9)',
    expect: [400, 404],
    send: (client) => client.call('GET', '/api/v1/notes/a%00b'),
  },
  {
    name: 'NUL in the login e-mail (finding 9)',
    expect: [400, 401],
    send: (client) =>
      client.call('POST', '/login', { json: { email: 'a\u0000@b.c', password: 'whatever123' } }),
  },
  {
    name: 'JSON nested 100,000 deep (finding 13)',
    expect: [400],
    send: (client) =>
      client.call('POST', '/api/v1/notes', {
        body: Buffer.from('['.repeat(100_000) + ']'.repeat(100_000)),
        contentType: 'application/json',
      }),
  },
  {
    name: 'multipart upload without a boundary (finding 13)',
    expect: [400, 415],
    send: (client) =>
      client.call('POST', '/api/v1/media', {
        body: Buffer.from('--x\r\n\r\nnothing'),
        contentType: 'multipart/form-data',
      }),
  },
  {
    name: 'truncated multipart upload (finding 13)',
    expect: [400],
    send: (client) => {
      const { body, contentType } = multipart(randomBytes(4096), 'image/png', 'x.png');
      return client.call('POST', '/api/v1/media', { body: body.subarray(0, 2000), contentType });
    },
  },
  {
    name: 'truncated multipart import (finding 13)',
    expect: [400],
    send: (client) => {
      const { body, contentType } = multipart(Buffer.from('# T\n\nbody'), 'text/markdown', 'x.md');
      return client.call('POST', '/api/v1/import', { body: body.subarray(0, 60), contentType });
    },
  },
  {
    name: 'page whose slug is 120 characters opened (finding 14)',
    expect: [200],
    send: (client) => createAndView(client, `${'long '.repeat(23)}${unique()}`, 'a long title'),
  },
];
