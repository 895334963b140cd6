import { Injectable } from '@nestjs/common';
import {
  isUuid,
  slugify,
  type Space,
  type SpaceMember,
  type SpaceTree,
  type TreeNode,
} from '@lateral/contracts';
import { type Identity } from '@lateral/identity';
import { Clock } from '@lateral/observability';
import { NotesException, spaceNotFound } from '../errors/notes-errors.js';
import { DEFAULT_SPACE_ID } from '../database/default-space.js';
import { PageAccess } from './page-access.js';
import { PageTreeRepository, type OpenTreeRow } from './page-tree.repository.js';
import { SpacesRepository, type MemberRow, type SpaceRow } from './spaces.repository.js';
import {
  type CreateSpaceInput,
  type SetMemberInput,
  type UpdateSpaceInput,
} from './spaces.schemas.js';

/** Pages per level of an open tree (`levels=open`); the rest are in "all pages". */
export const MAX_TREE_LEVEL_PAGES = 100;

/** Pages one tree answer holds; a space larger than this is browsed by "all pages". */
export const MAX_TREE_PAGES = 2000;

export function toSpaceView(row: SpaceRow, access: PageAccess): Space {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    description: row.description,
    visibility: row.visibility,
    createdAt: row.created_at.toISOString(),
    createdBy: { id: row.created_by_id, name: row.created_by_name },
    myRole: row.my_role,
    canWrite: access.canWrite({ visibility: row.visibility, myRole: row.my_role }),
    canAdmin: access.canAdmin({ visibility: row.visibility, myRole: row.my_role }),
  };
}

/**
 * An open tree from {@link PageTreeRepository.around}'s rows: each level cut at
 * MAX_TREE_LEVEL_PAGES, except the pages on the way down to the open page.
 */
export function toOpenTree(rows: OpenTreeRow[]): SpaceTree {
  // Rows come in the tree's order (by title): a row's place in its level is how many of its
  // siblings came before it.
  const before = new Map<string | null, number>();
  let truncated = false;
  const items = rows.flatMap((r): TreeNode[] => {
    const place = before.get(r.parent_id) ?? 0;
    before.set(r.parent_id, place + 1);
    if (place >= MAX_TREE_LEVEL_PAGES) truncated = true;
    if (place >= MAX_TREE_LEVEL_PAGES && !r.on_path) return [];
    return [
      {
        id: r.id,
        slug: r.slug,
        title: r.title,
        parentId: r.parent_id,
        hasChildren: r.has_children,
      },
    ];
  });
  return { items, truncated };
}

const toMemberView = (row: MemberRow): SpaceMember => ({
  userId: row.user_id,
  role: row.role,
  addedAt: row.added_at.toISOString(),
});

/** The rules of spaces: who may create and administer them; a space one cannot read is a 404. */
@Injectable()
export class SpacesService {
  constructor(
    private readonly spaces: SpacesRepository,
    private readonly tree: PageTreeRepository,
    private readonly clock: Clock,
  ) {}

  async list(caller: Identity): Promise<{ items: Space[] }> {
    const access = PageAccess.of(caller);
    return { items: (await this.spaces.list(access)).map((row) => toSpaceView(row, access)) };
  }

  async get(key: string, caller: Identity): Promise<Space> {
    const access = PageAccess.of(caller);
    return toSpaceView(await this.readable(key, access), access);
  }

  /** Any global editor or admin may create a space; its creator becomes its admin. */
  async create(input: CreateSpaceInput, caller: Identity): Promise<Space> {
    if (caller.role === 'reader')
      throw new NotesException('forbidden', 'Readers cannot create spaces.');
    const slug = input.slug ?? slugify(input.name);
    if (!slug) {
      throw new NotesException(
        'validation_failed',
        'This name has no letters for a slug; give one.',
      );
    }
    const row = await this.spaces.create({
      slug,
      name: input.name,
      description: input.description,
      visibility: input.visibility,
      creator: { id: caller.userId, name: caller.name },
      now: this.clock.now(),
    });
    if ('kind' in row) {
      throw new NotesException('space_slug_taken', 'A space with this slug exists.', { slug });
    }
    return toSpaceView(row, PageAccess.of(caller));
  }

  async update(key: string, input: UpdateSpaceInput, caller: Identity): Promise<Space> {
    const space = await this.administered(key, caller);
    await this.spaces.update(space.id, input);
    return this.get(space.id, caller);
  }

  async members(key: string, caller: Identity): Promise<{ items: SpaceMember[] }> {
    const space = await this.readable(key, PageAccess.of(caller));
    return { items: (await this.spaces.members(space.id)).map(toMemberView) };
  }

  async member(key: string, userId: string, caller: Identity): Promise<SpaceMember> {
    const space = await this.readable(key, PageAccess.of(caller));
    const row = await this.spaces.member(space.id, userId);
    if (!row) throw new NotesException('not_found', 'This person is not a member of the space.');
    return toMemberView(row);
  }

  async setMember(
    key: string,
    userId: string,
    input: SetMemberInput,
    caller: Identity,
  ): Promise<SpaceMember> {
    const space = await this.administered(key, caller);
    const row = await this.spaces.setMember(space.id, userId, input.role, this.clock.now());
    if ('kind' in row) throw lastAdmin();
    return toMemberView(row);
  }

  async removeMember(key: string, userId: string, caller: Identity): Promise<void> {
    const space = await this.administered(key, caller);
    const removed = await this.spaces.removeMember(space.id, userId);
    if (typeof removed === 'object') throw lastAdmin();
    if (!removed) {
      throw new NotesException('not_found', 'This person is not a member of the space.');
    }
  }

  /**
   * Deletes an empty space (its admins or a global admin). A space with pages is refused with
   * how many, live and in the trash: its pages are moved out (or deleted for good) first, so a
   * deletion never takes a page with it. The default space stays: pages without a space go there.
   */
  async delete(key: string, caller: Identity): Promise<void> {
    const space = await this.administered(key, caller);
    if (space.id === DEFAULT_SPACE_ID) {
      throw new NotesException(
        'space_protected',
        'The default space cannot be deleted: new pages without a space go there.',
      );
    }
    const result = await this.spaces.deleteIfEmpty(space.id);
    if (result === 'missing') throw spaceNotFound(key);
    if (result !== 'deleted') {
      throw new NotesException(
        'space_not_empty',
        `This space still has ${result.live} page(s) and ${result.trashed} in the trash: move them to another space (or delete them from the trash) first.`,
        { live: result.live, trashed: result.trashed },
      );
    }
  }

  async pageTree(key: string, caller: Identity): Promise<SpaceTree> {
    const space = await this.readable(key, PageAccess.of(caller));
    const rows = await this.tree.tree(space.id, MAX_TREE_PAGES + 1);
    return {
      items: rows.slice(0, MAX_TREE_PAGES).map((r) => ({
        id: r.id,
        slug: r.slug,
        title: r.title,
        parentId: r.parent_id,
      })),
      truncated: rows.length > MAX_TREE_PAGES,
    };
  }

  /**
   * What a sidebar shows open on `pageId` (see {@link PageTreeRepository.around}): each level
   * ordered by title and cut at {@link MAX_TREE_LEVEL_PAGES}, the pages on the way down kept.
   * A page that is not a live page of this space is ignored (the top only): the answer only ever
   * holds pages of a space the caller can read.
   */
  async openTree(key: string, pageId: string | null, caller: Identity): Promise<SpaceTree> {
    const space = await this.readable(key, PageAccess.of(caller));
    return toOpenTree(await this.tree.around(space.id, pageId, MAX_TREE_LEVEL_PAGES));
  }

  /** A space the caller can read, by id or slug; 404 otherwise. */
  async readable(key: string, access: PageAccess): Promise<SpaceRow> {
    const row = await this.spaces.find(
      isUuid(key) ? { id: key.toLowerCase() } : { slug: key },
      access,
    );
    if (!row) throw spaceNotFound(key);
    return row;
  }

  /** The space pages are written to: 404 when the caller cannot read it, 403 when not write. */
  async writable(spaceId: string, access: PageAccess): Promise<SpaceRow> {
    const space = await this.readable(spaceId, access);
    if (!access.canWrite({ visibility: space.visibility, myRole: space.my_role })) {
      throw cannotChangePages();
    }
    return space;
  }

  private async administered(key: string, caller: Identity): Promise<SpaceRow> {
    const access = PageAccess.of(caller);
    const space = await this.readable(key, access);
    if (!access.canAdmin({ visibility: space.visibility, myRole: space.my_role })) {
      throw new NotesException('forbidden', 'Only the admins of this space can change it.');
    }
    return space;
  }
}

/** 403 for a caller who can read a space's pages but not change them. */
export const cannotChangePages = (): NotesException =>
  new NotesException('forbidden', 'You can read this space but not change its pages.');

const lastAdmin = (): NotesException =>
  new NotesException(
    'last_space_admin',
    'This is the only admin of the space: make someone else an admin first.',
  );
