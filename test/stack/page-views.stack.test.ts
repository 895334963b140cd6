// Page views the gateways keep while they follow notes' page changes, on the real stack with two
// replicas of each service: a save shows at once on the gateway that made it and within moments
// on the other (notes' triggers → a notes replica → that gateway's feed), a backlink gained by a
// new page shows too, and a gateway whose notes replica goes away follows another.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WikiClient, type NoteRef } from './client.js';
import { type ServiceProcess } from './service-process.js';
import { Stack } from './stack.js';

let stack: Stack;
let client: WikiClient;

beforeAll(async () => {
  stack = await Stack.start({ replicas: 2 });
  client = new WikiClient(stack.gatewayUrl, undefined, 4);
  for (const gateway of stack.replicas.gateway) await following(gateway);
}, 120_000);

afterAll(async () => {
  await client?.close();
  await stack?.stop();
});

/** A series' value on a replica's /metrics (`labels`: some of its labels, as `k="v"`). */
async function metric(
  replica: ServiceProcess,
  name: string,
  labels: string[] = [],
): Promise<number> {
  const text = await (await fetch(replica.metricsUrl)).text();
  const found = text
    .split('\n')
    .find((l) => l.startsWith(`${name}{`) && labels.every((label) => l.includes(label)));
  return found ? Number(found.split(' ').pop()) : 0;
}

/** Waits until the gateway replica follows page changes (it caches page views only then). */
async function following(gateway: ServiceProcess, limitMs = 15_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while ((await metric(gateway, 'lateral_page_changes_following')) !== 1) {
    if (Date.now() > deadline) throw new Error(`${gateway.name} does not follow page changes`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The page as one gateway replica renders it (the bootstrap token's view). */
async function view(gateway: ServiceProcess, slug: string): Promise<string> {
  const res = await fetch(`${gateway.url}/notes/${slug}`, {
    headers: { authorization: `Bearer ${client.token}`, accept: 'text/html' },
  });
  expect(res.status).toBe(200);
  return res.text();
}

/** Milliseconds until `gateway`'s view of `slug` contains `text`; fails after `limitMs`. */
async function shows(
  gateway: ServiceProcess,
  slug: string,
  text: string,
  limitMs = 3_000,
): Promise<number> {
  const start = Date.now();
  while (!(await view(gateway, slug)).includes(text)) {
    if (Date.now() - start > limitMs) throw new Error(`${gateway.name} never showed "${text}"`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return Date.now() - start;
}

describe('page views kept by the gateways', () => {
  let page: NoteRef;

  it('serves repeated views from the cache', async () => {
    page = await client.createNote('Cached page', 'The first version.');
    const [one] = stack.replicas.gateway;
    const hits = () => metric(one!, 'lateral_page_view_cache_lookups_total', ['result="hit"']);
    const before = await hits();
    for (let i = 0; i < 5; i++) expect(await view(one!, page.slug)).toContain('The first version.');
    expect((await hits()) - before).toBeGreaterThanOrEqual(4);
  });

  it('shows a save at once where it was made, and within moments on the other gateway', async () => {
    const [writer, other] = stack.replicas.gateway;
    await view(writer!, page.slug);
    await view(other!, page.slug);
    const res = await fetch(`${writer!.url}/api/v1/notes/${page.id}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${client.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ body: 'The second version.', version: page.version }),
    });
    expect(res.status).toBe(200);
    expect(await view(writer!, page.slug)).toContain('The second version.');
    const lagMs = await shows(other!, page.slug, 'The second version.');
    console.log(`a save reached the other gateway's page view in ${lagMs} ms`);
  });

  it("shows a new page's link among the backlinks of the page it links to", async () => {
    const [, other] = stack.replicas.gateway;
    expect(await view(other!, page.slug)).not.toContain('Linking page');
    await client.createNote('Linking page', 'See [[Cached page]].');
    await shows(other!, page.slug, 'Linking page');
  });

  it('follows another notes replica when its own goes away, and stays fresh', async () => {
    const [oldNotes] = stack.replicas.notes;
    await stack.replace(oldNotes!);
    for (const gateway of stack.replicas.gateway) await following(gateway);
    const current = (await client.call('GET', `/api/v1/notes/${page.id}`)).json<NoteRef>();
    const saved = await client.updateNote(current, 'The third version.');
    expect(saved.status).toBe(200);
    for (const gateway of stack.replicas.gateway) {
      await shows(gateway, page.slug, 'The third version.');
    }
  }, 60_000);
});
