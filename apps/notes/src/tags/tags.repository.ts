import { Injectable } from '@nestjs/common';
import { type TagCount } from '@lateral/contracts';
import { DataSource } from 'typeorm';

@Injectable()
export class TagsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Every tag on a live page with how many live pages carry it, most used first. */
  async counts(limit: number): Promise<TagCount[]> {
    // Kept by the notes_tag_counts trigger (migration 1764300000000).
    const rows = await this.dataSource.query<{ tag: string; count: number }[]>(
      `SELECT tag, count FROM tag_counts WHERE count > 0 ORDER BY count DESC, tag LIMIT $1`,
      [limit],
    );
    return rows.map((r) => ({ tag: r.tag, count: Number(r.count) }));
  }
}
