/**
 * A wiki of realistic pages created through the gateway's public API (as an import script
 * would), so every table, index and link row is what the product itself writes.
 */

/** A small deterministic PRNG (mulberry32): every run seeds the same wiki. */
export function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = `the team service deploy cluster database release incident review meeting project plan
design api user customer support roadmap quarter metrics dashboard alert query index backup restore
migration schema server client request response latency error budget owner onboarding guide policy
security access token network storage cache queue worker job schedule hiring process feedback retro
sprint goal decision document template checklist runbook kubernetes postgres terraform helm grafana
prometheus logging tracing config secret rollout rollback canary staging production library module
function test coverage build pipeline merge branch commit version upgrade performance capacity cost
vendor contract invoice office holiday calendar interview café résumé naïve`.split(/\s+/);

/** Words searched for: frequent and middling ones (a few hits to a page of 20 results). */
export const SEARCH_WORDS = WORDS.slice(0, 60);

const TAGS = ['ops', 'backend', 'frontend', 'hiring', 'security', 'process', 'infra', 'data'];

export interface SeededPage {
  slug: string;
}

function page(i: number, total: number, random: () => number) {
  // Skewed: low indexes are common words, the tail is rare.
  const word = () => WORDS[Math.floor(WORDS.length * random() ** 2)]!;
  const sentence = (n: number) => Array.from({ length: n }, word).join(' ');
  const title = `${sentence(2 + Math.floor(random() * 3))} ${i}`;
  const link = () => `[[${Math.floor(random() * total)}]]`;
  const body = [
    `# ${title}`,
    '',
    `${sentence(40)} ${link()} ${sentence(30)}.`,
    '',
    '## Steps',
    '',
    ...Array.from({ length: 3 + Math.floor(random() * 4) }, () => `- ${sentence(8)}`),
    '',
    '```sh',
    'kubectl -n lateral get pods -l app=notes',
    '```',
    '',
    `${sentence(60)}. See ${link()} and ${link()}.`,
  ].join('\n');
  const tags = [TAGS[Math.floor(random() * TAGS.length)]!];
  return { title, body, tags };
}

/** Creates `total` pages (a few requests at a time) and answers their slugs. */
export async function seedPages(
  gatewayUrl: string,
  token: string,
  total: number,
): Promise<SeededPage[]> {
  const random = prng(42);
  const drafts = Array.from({ length: total }, (_, i) => page(i, total, random));
  // Link text that names a page's title resolves to it; rewrite [[n]] to page n's title.
  for (const draft of drafts) {
    draft.body = draft.body.replace(/\[\[(\d+)\]\]/g, (_, n: string) => {
      return `[[${drafts[Number(n)]!.title}]]`;
    });
  }
  const pages: SeededPage[] = [];
  let next = 0;
  const worker = async () => {
    while (next < drafts.length) {
      const draft = drafts[next++]!;
      const res = await fetch(`${gatewayUrl}/api/v1/notes`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(draft),
      });
      if (res.status !== 201) throw new Error(`seeding: ${res.status} ${await res.text()}`);
      pages.push({ slug: ((await res.json()) as { slug: string }).slug });
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return pages;
}

/**
 * An API token as a person makes one (it acts for its owner, so the gateway looks up the token
 * and then the owner on every request), the way integrations call the API.
 */
export async function createApiToken(gatewayUrl: string, bootstrapToken: string): Promise<string> {
  const post = async (path: string, body: unknown): Promise<Record<string, unknown>> => {
    const res = await fetch(`${gatewayUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bootstrapToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (res.status !== 201) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as Record<string, unknown>;
  };
  const owner = await post('/api/v1/users', {
    email: 'bench@lateral.test',
    name: 'Bench reader',
    role: 'reader',
  });
  const created = await post('/api/v1/tokens', {
    name: 'gateway bench',
    role: 'reader',
    ownerId: owner.id,
  });
  return created.token as string;
}
