import { Injectable } from '@nestjs/common';
import { type Person, type SpaceRole, type SpaceVisibility } from '@lateral/contracts';
import { inTransaction, rows, sqlLimit, uniqueViolation, type Statement } from '@lateral/database';
import { DataSource, type QueryRunner } from 'typeorm';
import { type PageAccess } from './page-access.js';

export interface SpaceRow {
  id: string;
  slug: string;
  name: string;
  description: string;
  visibility: SpaceVisibility;
  created_at: Date;
  created_by_id: string;
  created_by_name: string;
  /** The caller's membership role. */
  my_role: SpaceRole | null;
}

export interface MemberRow {
  user_id: string;
  role: SpaceRole;
  added_at: Date;
}

const SLUG_KEY = 'spaces_slug_key';
/** More spaces than this in one list is not a wiki a person reads; the rest are left off. */
const MAX_SPACES = 500;
const MAX_MEMBERS = 1000;

/** Spaces and their members; every read is limited to spaces the caller can read. */
@Injectable()
export class SpacesRepository {
  constructor(private readonly dataSource: DataSource) {}

  async list(access: PageAccess): Promise<SpaceRow[]> {
    const { text, params } = this.listStatement(access);
    return this.dataSource.query<SpaceRow[]>(text, params);
  }

  /** {@link list} as a statement, to be read with others in one round trip. */
  listStatement(access: PageAccess): Statement {
    const params: unknown[] = [access.caller.userId];
    return {
      text: `SELECT s.*, m.role AS my_role FROM spaces s
       LEFT JOIN space_members m ON m.space_id = s.id AND m.user_id = $1
       WHERE ${access.readable(params, 's.id')}
       ORDER BY lower(s.name), s.id LIMIT ${sqlLimit(MAX_SPACES)}`,
      params,
    };
  }

  /** A space the caller can read, by id or slug. */
  async find(
    key: { id: string } | { slug: string },
    access: PageAccess,
  ): Promise<SpaceRow | undefined> {
    const params: unknown[] = [access.caller.userId, 'id' in key ? key.id : key.slug];
    const [row] = await this.dataSource.query<SpaceRow[]>(
      `SELECT s.*, m.role AS my_role FROM spaces s
       LEFT JOIN space_members m ON m.space_id = s.id AND m.user_id = $1
       WHERE ${'id' in key ? 's.id = $2::uuid' : 's.slug = $2'} AND ${access.readable(params, 's.id')}`,
      params,
    );
    return row;
  }

  /** Creates the space with its creator as its admin member. */
  async create(input: {
    slug: string;
    name: string;
    description: string;
    visibility: SpaceVisibility;
    creator: Person;
    now: Date;
  }): Promise<SpaceRow | { kind: 'slug_taken' }> {
    try {
      return await inTransaction(this.dataSource, async (runner) => {
        const [row] = await rows<SpaceRow>(
          runner,
          `INSERT INTO spaces (slug, name, description, visibility, created_at, created_by_id, created_by_name)
           VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *, 'admin' AS my_role`,
          [
            input.slug,
            input.name,
            input.description,
            input.visibility,
            input.now,
            input.creator.id,
            input.creator.name,
          ],
        );
        await runner.query(
          `INSERT INTO space_members (space_id, user_id, role, added_at) VALUES ($1, $2, 'admin', $3)`,
          [row!.id, input.creator.id, input.now],
        );
        return row!;
      });
    } catch (error) {
      if (uniqueViolation(error) === SLUG_KEY) return { kind: 'slug_taken' };
      throw error;
    }
  }

  async update(
    id: string,
    fields: { name?: string; description?: string; visibility?: SpaceVisibility },
  ): Promise<void> {
    await this.dataSource.query(
      `UPDATE spaces SET name = COALESCE($2, name), description = COALESCE($3, description),
         visibility = COALESCE($4, visibility)
       WHERE id = $1`,
      [id, fields.name ?? null, fields.description ?? null, fields.visibility ?? null],
    );
  }

  async members(spaceId: string): Promise<MemberRow[]> {
    return this.dataSource.query<MemberRow[]>(
      `SELECT user_id, role, added_at FROM space_members WHERE space_id = $1
       ORDER BY added_at, user_id LIMIT $2`,
      [spaceId, MAX_MEMBERS],
    );
  }

  async member(spaceId: string, userId: string): Promise<MemberRow | undefined> {
    const [row] = await this.dataSource.query<MemberRow[]>(
      `SELECT user_id, role, added_at FROM space_members WHERE space_id = $1 AND user_id = $2`,
      [spaceId, userId],
    );
    return row;
  }

  /**
   * Adds the member or changes their role. Refused (`last_admin`) when that would demote the
   * space's only admin: members' admin rows are locked first, so two admins demoting each other
   * at once cannot both pass the count.
   */
  async setMember(
    spaceId: string,
    userId: string,
    role: SpaceRole,
    now: Date,
  ): Promise<MemberRow | { kind: 'last_admin' }> {
    return inTransaction(this.dataSource, async (runner) => {
      if (role !== 'admin' && (await this.wouldLoseLastAdmin(runner, spaceId, userId))) {
        return { kind: 'last_admin' as const };
      }
      const [row] = await rows<MemberRow>(
        runner,
        `INSERT INTO space_members AS m (space_id, user_id, role, added_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (space_id, user_id) DO UPDATE SET role = EXCLUDED.role
         RETURNING user_id, role, added_at`,
        [spaceId, userId, role, now],
      );
      return row!;
    });
  }

  /** Whether there was such a member; `last_admin` when they are the space's only admin. */
  async removeMember(spaceId: string, userId: string): Promise<boolean | { kind: 'last_admin' }> {
    return inTransaction(this.dataSource, async (runner) => {
      if (await this.wouldLoseLastAdmin(runner, spaceId, userId)) {
        return { kind: 'last_admin' as const };
      }
      const removed = await rows<{ one: number }>(
        runner,
        `DELETE FROM space_members WHERE space_id = $1 AND user_id = $2 RETURNING 1 AS one`,
        [spaceId, userId],
      );
      return removed.length > 0;
    });
  }

  /** True when `userId` is the only admin member left (their admin rows locked until commit). */
  private async wouldLoseLastAdmin(
    runner: QueryRunner,
    spaceId: string,
    userId: string,
  ): Promise<boolean> {
    const admins = await rows<{ user_id: string }>(
      runner,
      `SELECT user_id FROM space_members WHERE space_id = $1 AND role = 'admin'
       ORDER BY user_id FOR UPDATE`,
      [spaceId],
    );
    return admins.length === 1 && admins[0]!.user_id === userId;
  }

  /**
   * Deletes a space that holds no page at all, live or in the trash (a trashed page still
   * belongs to it: restoring it must find its space). Members, tag counts and "did you mean"
   * words go with it (ON DELETE CASCADE). The space row is locked first, so a page created in
   * it meanwhile either lands before (and the space stays) or fails its foreign key.
   */
  async deleteIfEmpty(
    spaceId: string,
  ): Promise<'deleted' | 'missing' | { kind: 'not_empty'; live: number; trashed: number }> {
    return inTransaction(this.dataSource, async (runner) => {
      const locked = await rows<{ id: string }>(
        runner,
        `SELECT id FROM spaces WHERE id = $1 FOR UPDATE`,
        [spaceId],
      );
      if (locked.length === 0) return 'missing' as const;
      const [count] = await rows<{ live: number; trashed: number }>(
        runner,
        `SELECT count(*) FILTER (WHERE deleted_at IS NULL)::int AS live,
           count(*) FILTER (WHERE deleted_at IS NOT NULL)::int AS trashed
         FROM notes WHERE space_id = $1`,
        [spaceId],
      );
      if (count!.live > 0 || count!.trashed > 0) {
        return { kind: 'not_empty' as const, live: count!.live, trashed: count!.trashed };
      }
      await runner.query(`DELETE FROM spaces WHERE id = $1`, [spaceId]);
      return 'deleted' as const;
    });
  }
}
