import { Body, Controller, Get, Param, Post, Query, Redirect, Req } from '@nestjs/common';
import { type FastifyRequest } from 'fastify';
import { ZodPipe } from '@lateral/http';
import { z } from 'zod';
import { type View } from '../render/view.js';
import { ViewResponse } from '../render/view-response.js';
import { spacePath } from '../components/sidebar.js';
import { newSpaceView } from './space-settings.view.js';
import { SpaceSettingsService } from './space-settings.service.js';
import { csrfTokenFor, NotesClient, Roles, UpstreamResponseError } from '../platform.js';

// Shapes only: notes validates the content (length, control characters) and says what is wrong.
const spaceFields = z.object({
  name: z.string().max(1000).default(''),
  description: z.string().max(5000).default(''),
  visibility: z.enum(['team', 'private']).default('team'),
});
const memberFields = z.object({
  person: z.string().max(320).default(''),
  role: z.enum(['reader', 'editor', 'admin']),
});
const settingsQuery = z.object({ saved: z.enum(['space', 'members']).optional() });
const NOTICES = { space: 'Saved.', members: 'Members updated.' } as const;

/** Creating a space (editors) and its settings and members (its admins; notes decides). */
@Controller('spaces')
export class SpaceSettingsController {
  constructor(
    private readonly notes: NotesClient,
    private readonly pages: SpaceSettingsService,
  ) {}

  @Get('new')
  @Roles('editor')
  newSpace(@Req() req: FastifyRequest): View {
    const values = { name: '', description: '', visibility: 'team' as const };
    return newSpaceView({ values, csrfToken: csrfTokenFor(req) });
  }

  @Post()
  @Roles('editor')
  @Redirect('/', 303)
  async create(
    @Body(new ZodPipe(spaceFields)) body: z.infer<typeof spaceFields>,
    @Req() req: FastifyRequest,
  ): Promise<{ url: string }> {
    try {
      const space = await this.notes.createSpace({ ...body, name: body.name.trim() });
      return { url: spacePath(space.slug) };
    } catch (error) {
      const message = formProblem(error);
      const view = newSpaceView({ values: body, error: message, csrfToken: csrfTokenFor(req) });
      throw new ViewResponse(view, 422);
    }
  }

  @Get(':slug/settings')
  async settings(
    @Param('slug') slug: string,
    @Query(new ZodPipe(settingsQuery)) query: z.infer<typeof settingsQuery>,
    @Req() req: FastifyRequest,
  ): Promise<View> {
    const space = await this.pages.adminSpace(slug);
    return this.pages.page(space, req, {
      notice: query.saved ? NOTICES[query.saved] : undefined,
    });
  }

  @Post(':slug/settings')
  @Redirect('/', 303)
  async update(
    @Param('slug') slug: string,
    @Body(new ZodPipe(spaceFields)) body: z.infer<typeof spaceFields>,
    @Req() req: FastifyRequest,
  ): Promise<{ url: string }> {
    const space = await this.pages.adminSpace(slug);
    try {
      await this.notes.updateSpace(space.id, { ...body, name: body.name.trim() });
    } catch (error) {
      const error_ = { section: 'space' as const, message: formProblem(error) };
      throw new ViewResponse(await this.pages.page(space, req, { error: error_ }), 422);
    }
    return { url: `${spacePath(space.slug)}/settings?saved=space` };
  }

  @Post(':slug/members')
  @Redirect('/', 303)
  async addMember(
    @Param('slug') slug: string,
    @Body(new ZodPipe(memberFields)) body: z.infer<typeof memberFields>,
    @Req() req: FastifyRequest,
  ): Promise<{ url: string }> {
    const space = await this.pages.adminSpace(slug);
    const userId = await this.pages.resolvePerson(body.person.trim());
    if (!userId) {
      const message = 'No one here has that e-mail or id: invite them below.';
      throw new ViewResponse(
        await this.pages.page(space, req, { error: { section: 'members', message } }),
        422,
      );
    }
    await this.pages.refusedOnPage(space, req, 'members', () =>
      this.notes.setSpaceMember(space.id, userId, { role: body.role }),
    );
    return { url: `${spacePath(space.slug)}/settings?saved=members` };
  }

  @Post(':slug/members/:userId/remove')
  @Redirect('/', 303)
  async removeMember(
    @Param('slug') slug: string,
    @Param('userId') userId: string,
    @Req() req: FastifyRequest,
  ): Promise<{ url: string }> {
    const space = await this.pages.adminSpace(slug);
    await this.pages.refusedOnPage(space, req, 'members', () =>
      this.notes.removeSpaceMember(space.id, userId),
    );
    return { url: `${spacePath(space.slug)}/settings?saved=members` };
  }
}

/** notes' answer to a bad name or a taken slug, said on the form; anything else is an error. */
function formProblem(error: unknown): string {
  if (error instanceof UpstreamResponseError && [400, 409, 422].includes(error.status)) {
    return error.status === 409 ? 'A space with that name already exists.' : error.message;
  }
  throw error;
}
