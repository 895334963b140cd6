import { Body, Controller, Get, Param, Post, Query, Redirect, Req } from '@nestjs/common';
import { type FastifyRequest } from 'fastify';
import { ZodPipe, safeText } from '@lateral/http';
import { Clock } from '@lateral/observability';
import { z } from 'zod';
import { type View } from '../render/view.js';
import { ViewResponse } from '../render/view-response.js';
import { toNoteItem } from '../view-models/note-fields.js';
import { notePath } from '../components/components.js';
import { spacePath } from '../components/sidebar.js';
import { newSpacePageView, spaceHomeView, spacePagesView, spacesIndexView } from './spaces.view.js';
import {
  CurrentUser,
  csrfTokenFor,
  hasRole,
  NotesClient,
  Roles,
  type SessionUser,
  UpstreamResponseError,
} from '../platform.js';

const PAGE = 50;
const RECENT = 10;

const pagesQuery = z.object({
  sort: z.enum(['title', 'updated']).default('title'),
  // Opaque for "updated" (notes checks it); a page number for "title".
  cursor: safeText().max(500).optional(),
  page: z.coerce.number().int().min(1).max(1000).default(1),
});
const newPageQuery = z.object({ parent: z.string().max(64).optional() });
const newPageFields = z.object({
  title: z.string().default(''),
  parentId: z.string().max(64).optional(),
});

/** Space home, all pages, and a new page in a space (under a parent). */
@Controller('spaces')
export class SpacesController {
  constructor(
    private readonly notes: NotesClient,
    private readonly clock: Clock,
  ) {}

  @Get()
  async index(@CurrentUser() user: SessionUser): Promise<View> {
    const spaces = await this.notes.listSpaces();
    return spacesIndexView(spaces.items, hasRole(user.role, 'editor'));
  }

  @Get(':slug')
  async home(@Param('slug') slug: string): Promise<View> {
    const space = await this.notes.getSpace(slug);
    const [spaces, tree, recent] = await Promise.all([
      this.notes.listSpaces(),
      this.notes.spaceTree(space.id),
      this.notes.listNotes({ spaceId: space.id, limit: RECENT }),
    ]);
    return spaceHomeView({
      space,
      spaces: spaces.items,
      tree,
      recent: recent.items.map(toNoteItem),
      now: this.clock.now(),
    });
  }

  @Get(':slug/pages')
  async pages(
    @Param('slug') slug: string,
    @Query(new ZodPipe(pagesQuery)) query: z.infer<typeof pagesQuery>,
  ): Promise<View> {
    const space = await this.notes.getSpace(slug);
    const base = `${spacePath(space.slug)}/pages?sort=${query.sort}`;
    if (query.sort === 'updated') {
      const page = await this.notes.listNotes({
        spaceId: space.id,
        limit: PAGE,
        ...(query.cursor ? { cursor: query.cursor } : {}),
      });
      return spacePagesView({
        space,
        sort: 'updated',
        items: page.items.map(toNoteItem),
        nextUrl: page.nextCursor
          ? `${base}&cursor=${encodeURIComponent(page.nextCursor)}`
          : undefined,
        truncated: false,
        now: this.clock.now(),
      });
    }
    // The tree is the space's pages ordered by title (bounded): paging it needs no new endpoint.
    const tree = await this.notes.spaceTree(space.id);
    const start = (query.page - 1) * PAGE;
    const more = start + PAGE < tree.items.length;
    return spacePagesView({
      space,
      sort: 'title',
      items: tree.items.slice(start, start + PAGE).map(toNoteItem),
      nextUrl: more ? `${base}&page=${query.page + 1}` : undefined,
      truncated: tree.truncated && !more,
      now: this.clock.now(),
    });
  }

  @Get(':slug/new')
  @Roles('editor')
  async newPage(
    @Param('slug') slug: string,
    @Query(new ZodPipe(newPageQuery)) query: z.infer<typeof newPageQuery>,
    @Req() req: FastifyRequest,
  ): Promise<View> {
    const space = await this.notes.getSpace(slug);
    const parent = query.parent ? await this.notes.getNote(query.parent) : undefined;
    return newSpacePageView({
      space,
      parent: parent && { id: parent.id, title: parent.title },
      title: '',
      csrfToken: csrfTokenFor(req),
    });
  }

  /**
   * Creates the page (empty) in the space, under the parent, and opens it in the editor: the
   * editor's own new-page form knows no spaces, and the page's place is set once, here.
   */
  @Post(':slug/new')
  @Roles('editor')
  @Redirect('/', 303)
  async create(
    @Param('slug') slug: string,
    @Body(new ZodPipe(newPageFields)) body: z.infer<typeof newPageFields>,
    @Req() req: FastifyRequest,
  ): Promise<{ url: string }> {
    const space = await this.notes.getSpace(slug);
    const title = body.title.trim();
    const again = async (error: string, status: number) => {
      const parent = body.parentId ? await this.notes.getNote(body.parentId) : undefined;
      const view = newSpacePageView({
        space,
        parent: parent && { id: parent.id, title: parent.title },
        title,
        error,
        csrfToken: csrfTokenFor(req),
      });
      return new ViewResponse(view, status);
    };
    if (!title || title.length > 200)
      throw await again('Give the page a title (up to 200 characters).', 422);
    try {
      const note = await this.notes.createNote({
        title,
        body: '',
        spaceId: space.id,
        ...(body.parentId ? { parentId: body.parentId } : {}),
      });
      return { url: `${notePath(note.slug)}/edit` };
    } catch (error) {
      if (error instanceof UpstreamResponseError && [400, 409, 422].includes(error.status)) {
        throw await again(error.message, error.status === 400 ? 422 : error.status);
      }
      throw error;
    }
  }
}
