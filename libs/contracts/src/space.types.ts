import { type Person } from './note.types.js';

/** `team`: every signed-in person can read its pages; `private`: only its members. */
export type SpaceVisibility = 'team' | 'private';

/** A member's role in one space (independent of the global role). */
export type SpaceRole = 'reader' | 'editor' | 'admin';

/** A space, as the caller sees it. */
export type Space = {
  id: string;
  slug: string;
  name: string;
  description: string;
  visibility: SpaceVisibility;
  createdAt: string;
  createdBy: Person;
  /** The caller's membership role, null when not a member. */
  myRole: SpaceRole | null;
  /** Whether the caller may create, edit and move pages here. */
  canWrite: boolean;
  /** Whether the caller may rename the space, change its visibility and its members. */
  canAdmin: boolean;
};

export type SpaceMember = {
  /** The gateway's user id. */
  userId: string;
  role: SpaceRole;
  addedAt: string;
};

/** One page in a space's tree; `parentId` is null at the top (or when the parent is trashed). */
export type TreeNode = {
  id: string;
  slug: string;
  title: string;
  parentId: string | null;
  /** Whether it has live sub-pages; given by `?levels=open` (whose answer leaves most of them out). */
  hasChildren?: boolean;
};

/**
 * `GET /api/v1/spaces/:id/tree`: every live page of the space, ordered by title, bounded.
 * `?levels=open[&page=<id>]`: only what a sidebar shows open on that page (the top of the space
 * and the sub-pages of the page and of each page above it), each level bounded, whatever the
 * space's size.
 */
export type SpaceTree = {
  items: TreeNode[];
  /** True when the space (or, with `levels=open`, one of the levels) has more pages than shown. */
  truncated: boolean;
};

/** `POST /api/v1/spaces`. */
export type CreateSpaceRequest = {
  name: string;
  /** Defaults to the name's slug. */
  slug?: string;
  description?: string;
  visibility?: SpaceVisibility;
};

/** `PUT /api/v1/spaces/:id`: absent fields keep their value (the slug never changes). */
export type UpdateSpaceRequest = {
  name?: string;
  description?: string;
  visibility?: SpaceVisibility;
};

/** `PUT /api/v1/spaces/:id/members/:userId`. */
export type SetSpaceMemberRequest = {
  role: SpaceRole;
};

/** `POST /api/v1/notes/:id/move`: the page and all pages under it. */
export type MoveNoteRequest = {
  /** Another space (default: the page's own, or the new parent's). */
  spaceId?: string;
  /** The new parent page; null puts the page at the top of its space. */
  parentId?: string | null;
};
