import { type Identity } from '@lateral/identity';
import { createTestDatabase, type TestDatabase } from '@lateral/testing';
import { Registry } from 'prom-client';
import { type DataSource } from 'typeorm';
import { Clock } from '../src/common/clock.js';
import { createDataSource, runMigrations } from '../src/database/data-source.js';
import { LinksRepository } from '../src/links/links.repository.js';
import { NotesMetrics } from '../src/notes.metrics.js';
import { NotesRepository } from '../src/notes/notes.repository.js';
import { NotesService } from '../src/notes/notes.service.js';
import { SearchRepository } from '../src/search/search.repository.js';
import { SearchService } from '../src/search/search.service.js';

/** A settable clock, so ordering by time is under the test's control. */
export class TestClock extends Clock {
  constructor(private current = new Date('2026-01-05T09:00:00.000Z')) {
    super();
  }
  override now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export interface NotesDb {
  db: TestDatabase;
  dataSource: DataSource;
  clock: TestClock;
  notes: NotesService;
  repository: NotesRepository;
  search: SearchService;
  close(): Promise<void>;
}

export const AUTHOR: Identity = { userId: 'u-ada', name: 'Ada', role: 'editor' };

/** Repositories and services over a fresh, migrated database, without HTTP. */
export async function openNotesDb(adminUrl: string): Promise<NotesDb> {
  const db = await createTestDatabase(adminUrl, 'notes_int');
  await runMigrations(db.url);
  const dataSource = createDataSource(db.url, { poolMax: 4 });
  await dataSource.initialize();
  const clock = new TestClock();
  const metrics = new NotesMetrics(new Registry());
  const links = new LinksRepository(dataSource);
  const searchRepository = new SearchRepository(dataSource);
  const repository = new NotesRepository(dataSource, links);
  return {
    db,
    dataSource,
    clock,
    repository,
    notes: new NotesService(repository, links, searchRepository, metrics, clock),
    search: new SearchService(searchRepository, metrics),
    close: async () => {
      await dataSource.destroy();
      await db.drop();
    },
  };
}
