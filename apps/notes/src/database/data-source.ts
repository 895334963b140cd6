import { applyMigrations, createPostgresDataSource } from '@lateral/database';
import { type DataSource } from 'typeorm';
import { NotesSchema1764100000000 } from './migrations/1764100000000-notes-schema.js';
import { TitleSearch1764200000000 } from './migrations/1764200000000-title-search.js';
import { TagCounts1764300000000 } from './migrations/1764300000000-tag-counts.js';
import { SlugAliases1764400000000 } from './migrations/1764400000000-slug-aliases.js';
import { Spaces1764500000000 } from './migrations/1764500000000-spaces.js';
import { PageMedia1764600000000 } from './migrations/1764600000000-page-media.js';
import { Drafts1764700000000 } from './migrations/1764700000000-drafts.js';
import { HeadingSearch1765300000000 } from './migrations/1765300000000-heading-search.js';
import { SpaceTreeIndex1765500000000 } from './migrations/1765500000000-space-tree-index.js';
import { RevisionMedia1765650000000 } from './migrations/1765650000000-revision-media.js';
import { GinPendingLists1765700000000 } from './migrations/1765700000000-gin-pending-lists.js';
import { SpaceTitleIndexes1765800000000 } from './migrations/1765800000000-space-title-indexes.js';
import { PageChangeNotices1765900000000 } from './migrations/1765900000000-page-change-notices.js';

export const MIGRATIONS = [
  NotesSchema1764100000000,
  TitleSearch1764200000000,
  TagCounts1764300000000,
  SlugAliases1764400000000,
  Spaces1764500000000,
  PageMedia1764600000000,
  Drafts1764700000000,
  HeadingSearch1765300000000,
  SpaceTreeIndex1765500000000,
  RevisionMedia1765650000000,
  GinPendingLists1765700000000,
  SpaceTitleIndexes1765800000000,
  PageChangeNotices1765900000000,
];

/**
 * One definition for the app, `migrate.ts` and tests; never `synchronize`. No entities: the
 * repositories write SQL (generated tsvector, keyset pages, row locks) and map rows themselves.
 */
export function createDataSource(
  url: string,
  options: { poolMax?: number; statementTimeoutMs?: number } = {},
): DataSource {
  return createPostgresDataSource({
    service: 'notes',
    url,
    migrations: MIGRATIONS,
    poolMax: options.poolMax ?? 10,
    statementTimeoutMs: options.statementTimeoutMs,
  });
}

/** Applies pending migrations; returns the names it ran. */
export function runMigrations(url: string): Promise<string[]> {
  return applyMigrations(createDataSource(url, { poolMax: 1 }));
}
