import { Body, Controller, Get, HttpCode, Param, Post, Query, Redirect, Req } from '@nestjs/common';
import { type FastifyRequest } from 'fastify';
import { type Space } from '@lateral/contracts';
import { ZodPipe } from '@lateral/http';
import { z } from 'zod';
import { type View } from '../render/view.js';
import { ViewResponse } from '../render/view-response.js';
import { spacePath } from '../components/sidebar.js';
import {
  newSpaceView,
  spaceSettingsView,
  type MemberRow,
  type SettingsSection,
} from './space-settings.view.js';
import { readForm, refusal } from './people-form.js';
import {
  CurrentUser,
  currentCaller,
  InvitesService,
  inviteFields,
  type SessionUser,
  csrfTokenFor,
  GatewayException,
  NotesClient,
  Roles,
  UpstreamResponseError,
  UserAdminService,
  UsersService,
} from '../platform.js';

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
const inviteFormFields = z.object({
  email: z.string().max(1000).default(''),
  role: z.enum(['reader', 'editor', 'admin']).default('editor'),
  spaceRole: z.enum(['reader', 'editor', 'admin']).default('editor'),
});
const settingsQuery = z.object({ saved: z.enum(['space', 'members']).optional() });
const NOTICES = { space: 'Saved.', members: 'Members updated.' } as const;
const ROLE_ORDER = ['reader', 'editor', 'admin'] as const;
const INVITE_REFUSALS = { email_taken: 409, role_too_high: 403, forbidden: 403 };

/** Creating a space (editors) and its settings and members (its admins; notes decides). */
@Controller('spaces')
export class SpaceSettingsController {
  constructor(
    private readonly notes: NotesClient,
    private readonly users: UsersService,
    private readonly people: UserAdminService,
    private readonly invites: InvitesService,
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
    const space = await this.adminSpace(slug);
    return this.page(space, req, { notice: query.saved ? NOTICES[query.saved] : undefined });
  }

  @Post(':slug/settings')
  @Redirect('/', 303)
  async update(
    @Param('slug') slug: string,
    @Body(new ZodPipe(spaceFields)) body: z.infer<typeof spaceFields>,
    @Req() req: FastifyRequest,
  ): Promise<{ url: string }> {
    const space = await this.adminSpace(slug);
    try {
      await this.notes.updateSpace(space.id, { ...body, name: body.name.trim() });
    } catch (error) {
      const error_ = { section: 'space' as const, message: formProblem(error) };
      throw new ViewResponse(await this.page(space, req, { error: error_ }), 422);
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
    const space = await this.adminSpace(slug);
    const userId = await this.resolvePerson(body.person.trim());
    if (!userId) {
      const message = 'No one here has that e-mail or id: invite them below.';
      throw new ViewResponse(
        await this.page(space, req, { error: { section: 'members', message } }),
        422,
      );
    }
    await this.refusedOnPage(space, req, 'members', () =>
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
    const space = await this.adminSpace(slug);
    await this.refusedOnPage(space, req, 'members', () =>
      this.notes.removeSpaceMember(space.id, userId),
    );
    return { url: `${spacePath(space.slug)}/settings?saved=members` };
  }

  /** Invites someone new into the space; the page shows the link once (and mails it with SMTP). */
  @Post(':slug/invites')
  @HttpCode(200)
  async invite(
    @Param('slug') slug: string,
    @Body(new ZodPipe(inviteFormFields)) body: z.infer<typeof inviteFormFields>,
    @CurrentUser() user: SessionUser,
    @Req() req: FastifyRequest,
  ): Promise<View> {
    const space = await this.adminSpace(slug);
    const form = readForm(inviteFields, { email: body.email.trim(), role: body.role });
    const again = async (message: string, status: number) =>
      new ViewResponse(
        await this.page(space, req, { error: { section: 'invite', message } }),
        status,
      );
    if (!form.ok) throw await again(form.error, form.status);
    try {
      const invite = await this.invites.create(user, {
        ...form.data,
        spaceId: space.id,
        spaceRole: body.spaceRole,
      });
      return await this.page(space, req, {
        invite: { email: invite.email, url: invite.url, mailed: invite.mailed },
      });
    } catch (error) {
      const { status, message } = refusal(error, INVITE_REFUSALS);
      throw await again(message, status);
    }
  }

  /** Deletes the space when it is empty; otherwise the settings say what is still in it. */
  @Post(':slug/delete')
  @Redirect('/', 303)
  async delete(@Param('slug') slug: string, @Req() req: FastifyRequest): Promise<{ url: string }> {
    const space = await this.adminSpace(slug);
    await this.refusedOnPage(space, req, 'delete', () => this.notes.deleteSpace(space.id));
    return { url: `/spaces?deleted=${encodeURIComponent(space.name)}` };
  }

  /** notes refused (the last admin, a space with pages): said on the settings page. */
  private async refusedOnPage(
    space: Space,
    req: FastifyRequest,
    section: SettingsSection,
    work: () => Promise<unknown>,
  ): Promise<void> {
    try {
      await work();
    } catch (error) {
      if (
        error instanceof UpstreamResponseError &&
        (error.status === 409 || error.status === 422)
      ) {
        const page = await this.page(space, req, { error: { section, message: error.message } });
        throw new ViewResponse(page, error.status);
      }
      throw error;
    }
  }

  /** The space, for its admins; others who can read it get 403, others 404 (from notes). */
  private async adminSpace(slug: string): Promise<Space> {
    const space = await this.notes.getSpace(slug);
    if (!space.canAdmin) {
      throw new GatewayException('forbidden', 'Only the space’s admins can do that.');
    }
    return space;
  }

  /** An e-mail (exact, any case) or a user id → the gateway's user id. */
  private async resolvePerson(person: string): Promise<string | undefined> {
    if (!person) return undefined;
    if (person.includes('@')) {
      const found = await this.people.search({ q: person, limit: 20, offset: 0 });
      return found.items.find((u) => u.email.toLowerCase() === person.toLowerCase())?.id;
    }
    if (!/^[0-9a-f-]{36}$/i.test(person)) return undefined;
    return (await this.users.findById(person))?.id;
  }

  private async page(
    space: Space,
    req: FastifyRequest,
    extra: {
      notice?: string | undefined;
      error?: { section: SettingsSection; message: string };
      invite?: { email: string; url: string; mailed: boolean };
    },
  ): Promise<View> {
    const me = currentCaller();
    const members = await this.notes.spaceMembers(space.id);
    const rows: MemberRow[] = await Promise.all(
      members.items.map(async (m) => {
        const user = await this.users.findById(m.userId).catch(() => null);
        return { userId: m.userId, role: m.role, name: user?.name, email: user?.email };
      }),
    );
    return spaceSettingsView({
      space,
      members: rows,
      ...extra,
      csrfToken: csrfTokenFor(req),
      inviteRoles: ROLE_ORDER.filter(
        (r) =>
          me?.role === 'admin' ||
          (r !== 'admin' && ROLE_ORDER.indexOf(r) <= ROLE_ORDER.indexOf(me?.role ?? 'reader')),
      ),
    });
  }
}

/** notes' answer to a bad name or a taken slug, said on the form; anything else is an error. */
function formProblem(error: unknown): string {
  if (error instanceof UpstreamResponseError && [400, 409, 422].includes(error.status)) {
    return error.status === 409 ? 'A space with that name already exists.' : error.message;
  }
  throw error;
}
