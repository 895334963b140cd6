import { Injectable } from '@nestjs/common';
import { type Space } from '@lateral/contracts';
import { type FastifyRequest } from 'fastify';
import { type View } from '../render/view.js';
import { ViewResponse } from '../render/view-response.js';
import { spaceSettingsView, type MemberRow, type SettingsSection } from './space-settings.view.js';
import {
  csrfTokenFor,
  currentCaller,
  GatewayException,
  NotesClient,
  UpstreamResponseError,
  UserAdminService,
  UsersService,
} from '../platform.js';

const ROLE_ORDER = ['reader', 'editor', 'admin'] as const;

export interface SettingsExtras {
  notice?: string | undefined;
  error?: { section: SettingsSection; message: string };
  /** An invite just made: its link is shown this once. */
  invite?: { email: string; url: string; mailed: boolean };
}

/** What the space settings controllers share: the admin check, the page, notes' refusals. */
@Injectable()
export class SpaceSettingsService {
  constructor(
    private readonly notes: NotesClient,
    private readonly users: UsersService,
    private readonly people: UserAdminService,
  ) {}

  /** The space, for its admins; others who can read it get 403, others 404 (from notes). */
  async adminSpace(slug: string): Promise<Space> {
    const space = await this.notes.getSpace(slug);
    if (!space.canAdmin) {
      throw new GatewayException('forbidden', 'Only the space’s admins can do that.');
    }
    return space;
  }

  /** An e-mail (exact, any case) or a user id → the gateway's user id. */
  async resolvePerson(person: string): Promise<string | undefined> {
    if (!person) return undefined;
    if (person.includes('@')) {
      const found = await this.people.search({ q: person, limit: 20, offset: 0 });
      return found.items.find((u) => u.email.toLowerCase() === person.toLowerCase())?.id;
    }
    if (!/^[0-9a-f-]{36}$/i.test(person)) return undefined;
    return (await this.users.findById(person))?.id;
  }

  /** notes refused (the last admin, a space with pages): said on the settings page. */
  async refusedOnPage(
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

  /** The settings page; an invite may give a wiki role up to the caller's own (admin: any). */
  async page(space: Space, req: FastifyRequest, extra: SettingsExtras): Promise<View> {
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
