import { Body, Controller, Get, Param, Post, Query, Redirect, Req } from '@nestjs/common';
import { type FastifyRequest } from 'fastify';
import { ZodPipe, safeText, singleLineText } from '@lateral/http';
import { Clock } from '@lateral/observability';
import { z } from 'zod';
import { partialView, type View } from '../render/view.js';
import { html } from '../html.js';
import { toNoteItem } from '../view-models/note-fields.js';
import { spacePath, treeLevel } from '../components/sidebar.js';
import { spaceHomeView, spacePagesView, spacesIndexView } from './spaces.view.js';
import { EditorService, type NewPageTarget } from './editor.service.js';
import { noteFormFields } from './note-form.js';
import {
  CurrentUser,
  csrfTokenFor,
  GatewayException,
  hasRole,
  NotesClient,
  Roles,
  type SessionUser,
} from '../platform.js';

const PAGE = 50;
const RECENT = 10;

const pagesQuery = z.object({
  sort: z.enum(['title', 'updated']).default('title'),
  // Opaque for "updated" (notes checks it); a page number for "title".
  cursor: safeText().max(500).optional(),
  page: z.coerce.number().int().min(1).max(1000).default(1),
});
// After a deletion: the deleted space's name, said once on the index.
const indexQuery = z.object({ deleted: singleLineText().max(100).optional() });
// A page id as notes gives them; notes ignores one that is not a page of the space.
const treeQuery = z.object({
  page: z
    .string()
    .max(64)
    .regex(/^[\w-]+$/),
});
const newPageQuery = z.object({
  parent: z.string().max(64).optional(),
  title: singleLineText().optional(),
  draft: z.literal('restore').optional(),
});

/** Space home, all pages, and the editor for a new page in a space (under a parent). */
@Controller('spaces')
export class SpacesController {
  constructor(
    private readonly notes: NotesClient,
    private readonly clock: Clock,
    private readonly editor: EditorService,
  ) {}

  @Get()
  async index(
    @CurrentUser() user: SessionUser,
    @Query(new ZodPipe(indexQuery)) query: z.infer<typeof indexQuery>,
  ): Promise<View> {
    const spaces = await this.notes.listSpaces();
    return spacesIndexView(spaces.items, hasRole(user.role, 'editor'), query.deleted);
  }

  @Get(':slug')
  async home(@Param('slug') slug: string): Promise<View> {
    const space = await this.notes.getSpace(slug);
    const [spaces, tree, recent] = await Promise.all([
      this.notes.listSpaces(),
      // The top of the space (bounded; "All pages" lists the rest), for the list and the sidebar.
      this.notes.openTree(space.id),
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

  /** A closed page's sub-pages, for the sidebar when htmx unfolds it. */
  @Get(':slug/tree')
  async treeLevel(
    @Param('slug') slug: string,
    @Query(new ZodPipe(treeQuery)) query: z.infer<typeof treeQuery>,
  ): Promise<View> {
    // notes takes the space by slug (404 when it cannot be read): one request, not two.
    const tree = await this.notes.openTree(slug, query.page);
    const children = tree.items.filter((n) => n.parentId === query.page);
    if (!children.length) return partialView(html`<li class="empty">No sub-pages any more.</li>`);
    // A level notes cut (or another level of the answer: the link is a hint either way).
    const more = tree.truncated
      ? html`<li><a class="sidebar-more" href="${spacePath(slug)}/pages">More in All pages</a></li>`
      : html``;
    return partialView(html`${treeLevel(slug, children)}${more}`);
  }

  /** "New page here": the editor, whose first save creates the page in the space. */
  @Get(':slug/new')
  @Roles('editor')
  async newPage(
    @Param('slug') slug: string,
    @Query(new ZodPipe(newPageQuery)) query: z.infer<typeof newPageQuery>,
    @Req() req: FastifyRequest,
  ): Promise<View> {
    const place = await this.place(slug, query.parent);
    return this.editor.newPage(query.title, csrfTokenFor(req), query.draft === 'restore', place);
  }

  @Post(':slug/new')
  @Roles('editor')
  @Redirect('/', 303)
  async create(
    @Param('slug') slug: string,
    @Body(new ZodPipe(noteFormFields)) body: z.infer<typeof noteFormFields>,
    @Req() req: FastifyRequest,
  ): Promise<{ url: string }> {
    const place = await this.place(slug, body.parentId || undefined);
    return { url: await this.editor.create(body, csrfTokenFor(req), place) };
  }

  /**
   * The space (404 when unreadable, 403 when not writable) and the parent page, if named (404
   * when unreadable).
   */
  private async place(slug: string, parentKey: string | undefined): Promise<NewPageTarget> {
    const [space, parent] = await Promise.all([
      this.notes.getSpace(slug),
      parentKey ? this.notes.getNote(parentKey) : undefined,
    ]);
    // Said before any typing: notes would refuse the first save anyway.
    if (!space.canWrite) {
      throw new GatewayException('forbidden', 'You can read this space but not add pages to it.');
    }
    return { space, parent: parent && { id: parent.id, slug: parent.slug, title: parent.title } };
  }
}
