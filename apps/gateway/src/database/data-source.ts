import { applyMigrations, createPostgresDataSource } from '@lateral/database';
import { type DataSource } from 'typeorm';
import { ApiTokenEntity } from '../tokens/api-token.entity.js';
import { SessionEntity } from '../auth/session.entity.js';
import { UserEntity } from '../users/user.entity.js';
import { InviteEntity } from '../invites/invite.entity.js';
import { PasswordResetEntity } from '../invites/password-reset.entity.js';
import { InitialSchema1764000000000 } from './migrations/1764000000000-initial-schema.js';
import { People1765100000000 } from './migrations/1765100000000-people.js';
import { SpaceInvites1765200000000 } from './migrations/1765200000000-space-invites.js';
import { MediaCollectionRuns1765700000000 } from './migrations/1765700000000-media-collection-runs.js';

export const ENTITIES = [
  UserEntity,
  SessionEntity,
  ApiTokenEntity,
  InviteEntity,
  PasswordResetEntity,
];
export const MIGRATIONS = [
  InitialSchema1764000000000,
  People1765100000000,
  SpaceInvites1765200000000,
  MediaCollectionRuns1765700000000,
];

/** One definition for the app, `migrate.ts` and tests; never `synchronize`. */
export function createDataSource(url: string, poolMax = 5): DataSource {
  return createPostgresDataSource({
    service: 'gateway',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    poolMax,
  });
}

/** Applies pending migrations; returns the names it ran. */
export function runMigrations(url: string): Promise<string[]> {
  return applyMigrations(createDataSource(url, 1));
}
