import { Injectable } from '@nestjs/common';
import { type TagCount } from '@lateral/contracts';
import { DataSource } from 'typeorm';
import { type PageAccess } from '../spaces/page-access.js';

@Injectable()
export class TagsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Every tag on a live page the caller can read, with how many such pages carry it, most used
   * first. Per-space counts are kept by the notes_space_tag_counts trigger (migration
   * 1764500000000), so this sums a few rows per readable space and never scans pages.
   */
  async counts(access: PageAccess, limit: number): Promise<TagCount[]> {
    const params: unknown[] = [limit];
    const rows = await this.dataSource.query<{ tag: string; count: number }[]>(
      `SELECT c.tag, sum(c.count)::int AS count FROM space_tag_counts c
       WHERE c.count > 0 AND ${access.readable(params, 'c.space_id')}
       GROUP BY c.tag ORDER BY count DESC, c.tag LIMIT $1`,
      params,
    );
    return rows.map((r) => ({ tag: r.tag, count: Number(r.count) }));
  }
}
