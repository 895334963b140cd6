import { type WikiClient, samplePng, type NoteRef, type Reply } from './client.js';

export interface Outcome {
  op: string;
  status: number | 'error';
  /** The error, or the start of a non-2xx body. */
  error?: string;
  /** What the test was doing at the time (e.g. which replica was being replaced). */
  phase: string;
  ms: number;
  at: number;
}

/** The pages, each owned by one worker so its edits never conflict, and one image. */
export interface Fixtures {
  notes: NoteRef[];
  mediaId: string;
}

/** `title` names the pages, so a wiki that already has one seed (a cluster proof's second load) takes another. */
export async function seed(
  client: WikiClient,
  pages: number,
  title = 'Seed page',
): Promise<Fixtures> {
  const notes: NoteRef[] = [];
  for (let i = 0; i < pages; i += 1) {
    notes.push(
      await client.createNote(
        `${title} ${i}`,
        `Body of ${title.toLowerCase()} ${i} about deployments, search and images.`,
        ['seed'],
      ),
    );
  }
  const { id } = await client.uploadImage(await samplePng());
  return { notes, mediaId: id };
}

/**
 * Steady traffic through the gateway until `stop()`: each worker loops over reads, searches,
 * image fetches and edits of its own page, recording every outcome. The last acknowledged body
 * of each page is kept, so a test can check that no acknowledged write was lost.
 */
export class SteadyTraffic {
  readonly outcomes: Outcome[] = [];
  /** Page id → the body of its last acknowledged save (or what a 409 said is there). */
  readonly acknowledged = new Map<string, string>();
  /**
   * Page id → bodies sent since then without an answer either way (a reset, a 503): they may
   * or may not have been written, so the page may hold one of them instead.
   */
  readonly unconfirmed = new Map<string, Set<string>>();
  phase = 'steady';
  private running = true;
  private readonly loops: Promise<void>[];

  constructor(
    private readonly client: WikiClient,
    fixtures: Fixtures,
    workers: number,
    private readonly pauseMs = 5,
  ) {
    this.loops = fixtures.notes
      .slice(0, workers)
      .map((note, worker) => this.loop(worker, { ...note }, fixtures.mediaId));
  }

  async stop(): Promise<Outcome[]> {
    this.running = false;
    await Promise.all(this.loops);
    return this.outcomes;
  }

  failures(): Outcome[] {
    return this.outcomes.filter((o) => o.status === 'error' || o.status >= 300);
  }

  private async record(op: string, call: () => Promise<Reply>): Promise<Reply | undefined> {
    const start = performance.now();
    const phase = this.phase;
    let status: number | 'error';
    let error: string | undefined;
    let reply: Reply | undefined;
    try {
      reply = await call();
      status = reply.status;
      if (status >= 300) error = reply.body.toString('utf8').slice(0, 160);
    } catch (e) {
      status = 'error';
      error =
        e instanceof Error
          ? `${e.name}: ${e.message} ${e.cause instanceof Error ? e.cause.message : ''}`
          : String(e);
    }
    this.outcomes.push({ op, status, error, phase, ms: performance.now() - start, at: Date.now() });
    return reply;
  }

  /** Tracks what the page must hold after a save attempt, given the answer. */
  private settle(note: NoteRef, body: string, reply: Reply | undefined): void {
    if (reply?.status === 200) {
      note.version = reply.json<NoteRef>().version;
      this.acknowledged.set(note.id, body);
      this.unconfirmed.delete(note.id);
    } else if (reply?.status === 409) {
      // An earlier unconfirmed save did land; the reply carries the page as it is now.
      const current = reply.json<{ error: { details: { current: NoteRef & { body: string } } } }>()
        .error.details.current;
      note.version = current.version;
      this.acknowledged.set(note.id, current.body);
      this.unconfirmed.delete(note.id);
    } else if (reply === undefined || reply.status >= 500) {
      const pending = this.unconfirmed.get(note.id) ?? new Set<string>();
      this.unconfirmed.set(note.id, pending.add(body));
    }
  }

  /** Pages whose body is neither the last acknowledged one nor an unconfirmed later save. */
  async lostWrites(): Promise<string[]> {
    const lost: string[] = [];
    for (const [id, body] of this.acknowledged) {
      const res = await this.client.call('GET', `/api/v1/notes/${id}`);
      const now = res.status === 200 ? res.json<{ body: string }>().body : `HTTP ${res.status}`;
      if (now !== body && !this.unconfirmed.get(id)?.has(now))
        lost.push(`${id}: holds "${now}", acknowledged "${body}"`);
    }
    return lost;
  }

  private async loop(worker: number, note: NoteRef, mediaId: string): Promise<void> {
    let i = 0;
    while (this.running) {
      i += 1;
      await this.record('read', () => this.client.call('GET', `/api/v1/notes/${note.id}`));
      await this.record('view', () => this.client.call('GET', `/notes/${note.slug}`));
      await this.record('search', () => this.client.call('GET', '/api/v1/search?q=deployments'));
      await this.record('image', () => this.client.call('GET', `/api/v1/media/${mediaId}`));
      const body = `Worker ${worker} edit ${i}`;
      const saved = await this.record('edit', () => this.client.updateNote(note, body));
      this.settle(note, body, saved);
      await new Promise((r) => setTimeout(r, this.pauseMs));
    }
  }
}
