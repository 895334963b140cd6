import {
  type CreateNoteRequest,
  type Draft,
  type CreateSpaceRequest,
  type MoveNoteRequest,
  type Note,
  type NoteWithContext,
  type NoteMerge,
  type NoteSummary,
  type Page,
  type Revision,
  type RevisionSummary,
  type SaveDraftRequest,
  type SavedNote,
  type SearchResult,
  type SetSpaceMemberRequest,
  type Space,
  type SpaceMember,
  type SpaceTree,
  type TagCount,
  type UpdateNoteRequest,
  type UpdateSpaceRequest,
} from '@lateral/contracts';
import {
  type MediaAccess,
  type MediaReferences,
  type MediaReferencesRequest,
} from '@lateral/contracts';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { type SessionUser } from '../auth/current-user.js';
import { currentCaller } from '../auth/caller-context.js';
import { GatewayConfig } from '../gateway.config.js';
import { UpstreamResponseError } from './upstream-errors.js';
import { forward } from './proxy.js';
import { type UpstreamHttp, type UpstreamResponse } from './upstream-http.js';
import { type PageViewCache } from './page-view-cache.js';

/** Who follows notes' page changes (notes answers admins only). */
const PAGE_VIEW_CACHE: SessionUser = {
  id: 'system:page-view-cache',
  name: 'Page view cache',
  role: 'admin',
};
/** Three of notes' 5 s heartbeats missed: the feed is gone. */
const FEED_SILENCE_MS = 15_000;

/** A trashed page as notes' `GET /api/v1/trash/{key}` answers it. */
export type TrashedNote = NoteSummary & {
  deletedBy?: { id: string; name: string | null } | null;
};

/** A save either lands, or loses to someone who saved in between: never a silent overwrite. */
/** A save, merged by notes when it was stale but did not overlap (`note.merged`); else a conflict. */
export type UpdateNoteResult =
  | { ok: true; note: SavedNote }
  | { ok: false; conflict: true; current: Note; message: string; merge?: NoteMerge };

const enc = encodeURIComponent;
const draftPath = (id: string | null) =>
  id === null ? '/api/v1/drafts/new' : `/api/v1/notes/${enc(id)}/draft`;

function query(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/**
 * Typed calls to the notes service for the web UI and the importer. The caller is the signed-in
 * user of the current request unless one is passed explicitly.
 */
export class NotesClient {
  constructor(
    private readonly http: UpstreamHttp,
    private readonly config: GatewayConfig,
    /** Page views kept while notes' page changes are followed (none in tests that leave it out). */
    private readonly views?: PageViewCache,
  ) {}

  private async get<T>(path: string, caller?: SessionUser): Promise<T> {
    const res = await this.http.json<T>({
      method: 'GET',
      path,
      caller: caller ?? currentCaller(),
    });
    return res.body;
  }

  private async send<T>(
    method: 'POST' | 'PUT' | 'DELETE',
    path: string,
    json: unknown,
    caller?: SessionUser,
  ): Promise<{ status: number; body: T }> {
    return this.http.json<T>({ method, path, json, caller: caller ?? currentCaller() });
  }

  getNote(idOrSlug: string, caller?: SessionUser): Promise<Note> {
    return this.get(`/api/v1/notes/${enc(idOrSlug)}`, caller);
  }

  /**
   * The page with its backlinks (first page), its place (the spaces I can read, the space's tree
   * open on it) and where its links lead: what a page view shows, in one request.
   */
  async getNoteWithContext(idOrSlug: string, caller?: SessionUser): Promise<NoteWithContext> {
    const who = caller ?? currentCaller();
    const cached = this.views?.get(who, idOrSlug);
    if (cached) return cached;
    const token = this.views?.begin();
    const path = `/api/v1/notes/${enc(idOrSlug)}?include=`;
    let view: NoteWithContext;
    try {
      view = await this.get(`${path}backlinks,place,links`, who);
    } catch (error) {
      // A notes release before `links` answers an unknown include 400 (mid-rollout): ask it
      // without; the page's wiki links are then looked up one by one, as they were.
      if (!(error instanceof UpstreamResponseError && error.status === 400)) throw error;
      return this.get(`${path}backlinks,place`, who);
    }
    this.views?.set(who, idOrSlug, view, token);
    return view;
  }

  /**
   * Notes' page-change feed, open (PageChangesFollower reads it): a body that stays open, with a
   * line at least every 5 s, so silence past FEED_SILENCE_MS means the connection is gone.
   */
  followPageChanges(signal: AbortSignal): Promise<UpstreamResponse> {
    return this.http.request({
      method: 'GET',
      path: '/api/v1/page-changes',
      caller: PAGE_VIEW_CACHE,
      headers: { accept: 'text/plain' },
      bodyTimeoutMs: FEED_SILENCE_MS,
      signal,
    });
  }

  listNotes(
    params: { tag?: string; spaceId?: string; limit?: number; cursor?: string } = {},
    caller?: SessionUser,
  ): Promise<Page<NoteSummary>> {
    return this.get(`/api/v1/notes${query(params)}`, caller);
  }

  async createNote(input: CreateNoteRequest, caller?: SessionUser): Promise<Note> {
    return (await this.createOrFind(input, caller)).note;
  }

  /** `created` is false when an `importKey` matched a note imported before. */
  async createOrFind(
    input: CreateNoteRequest,
    caller?: SessionUser,
  ): Promise<{ note: Note; created: boolean }> {
    const res = await this.send<Note>('POST', '/api/v1/notes', input, caller);
    return { note: res.body, created: res.status === 201 };
  }

  /** A 409 comes back as a value carrying the note as it is now, so the UI can show both. */
  async updateNote(
    id: string,
    input: UpdateNoteRequest,
    caller?: SessionUser,
  ): Promise<UpdateNoteResult> {
    try {
      const res = await this.send<SavedNote>('PUT', `/api/v1/notes/${enc(id)}`, input, caller);
      return { ok: true, note: res.body };
    } catch (error) {
      const current = conflictNote(error);
      if (current) {
        return {
          ok: false,
          conflict: true,
          current,
          message: (error as UpstreamResponseError).message,
          merge: conflictMerge(error),
        };
      }
      throw error;
    }
  }

  /** The caller's draft of page `id`, or of their new page (`id` null); undefined when none. */
  async getDraft(id: string | null, caller?: SessionUser): Promise<Draft | undefined> {
    try {
      return await this.get<Draft>(draftPath(id), caller);
    } catch (error) {
      if (error instanceof UpstreamResponseError && error.upstreamCode === 'draft_not_found')
        return undefined;
      throw error;
    }
  }

  async saveDraft(
    id: string | null,
    input: SaveDraftRequest,
    caller?: SessionUser,
  ): Promise<Draft> {
    return (await this.send<Draft>('PUT', draftPath(id), input, caller)).body;
  }

  /** Deletes the caller's draft; none there is fine. */
  async deleteDraft(id: string | null, caller?: SessionUser): Promise<void> {
    await this.send('DELETE', draftPath(id), undefined, caller).catch((error: unknown) => {
      if (error instanceof UpstreamResponseError && error.upstreamCode === 'draft_not_found')
        return;
      throw error;
    });
  }

  async deleteNote(id: string, caller?: SessionUser): Promise<void> {
    await this.send('DELETE', `/api/v1/notes/${enc(id)}`, undefined, caller);
  }

  async restoreNote(id: string, caller?: SessionUser): Promise<Note> {
    return (await this.send<Note>('POST', `/api/v1/notes/${enc(id)}/restore`, undefined, caller))
      .body;
  }

  listTrash(
    params: { limit?: number; cursor?: string } = {},
    caller?: SessionUser,
  ): Promise<Page<NoteSummary>> {
    return this.get(`/api/v1/trash${query(params)}`, caller);
  }

  /** The most recently trashed page with this id or slug (404 when none is in the trash). */
  getTrashed(idOrSlug: string, caller?: SessionUser): Promise<TrashedNote> {
    return this.get(`/api/v1/trash/${enc(idOrSlug)}`, caller);
  }

  /** Admins: deletes a trashed page for good (409 `note_not_deleted` for a live page). */
  async deleteForever(id: string, caller?: SessionUser): Promise<void> {
    await this.send('DELETE', `/api/v1/notes/${enc(id)}?permanent=true`, undefined, caller);
  }

  /** Admins: deletes everything in the trash; how many pages went. */
  async emptyTrash(caller?: SessionUser): Promise<{ deleted: number }> {
    return (await this.send<{ deleted: number }>('DELETE', '/api/v1/trash', undefined, caller))
      .body;
  }

  revisions(id: string, caller?: SessionUser): Promise<Page<RevisionSummary>> {
    return this.get(`/api/v1/notes/${enc(id)}/revisions`, caller);
  }

  revision(id: string, n: number, caller?: SessionUser): Promise<Revision> {
    return this.get(`/api/v1/notes/${enc(id)}/revisions/${n}`, caller);
  }

  async restoreRevision(id: string, n: number, caller?: SessionUser): Promise<Note> {
    const path = `/api/v1/notes/${enc(id)}/revisions/${n}/restore`;
    return (await this.send<Note>('POST', path, undefined, caller)).body;
  }

  search(
    params: { q: string; tag?: string; limit?: number },
    caller?: SessionUser,
  ): Promise<SearchResult> {
    return this.get(`/api/v1/search${query(params)}`, caller);
  }

  tags(caller?: SessionUser): Promise<{ items: TagCount[] }> {
    return this.get('/api/v1/tags', caller);
  }

  /** The spaces the caller can read. */
  listSpaces(caller?: SessionUser): Promise<{ items: Space[] }> {
    return this.get('/api/v1/spaces', caller);
  }

  /** 404 `space_not_found` for a space the caller cannot read. */
  getSpace(idOrSlug: string, caller?: SessionUser): Promise<Space> {
    return this.get(`/api/v1/spaces/${enc(idOrSlug)}`, caller);
  }

  async createSpace(input: CreateSpaceRequest, caller?: SessionUser): Promise<Space> {
    return (await this.send<Space>('POST', '/api/v1/spaces', input, caller)).body;
  }

  async updateSpace(
    idOrSlug: string,
    input: UpdateSpaceRequest,
    caller?: SessionUser,
  ): Promise<Space> {
    return (await this.send<Space>('PUT', `/api/v1/spaces/${enc(idOrSlug)}`, input, caller)).body;
  }

  /** Deletes an empty space; 409 `space_not_empty` (with live/trashed counts) otherwise. */
  async deleteSpace(idOrSlug: string, caller?: SessionUser): Promise<void> {
    await this.send('DELETE', `/api/v1/spaces/${enc(idOrSlug)}`, undefined, caller);
  }

  /** Every live page of the space (id, slug, title, parentId) by title; at most 2,000. */
  spaceTree(idOrSlug: string, caller?: SessionUser): Promise<SpaceTree> {
    return this.get(`/api/v1/spaces/${enc(idOrSlug)}/tree`, caller);
  }

  /**
   * What the sidebar shows open on a page (without one: the top of the space): each level by
   * title and bounded, each node saying whether it has sub-pages. Its cost does not grow with
   * the space.
   */
  openTree(idOrSlug: string, pageId?: string, caller?: SessionUser): Promise<SpaceTree> {
    const page = pageId ? `&page=${enc(pageId)}` : '';
    return this.get(`/api/v1/spaces/${enc(idOrSlug)}/tree?levels=open${page}`, caller);
  }

  spaceMembers(idOrSlug: string, caller?: SessionUser): Promise<{ items: SpaceMember[] }> {
    return this.get(`/api/v1/spaces/${enc(idOrSlug)}/members`, caller);
  }

  async setSpaceMember(
    idOrSlug: string,
    userId: string,
    input: SetSpaceMemberRequest,
    caller?: SessionUser,
  ): Promise<SpaceMember> {
    const path = `/api/v1/spaces/${enc(idOrSlug)}/members/${enc(userId)}`;
    return (await this.send<SpaceMember>('PUT', path, input, caller)).body;
  }

  async removeSpaceMember(idOrSlug: string, userId: string, caller?: SessionUser): Promise<void> {
    const path = `/api/v1/spaces/${enc(idOrSlug)}/members/${enc(userId)}`;
    await this.send('DELETE', path, undefined, caller);
  }

  /** Moves the page and every page under it; its slug (URL) stays. */
  async moveNote(id: string, input: MoveNoteRequest, caller?: SessionUser): Promise<Note> {
    return (await this.send<Note>('POST', `/api/v1/notes/${enc(id)}/move`, input, caller)).body;
  }

  /** The JSON API proxy: `/api/v1/notes*`, `/search`, `/tags`, `/trash` nearly 1:1. */
  forward(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    return forward(this.http, request, reply, {
      caller: request.lateralAuth?.user,
      maxBodyBytes: this.config.limits.mediaUploadBytes,
    });
  }

  /** May `caller` read this image? 404 (an UpstreamResponseError) when not; see MediaAccessService. */
  mediaAccess(mediaId: string, caller: SessionUser): Promise<MediaAccess> {
    return this.get(`/api/v1/media-access/${enc(mediaId)}`, caller);
  }

  /** Which of these images notes still uses (admins; for the collection of unused images). */
  async mediaReferences(mediaIds: string[], caller: SessionUser): Promise<MediaReferences> {
    const request: MediaReferencesRequest = { mediaIds };
    return (await this.send<MediaReferences>('POST', '/api/v1/media-references', request, caller))
      .body;
  }

  close(): Promise<void> {
    return this.http.close();
  }
}

/** The note as it is now, from a 409 answer (`details.current`, `current` or the details). */
/** The three-way merge with conflict markers notes sends with a 409 (absent from older notes). */
function conflictMerge(error: unknown): NoteMerge | undefined {
  const body = (error as Partial<UpstreamResponseError>).body as
    { error?: { details?: { merge?: NoteMerge } } } | undefined;
  const merge = body?.error?.details?.merge;
  return typeof merge?.text === 'string' ? merge : undefined;
}

function conflictNote(error: unknown): Note | undefined {
  const e = error as Partial<UpstreamResponseError>;
  if (e?.status !== 409 || typeof e.body !== 'object' || e.body === null) return undefined;
  const body = e.body as {
    current?: Note;
    error?: { details?: { current?: Note } & Partial<Note> };
  };
  const details = body.error?.details;
  return body.current ?? details?.current ?? (details?.id ? (details as Note) : undefined);
}
