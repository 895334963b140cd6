import { type Identity } from '@lateral/identity';
import { createLogger } from '@lateral/observability';
import { FixedClock } from '@lateral/observability/testing';
import { createTestDatabase, type TestDatabase } from '@lateral/testing';
import { Registry } from 'prom-client';
import { type DataSource } from 'typeorm';
import { createDataSource, runMigrations } from '../src/database/data-source.js';
import { LinksRepository } from '../src/links/links.repository.js';
import { NotesMetrics } from '../src/notes.metrics.js';
import { NotesRepository } from '../src/notes/notes.repository.js';
import { NotesService } from '../src/notes/notes.service.js';
import { PageContextRepository } from '../src/notes/page-context.repository.js';
import { RevisionsService } from '../src/notes/revisions.service.js';
import { RevisionsRepository } from '../src/notes/revisions.repository.js';
import { TrashRepository } from '../src/notes/trash.repository.js';
import { GenericPlans } from '../src/database/generic-plans.js';
import { SearchRepository } from '../src/search/search.repository.js';
import { SearchService } from '../src/search/search.service.js';
import { PageMovesService } from '../src/spaces/page-moves.service.js';
import { PageTreeRepository } from '../src/spaces/page-tree.repository.js';
import { SpacesRepository } from '../src/spaces/spaces.repository.js';
import { SpacesService } from '../src/spaces/spaces.service.js';

export interface NotesDb {
  db: TestDatabase;
  dataSource: DataSource;
  /** Settable, so ordering by time is under the test's control. */
  clock: FixedClock;
  notes: NotesService;
  /** History: the revision list, one revision, restores. */
  history: RevisionsService;
  repository: NotesRepository;
  trash: TrashRepository;
  search: SearchService;
  searchRepository: SearchRepository;
  metrics: NotesMetrics;
  close(): Promise<void>;
}

export const AUTHOR: Identity = { userId: 'u-ada', name: 'Ada', role: 'editor' };

/** Repositories and services over a fresh, migrated database, without HTTP. */
export async function openNotesDb(adminUrl: string): Promise<NotesDb> {
  const db = await createTestDatabase(adminUrl, 'notes_int');
  await runMigrations(db.url);
  const dataSource = createDataSource(db.url, { poolMax: 4 });
  await dataSource.initialize();
  const clock = new FixedClock();
  const metrics = new NotesMetrics(new Registry());
  const links = new LinksRepository(dataSource);
  const genericPlans = new GenericPlans(dataSource, 2);
  const searchRepository = new SearchRepository(dataSource, metrics, genericPlans);
  const revisions = new RevisionsRepository(dataSource);
  const trash = new TrashRepository(dataSource);
  const repository = new NotesRepository(dataSource, revisions, searchRepository);
  const tree = new PageTreeRepository(dataSource, searchRepository);
  const spaceRows = new SpacesRepository(dataSource);
  const spaces = new SpacesService(spaceRows, tree, clock);
  const notes = new NotesService(
    repository,
    revisions,
    trash,
    links,
    searchRepository,
    spaces,
    new PageMovesService(repository, tree, spaces),
    new PageContextRepository(dataSource, repository, links, spaceRows, tree, genericPlans),
    metrics,
    clock,
    createLogger({ service: 'notes', level: 'silent' }),
  );
  return {
    db,
    dataSource,
    clock,
    repository,
    trash,
    notes,
    history: new RevisionsService(notes, repository, revisions, spaces, metrics, clock),
    search: new SearchService(searchRepository, metrics),
    searchRepository,
    metrics,
    close: async () => {
      await searchRepository.beforeApplicationShutdown();
      await genericPlans.beforeApplicationShutdown();
      await dataSource.destroy();
      await db.drop();
    },
  };
}
