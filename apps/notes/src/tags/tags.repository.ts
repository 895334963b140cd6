import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface TagCount {
  tag: string;
  count: number;
}

@Injectable()
export class TagsRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** Every tag on a live page with how many live pages carry it, most used first. */
  async counts(limit: number): Promise<TagCount[]> {
    const rows = await this.dataSource.query<{ tag: string; count: string }[]>(
      `SELECT t.tag, count(*) AS count FROM notes n, unnest(n.tags) AS t(tag)
       WHERE n.deleted_at IS NULL GROUP BY t.tag ORDER BY count(*) DESC, t.tag LIMIT $1`,
      [limit],
    );
    return rows.map((r) => ({ tag: r.tag, count: Number(r.count) }));
  }
}
