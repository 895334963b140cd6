import { type SpaceRole, type SpaceVisibility } from '@lateral/contracts';
import { type Identity } from '@lateral/identity';

/** What the write and admin rules need to know about a space and the caller's place in it. */
export interface SpaceStanding {
  visibility: SpaceVisibility;
  /** The caller's role as a member of the space, null when not a member. */
  myRole: SpaceRole | null;
}

/**
 * The access rule, in one place. Every repository query that returns pages (or anything derived
 * from them: tags, suggestion words, spaces) filters with {@link readable}; every write checks
 * {@link canWrite} on the page's space first.
 *
 * - read: a global admin; anyone signed in when the space is `team`; members of a `private` space.
 * - write: a global admin; a global editor in a `team` space; a member with role editor or admin
 *   (notes' identity check still refuses writes from global readers, as the gateway does).
 * - administer the space (name, visibility, members): a global admin or a member with role admin.
 *
 * A page the caller cannot read does not exist for them (404, never 403).
 */
export class PageAccess {
  private constructor(readonly caller: Identity) {}

  static of(caller: Identity): PageAccess {
    return new PageAccess(caller);
  }

  get isAdmin(): boolean {
    return this.caller.role === 'admin';
  }

  /**
   * A SQL condition, true when the caller may read pages of the space in `column` (a uuid
   * expression such as `n.space_id`); the caller's id is appended to `params`. A global admin
   * gets `TRUE`. A NULL space matches nothing for anyone else, so the rule fails closed.
   */
  readable(params: unknown[], column = 'n.space_id'): string {
    if (this.isAdmin) return 'TRUE';
    params.push(this.caller.userId);
    const me = `$${params.length}::text`;
    return `${column} IN (SELECT rs.id FROM spaces rs WHERE rs.visibility = 'team'
      OR EXISTS (SELECT 1 FROM space_members rm WHERE rm.space_id = rs.id AND rm.user_id = ${me}))`;
  }

  canWrite(space: SpaceStanding): boolean {
    if (this.isAdmin) return true;
    if (space.myRole === 'editor' || space.myRole === 'admin') return true;
    return space.visibility === 'team' && this.caller.role === 'editor';
  }

  canAdmin(space: SpaceStanding): boolean {
    return this.isAdmin || space.myRole === 'admin';
  }
}
