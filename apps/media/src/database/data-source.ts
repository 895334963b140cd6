import { applyMigrations, createPostgresDataSource } from '@lateral/database';
import { type DataSource } from 'typeorm';
import { MediaSchema1764100000000 } from './migrations/1764100000000-media-schema.js';
import { MediaListOrder1764500000000 } from './migrations/1764500000000-media-list-order.js';
import { MediaObjectStorage1765000000000 } from './migrations/1765000000000-media-object-storage.js';

export const MIGRATIONS = [
  MediaSchema1764100000000,
  MediaListOrder1764500000000,
  MediaObjectStorage1765000000000,
];

/**
 * One definition for the app, `migrate.ts` and tests; never `synchronize`. Media uses plain
 * SQL in its repository (bytea in and out, ON CONFLICT), so no entities are registered.
 */
export function createDataSource(url: string, poolMax = 5): DataSource {
  return createPostgresDataSource({ service: 'media', url, migrations: MIGRATIONS, poolMax });
}

/** Applies pending migrations; returns the names it ran. */
export function runMigrations(url: string): Promise<string[]> {
  return applyMigrations(createDataSource(url, 1));
}
