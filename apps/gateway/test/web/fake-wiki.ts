// Over ~300 lines on purpose: one in-memory server whose route table mirrors notes' and media's,
// with the state those routes share; split, a reader would chase one request across files.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import {
  slugify,
  type Draft,
  type LinkTarget,
  type Note,
  type NoteSummary,
  type Page,
  type Revision,
  type SaveDraftRequest,
  type RevisionSummary,
  type SearchHit,
  type SearchResult,
  type Space,
  type SpaceMember,
  type TagCount,
  type TreeNode,
} from '@lateral/contracts';
import { IDENTITY_HEADER, STREAMED_BODY, verifyIdentity, type Identity } from '@lateral/identity';

/**
 * An in-memory stand-in for the notes and media services, speaking their HTTP API closely
 * enough for the web UI's e2e tests (the real services are used by the browser tests). Pages
 * have notes' wire shape and notes' slugs (both from @lateral/contracts).
 */
export type FakeNote = Note & { revisions: Revision[] };

function send(res: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** What a route would send, for answers made of other answers (`include=` on a page). */
function captured(route: (res: ServerResponse) => void): unknown {
  let text = '';
  const res = {
    writeHead: () => res,
    end: (chunk?: string) => {
      text = chunk ?? '';
    },
  };
  route(res as unknown as ServerResponse);
  return text ? JSON.parse(text) : undefined;
}

/** notes' default space (its fixed id there is a UUID; any id does here). */
export const DEFAULT_SPACE = '5face000-0000-4000-8000-000000000001';

const notFound = (res: ServerResponse) =>
  send(res, 404, { error: { code: 'note_not_found', message: 'No such note.' } });

export class FakeWiki {
  readonly notes = new Map<string, FakeNote>();
  readonly media = new Map<
    string,
    { id: string; width: number; height: number; thumbhash: string | null }
  >();
  readonly uploads: { contentType: string; bytes: number }[] = [];
  /** Every request notes was asked, as `METHOD /path?query`, to count the calls a view makes. */
  readonly requests: string[] = [];
  /** Answer `include=links` (off: as a notes release before it, which refuses the include). */
  answersLinks = true;
  /** Serve notes' page-change feed (off: as a notes release before it, 404). */
  followable = false;
  private readonly followers = new Set<ServerResponse>();
  /** Who moved each trashed page there (notes answers it on `GET /trash/{key}`). */
  readonly trashedBy = new Map<string, string>();
  private server: Server | undefined;
  private nextId = 1;
  port = 0;
  /** The gateway's LATERAL_INTERNAL_SECRET, to read the caller's name like notes does. */
  secret = 'test-internal-secret-0123456789abcdef';
  clock = () => new Date();
  /** Pages per level of an open tree, as notes cuts them (`truncated` when a level was cut). */
  treeLevelLimit = Infinity;
  /** Spaces (every page without a `spaceId` is in `team`); members by space id. */
  readonly spaces = new Map<string, Omit<Space, 'myRole' | 'canWrite' | 'canAdmin'>>([
    [
      DEFAULT_SPACE,
      {
        id: DEFAULT_SPACE,
        slug: 'team',
        name: 'Team',
        description: 'Everyone’s pages.',
        visibility: 'team',
        createdAt: '2026-01-01T00:00:00.000Z',
        createdBy: { id: 'u1', name: 'Ada' },
      },
    ],
  ]);
  readonly members = new Map<string, SpaceMember[]>();

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  seed(title: string, body: string, tags: string[] = [], author = 'Ada'): FakeNote {
    const now = this.clock().toISOString();
    const person = { id: 'u1', name: author };
    const note: FakeNote = {
      id: `n${this.nextId++}`,
      slug: slugify(title),
      title,
      body,
      tags,
      version: 1,
      createdAt: now,
      updatedAt: now,
      createdBy: person,
      updatedBy: person,
      deletedAt: null,
      spaceId: DEFAULT_SPACE,
      parentId: null,
      revisions: [{ number: 1, title, body, tags, createdAt: now, author: person }],
    };
    this.notes.set(note.id, note);
    return note;
  }

  update(
    note: FakeNote,
    changes: { title?: string; body?: string; tags?: string[] },
    author = 'Grace',
  ): void {
    Object.assign(note, changes);
    note.version++;
    note.slug = slugify(note.title);
    note.updatedAt = this.clock().toISOString();
    note.updatedBy = { id: 'u2', name: author };
    note.revisions.push({
      number: note.version,
      title: note.title,
      body: note.body,
      tags: note.tags,
      createdAt: note.updatedAt,
      author: note.updatedBy,
    });
  }

  /**
   * Stands in for notes' three-way merge of a stale save (unset: a plain 409, as notes before
   * merges): `conflicts: 0` saves `text` as merged, more answers 409 with `details.merge`.
   */
  mergeStale?: (
    base: Revision | undefined,
    current: FakeNote,
    mine: { title?: string; body?: string; tags?: string[] },
  ) => { text: string; conflicts: number };

  /** Drafts by `<caller id>:<page id or "new">`, as notes keeps them (owner only). */
  readonly drafts = new Map<string, Draft>();

  find(idOrSlug: string, withDeleted = false): FakeNote | undefined {
    const note =
      this.notes.get(idOrSlug) ?? [...this.notes.values()].find((n) => n.slug === idOrSlug);
    return note && (withDeleted || !note.deletedAt) ? note : undefined;
  }

  private view(note: FakeNote): Note {
    const { revisions: _r, ...rest } = note;
    return rest;
  }

  private summary(note: FakeNote): NoteSummary {
    const { revisions: _r, body: _b, ...rest } = note;
    return rest;
  }

  private handle(req: IncomingMessage, body: Buffer, res: ServerResponse): void {
    this.requests.push(`${req.method} ${req.url}`);
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    const caller = this.callerOf(req, body);
    const author = caller?.name ?? 'Admin';
    const forbidden = () =>
      send(res, 403, { error: { code: 'forbidden', message: 'Only admins can do that.' } });
    const json = () => JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>;
    let m: RegExpExecArray | null;

    if (path === '/api/v1/page-changes' && method === 'GET' && this.followable) {
      if (caller?.role !== 'admin') return forbidden();
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      res.write('ready\n');
      this.followers.add(res);
      res.on('close', () => this.followers.delete(res));
      return;
    }
    if ((m = /^\/api\/v1\/media-access\/([^/]+)$/.exec(path)) && method === 'GET') {
      // Every image is readable by everyone here (access itself: media-access-fake.e2e.test.ts).
      return send(res, 200, { mediaId: decodeURIComponent(m[1]!), public: true });
    }
    if (path.startsWith('/api/v1/spaces')) return this.spacesRoute(method, url, caller, json, res);
    if ((m = /^\/api\/v1\/notes\/([^/]+)\/move$/.exec(path)) && method === 'POST') {
      const note = this.find(decodeURIComponent(m[1]!));
      if (!note) return notFound(res);
      const input = json() as { spaceId?: string; parentId?: string | null };
      const spaceId = input.spaceId ?? note.spaceId ?? DEFAULT_SPACE;
      const parent = input.parentId ? this.find(input.parentId) : undefined;
      if (input.parentId && (!parent || (parent.spaceId ?? DEFAULT_SPACE) !== spaceId)) {
        return send(res, 422, { error: { code: 'invalid_parent', message: 'Not a parent here.' } });
      }
      const moving = [note];
      for (let i = 0; i < moving.length; i++) {
        for (const n of this.notes.values())
          if (n.parentId === moving[i]!.id && !moving.includes(n)) moving.push(n);
      }
      for (const n of moving) n.spaceId = spaceId;
      note.parentId = parent?.id ?? null;
      return send(res, 200, this.view(note));
    }
    if (method === 'POST' && path === '/api/v1/media') {
      const id = `m${this.nextId++}`;
      this.uploads.push({ contentType: String(req.headers['content-type']), bytes: body.length });
      this.media.set(id, { id, width: 4032, height: 3024, thumbhash: null });
      return send(res, 201, {
        id,
        contentType: 'image/jpeg',
        width: 4032,
        height: 3024,
        bytes: body.length,
      });
    }
    if ((m = /^\/api\/v1\/media\/([^/]+)$/.exec(path)) && method === 'GET') {
      const item = this.media.get(decodeURIComponent(m[1]!));
      if (!item)
        return send(res, 404, { error: { code: 'media_not_found', message: 'No such image.' } });
      // A stand-in picture: a calm gradient of the image's proportions.
      const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${item.width} ${item.height}"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#6d8fd6"/><stop offset="1" stop-color="#e6b38a"/></linearGradient></defs><rect width="100%" height="100%" fill="url(#g)"/><circle cx="72%" cy="30%" r="9%" fill="#fff6d8"/><path d="M0 ${item.height * 0.8} L${item.width * 0.35} ${item.height * 0.45} L${item.width * 0.6} ${item.height * 0.7} L${item.width * 0.8} ${item.height * 0.55} L${item.width} ${item.height * 0.75} V${item.height} H0Z" fill="#3c5a3f"/></svg>`;
      res
        .writeHead(200, {
          'content-type': 'image/svg+xml',
          'cache-control': 'public, max-age=31536000, immutable',
        })
        .end(svg);
      return;
    }
    if ((m = /^\/api\/v1\/media\/([^/]+)\/meta$/.exec(path))) {
      const item = this.media.get(decodeURIComponent(m[1]!));
      return item
        ? send(res, 200, item)
        : send(res, 404, { error: { code: 'media_not_found', message: 'No such image.' } });
    }
    if (path === '/api/v1/notes' && method === 'GET') {
      const tag = url.searchParams.get('tag');
      const spaceId = url.searchParams.get('spaceId');
      const limit = Number(url.searchParams.get('limit') ?? 20);
      const offset = Number(url.searchParams.get('cursor') ?? 0);
      const all = [...this.notes.values()]
        .filter((n) => !n.deletedAt && (!tag || n.tags.includes(tag)))
        .filter((n) => !spaceId || (n.spaceId ?? DEFAULT_SPACE) === spaceId)
        .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt) || b.id.localeCompare(a.id));
      const items = all.slice(offset, offset + limit).map((n) => this.summary(n));
      return send(res, 200, {
        items,
        nextCursor: offset + limit < all.length ? String(offset + limit) : null,
      } satisfies Page<NoteSummary>);
    }
    if (path === '/api/v1/notes' && method === 'POST') {
      const input = json();
      if (typeof input.title !== 'string' || !input.title.trim()) {
        return send(res, 400, { error: { code: 'validation_failed', message: 'title: required' } });
      }
      if (this.find(slugify(input.title))) {
        return send(res, 409, {
          error: { code: 'slug_taken', message: 'A page with this title already exists.' },
        });
      }
      const note = this.seed(
        input.title,
        typeof input.body === 'string' ? input.body : '',
        (input.tags as string[]) ?? [],
        author,
      );
      if (typeof input.spaceId === 'string') note.spaceId = input.spaceId;
      if (typeof input.parentId === 'string') note.parentId = input.parentId;
      return send(res, 201, this.view(note));
    }
    if (path === '/api/v1/trash' && method === 'DELETE') {
      if (caller && caller.role !== 'admin') return forbidden();
      const trashed = [...this.notes.values()].filter((n) => n.deletedAt);
      for (const n of trashed) this.notes.delete(n.id);
      return send(res, 200, { deleted: trashed.length });
    }
    if ((m = /^\/api\/v1\/trash\/([^/]+)$/.exec(path)) && method === 'GET') {
      const key = decodeURIComponent(m[1]!);
      const note = [...this.notes.values()]
        .filter((n) => n.deletedAt && (n.id === key || n.slug === key))
        .sort((a, b) => b.deletedAt!.localeCompare(a.deletedAt!))[0];
      if (!note) return notFound(res);
      const name = this.trashedBy.get(note.id);
      return send(res, 200, {
        ...this.summary(note),
        deletedBy: name === undefined ? null : { id: 'u9', name },
      });
    }
    if (path === '/api/v1/trash') {
      const items = [...this.notes.values()].filter((n) => n.deletedAt).map((n) => this.summary(n));
      return send(res, 200, { items, nextCursor: null } satisfies Page<NoteSummary>);
    }
    if (path === '/api/v1/tags') {
      const counts = new Map<string, number>();
      for (const n of this.notes.values())
        if (!n.deletedAt) for (const t of n.tags) counts.set(t, (counts.get(t) ?? 0) + 1);
      const items: TagCount[] = [...counts].map(([tag, count]) => ({ tag, count }));
      return send(res, 200, { items });
    }
    if (path === '/api/v1/search') {
      const q = (url.searchParams.get('q') ?? '').toLowerCase();
      const hits = [...this.notes.values()].filter(
        (n) => !n.deletedAt && (n.title + ' ' + n.body).toLowerCase().includes(q),
      );
      const items = hits.map((n): SearchHit => {
        const at = n.body.toLowerCase().indexOf(q);
        const snippet =
          at >= 0
            ? `${n.body.slice(Math.max(0, at - 20), at)}<mark>${n.body.slice(at, at + q.length)}</mark>${n.body.slice(at + q.length, at + q.length + 40)}`
            : n.body.slice(0, 60);
        return {
          id: n.id,
          slug: n.slug,
          title: n.title,
          titleHighlight: n.title,
          snippet,
          tags: n.tags,
          updatedAt: n.updatedAt,
          match: 'fulltext',
        };
      });
      return send(res, 200, {
        items,
        ...(items.length ? {} : { suggestion: 'wiki' }),
      } satisfies SearchResult);
    }
    if ((m = /^\/api\/v1\/(?:notes\/([^/]+)\/draft|drafts\/new)$/.exec(path))) {
      const page = m[1] ? this.find(decodeURIComponent(m[1])) : undefined;
      if (m[1] && !page) return notFound(res);
      const key = `${caller?.userId ?? '-'}:${page?.id ?? 'new'}`;
      if (method === 'PUT') {
        const input = json() as SaveDraftRequest;
        const draft: Draft = {
          title: input.title,
          body: input.body,
          tags: input.tags,
          noteId: page?.id ?? null,
          baseVersion: page ? (input.baseVersion ?? null) : null,
          updatedAt: this.clock().toISOString(),
        };
        this.drafts.set(key, draft);
        return send(res, 200, draft);
      }
      const draft = this.drafts.get(key);
      if (!draft) return send(res, 404, { error: { code: 'draft_not_found', message: 'None.' } });
      if (method === 'DELETE') this.drafts.delete(key);
      return method === 'DELETE' ? send(res, 204) : send(res, 200, draft);
    }
    if ((m = /^\/api\/v1\/notes\/([^/]+)(\/.*)?$/.exec(path))) {
      const key = decodeURIComponent(m[1]!);
      const rest = m[2] ?? '';
      if (rest === '/restore' && method === 'POST') {
        const note = this.find(key, true);
        if (!note) return notFound(res);
        note.deletedAt = null;
        return send(res, 200, this.view(note));
      }
      if (rest === '' && method === 'DELETE' && url.searchParams.get('permanent') === 'true') {
        if (caller && caller.role !== 'admin') return forbidden();
        const target = this.find(key, true);
        if (!target) return notFound(res);
        if (!target.deletedAt) {
          return send(res, 409, {
            error: { code: 'note_not_deleted', message: 'This page is not in the trash.' },
          });
        }
        this.notes.delete(target.id);
        return send(res, 204);
      }
      const note = this.find(key);
      if (!note) return notFound(res);
      if (rest === '' && method === 'GET') {
        // As notes answers include=backlinks,place,links: the answers of the calls it saves.
        const include = (url.searchParams.get('include') ?? '').split(',');
        if (include.includes('links') && !this.answersLinks) {
          return send(res, 400, {
            error: { code: 'validation_failed', message: 'Unknown include: links.' },
          });
        }
        const spaceId = note.spaceId ?? DEFAULT_SPACE;
        const sub = (path: string) =>
          captured((r) => this.spacesRoute('GET', new URL(path, 'http://fake'), caller, json, r));
        return send(res, 200, {
          ...this.view(note),
          ...(include.includes('backlinks') ? { backlinks: this.backlinksOf(note) } : {}),
          ...(include.includes('place')
            ? {
                place: {
                  spaces: (sub('/api/v1/spaces') as { items: Space[] }).items,
                  tree: sub(`/api/v1/spaces/${spaceId}/tree?levels=open&page=${note.id}`),
                },
              }
            : {}),
          ...(include.includes('links') ? { links: this.linksOf(note) } : {}),
        });
      }
      if (rest === '' && method === 'PUT') {
        const input = json();
        if (input.version !== note.version) {
          const mine = input as { title?: string; body?: string; tags?: string[] };
          const base = note.revisions.find((r) => r.number === input.version);
          const merge = this.mergeStale?.(base, note, mine);
          if (merge && merge.conflicts === 0) {
            const mergedWith = [note.updatedBy.name];
            this.update(note, { ...mine, body: merge.text }, author);
            return send(res, 200, { ...this.view(note), merged: true, mergedWith });
          }
          return send(res, 409, {
            error: {
              code: 'version_conflict',
              message: 'Someone saved first.',
              details: {
                current: this.view(note),
                ...(merge ? { merge: { ...merge, fields: [] } } : {}),
              },
            },
          });
        }
        this.update(
          note,
          {
            title: input.title as string,
            body: input.body as string,
            tags: input.tags as string[],
          },
          author,
        );
        this.drafts.delete(`${caller?.userId ?? '-'}:${note.id}`);
        return send(res, 200, this.view(note));
      }
      if (rest === '' && method === 'DELETE') {
        note.deletedAt = this.clock().toISOString();
        this.trashedBy.set(note.id, author);
        return send(res, 204);
      }
      if (rest === '/backlinks') return send(res, 200, this.backlinksOf(note));
      if (rest === '/revisions') {
        return send(res, 200, {
          items: note.revisions.map(({ body: _b, ...r }) => r),
          nextCursor: null,
        } satisfies Page<RevisionSummary>);
      }
      if ((m = /^\/revisions\/(\d+)(\/restore)?$/.exec(rest))) {
        const revision = note.revisions.find((r) => r.number === Number(m![1]));
        if (!revision)
          return send(res, 404, {
            error: { code: 'revision_not_found', message: 'No such revision.' },
          });
        if (m[2] && method === 'POST') {
          this.update(
            note,
            { title: revision.title, body: revision.body, tags: revision.tags },
            author,
          );
          note.revisions.at(-1)!.restoredFrom = revision.number;
          return send(res, 200, this.view(note));
        }
        return send(res, 200, revision);
      }
    }
    send(res, 404, { error: { code: 'route_not_found', message: `No route ${method} ${path}` } });
  }

  /** `/api/v1/spaces*` as notes answers them; no access filtering (the browser tests have it). */
  private spacesRoute(
    method: string,
    url: URL,
    caller: Identity | undefined,
    json: () => Record<string, unknown>,
    res: ServerResponse,
  ): void {
    const path = url.pathname;
    const asSeen = (space: Omit<Space, 'myRole' | 'canWrite' | 'canAdmin'>): Space => {
      const myRole =
        this.members.get(space.id)?.find((m) => m.userId === caller?.userId)?.role ?? null;
      const admin = caller?.role === 'admin' || myRole === 'admin';
      return { ...space, myRole, canWrite: admin || caller?.role === 'editor', canAdmin: admin };
    };
    if (path === '/api/v1/spaces' && method === 'GET') {
      return send(res, 200, { items: [...this.spaces.values()].map(asSeen) });
    }
    if (path === '/api/v1/spaces' && method === 'POST') {
      const input = json() as { name?: string; description?: string; visibility?: string };
      const name = (input.name ?? '').trim();
      if (!name)
        return send(res, 400, { error: { code: 'validation_failed', message: 'name: required' } });
      const slug = slugify(name);
      if ([...this.spaces.values()].some((s) => s.slug === slug)) {
        return send(res, 409, { error: { code: 'space_slug_taken', message: 'Taken.' } });
      }
      const space = {
        id: `s${this.nextId++}`,
        slug,
        name,
        description: input.description ?? '',
        visibility: input.visibility === 'private' ? ('private' as const) : ('team' as const),
        createdAt: this.clock().toISOString(),
        createdBy: { id: caller?.userId ?? 'u1', name: caller?.name ?? 'Admin' },
      };
      this.spaces.set(space.id, space);
      const addedAt = space.createdAt;
      this.members.set(space.id, [{ userId: caller?.userId ?? 'u1', role: 'admin', addedAt }]);
      return send(res, 201, asSeen(space));
    }
    const m = /^\/api\/v1\/spaces\/([^/]+)(?:\/(tree|members)(?:\/([^/]+))?)?$/.exec(path);
    const key = m ? decodeURIComponent(m[1]!) : '';
    const space = this.spaces.get(key) ?? [...this.spaces.values()].find((s) => s.slug === key);
    if (!m || !space) {
      return send(res, 404, { error: { code: 'space_not_found', message: 'No such space.' } });
    }
    const [, , part, userId] = m;
    if (!part && method === 'GET') return send(res, 200, asSeen(space));
    if (!part && method === 'PUT') {
      const input = json() as Partial<Space>;
      Object.assign(space, {
        ...(input.name ? { name: input.name } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.visibility ? { visibility: input.visibility } : {}),
      });
      return send(res, 200, asSeen(space));
    }
    if (!part && method === 'DELETE') {
      const pages = [...this.notes.values()].filter(
        (n) => (n.spaceId ?? DEFAULT_SPACE) === space.id,
      );
      if (pages.length > 0 || space.id === DEFAULT_SPACE) {
        const live = pages.filter((n) => !n.deletedAt).length;
        return send(res, 409, {
          error: {
            code: 'space_not_empty',
            message: `This space still has ${live} page(s) and ${pages.length - live} in the trash.`,
          },
        });
      }
      this.spaces.delete(space.id);
      this.members.delete(space.id);
      return send(res, 204);
    }
    if (part === 'tree') {
      const live = [...this.notes.values()]
        .filter((n) => !n.deletedAt && (n.spaceId ?? DEFAULT_SPACE) === space.id)
        .sort((a, b) => a.title.localeCompare(b.title));
      const node = (n: FakeNote): TreeNode => ({
        id: n.id,
        slug: n.slug,
        title: n.title,
        parentId: n.parentId ?? null,
      });
      if (url.searchParams.get('levels') !== 'open') {
        return send(res, 200, { items: live.map(node), truncated: false });
      }
      // As notes answers levels=open: the top, and the sub-pages of the page and of each page
      // above it, each saying whether it has sub-pages, each level cut at treeLevelLimit.
      const open = new Set<string | null>([null]);
      for (let id = url.searchParams.get('page'); id && !open.has(id);) {
        const page = live.find((n) => n.id === id);
        if (!page) break;
        open.add(id);
        id = page.parentId ?? null;
      }
      const shown = new Map<string | null, number>();
      let truncated = false;
      const items = live
        .filter((n) => open.has(n.parentId ?? null))
        .filter((n) => {
          const place = shown.get(n.parentId ?? null) ?? 0;
          shown.set(n.parentId ?? null, place + 1);
          if (place >= this.treeLevelLimit) truncated = true;
          return place < this.treeLevelLimit;
        })
        .map((n) => ({ ...node(n), hasChildren: live.some((c) => c.parentId === n.id) }));
      return send(res, 200, { items, truncated });
    }
    const members = this.members.get(space.id) ?? [];
    if (part === 'members' && !userId) return send(res, 200, { items: members });
    if (part === 'members' && userId && method !== 'GET' && !asSeen(space).canAdmin) {
      return send(res, 403, { error: { code: 'forbidden', message: 'Only the space’s admins.' } });
    }
    if (part === 'members' && userId && method === 'PUT') {
      const role = json().role as SpaceMember['role'];
      const member = { userId, role, addedAt: this.clock().toISOString() };
      this.members.set(space.id, [...members.filter((x) => x.userId !== userId), member]);
      return send(res, 200, member);
    }
    if (part === 'members' && userId && method === 'DELETE') {
      this.members.set(
        space.id,
        members.filter((x) => x.userId !== userId),
      );
      return send(res, 204);
    }
    send(res, 404, { error: { code: 'route_not_found', message: `No route ${method} ${path}` } });
  }

  private backlinksOf(note: FakeNote): Page<NoteSummary> {
    const items = [...this.notes.values()]
      .filter((n) => !n.deletedAt && n.body.includes(`[[${note.title}`))
      .map((n) => this.summary(n));
    return { items, nextCursor: null };
  }

  /** Where the page's `[[Title]]` links lead, as notes answers `include=links`. */
  private linksOf(note: FakeNote): LinkTarget[] {
    const targets = new Set(
      [...note.body.matchAll(/\[\[([^[\]\n|]+)(?:\|[^[\]\n]*)?\]\]/g)]
        .map((match) => slugify(match[1]!.trim()))
        .filter(Boolean),
    );
    return [...targets].map((target) => ({ target, slug: this.find(target)?.slug ?? null }));
  }

  /** Who the gateway says is calling (the signed identity header), as notes reads it. */
  private callerOf(req: IncomingMessage, body: Buffer): Identity | undefined {
    const streamed = (req.headers['content-type'] ?? '').startsWith('multipart/');
    try {
      return verifyIdentity(req.headers[IDENTITY_HEADER] as string | undefined, this.secret, {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        body: streamed ? STREAMED_BODY : body,
      });
    } catch {
      return undefined;
    }
  }

  async start(port = 0): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.handle(req, Buffer.concat(chunks), res));
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** A line on every follower's page-change feed, as notes' triggers would say it. */
  notifyPageChange(line: string): void {
    for (const res of this.followers) res.write(`${line}\n`);
  }

  /** Cuts every page-change feed, as a notes replica going away does. */
  dropFollowers(): void {
    for (const res of this.followers) res.destroy();
    this.followers.clear();
  }

  get following(): number {
    return this.followers.size;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  }
}
