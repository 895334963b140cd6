import { Injectable } from '@nestjs/common';
import { type View } from '../render/view.js';
import { TextWorkService } from '../text-work/text-work.service.js';
import { Clock } from '@lateral/observability';
import { toNoteItem, toRevision, type RevisionItem } from '../view-models/note-fields.js';
import { WikiRenderService } from '../wiki-render/wiki-render.service.js';
import { notePath } from '../components/components.js';
import { diffView, revisionView, revisionsView } from './revisions.view.js';
import { GatewayException, NotesClient } from '../platform.js';

function revisionNumber(value: unknown): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new GatewayException('validation_failed', 'Pick two versions to compare.');
  return n;
}

/** Page history: the list, one old version, the diff between two, and restoring one. */
@Injectable()
export class RevisionsService {
  constructor(
    private readonly notes: NotesClient,
    private readonly renderer: WikiRenderService,
    private readonly clock: Clock,
    private readonly text: TextWorkService,
  ) {}

  async list(slug: string, canEdit: boolean, csrfToken: string): Promise<View> {
    const note = await this.notes.getNote(slug);
    const page = await this.notes.revisions(note.id);
    return revisionsView({
      note: toNoteItem(note),
      revisions: page.items.map(toRevision),
      canEdit,
      csrfToken,
      now: this.clock.now(),
    });
  }

  async show(slug: string, n: number, canEdit: boolean, csrfToken: string): Promise<View> {
    const note = await this.notes.getNote(slug);
    const revision = await this.fullRevision(note.id, n);
    return revisionView({
      note: toNoteItem(note),
      revision,
      content: await this.renderer.render(revision.body ?? ''),
      isCurrent: revision.number === note.version,
      canEdit,
      csrfToken,
      now: this.clock.now(),
    });
  }

  async diff(
    slug: string,
    fromParam: unknown,
    toParam: unknown,
    canEdit: boolean,
    csrfToken: string,
  ): Promise<View> {
    const note = await this.notes.getNote(slug);
    const to = revisionNumber(toParam) ?? note.version;
    const from = revisionNumber(fromParam) ?? Math.max(1, to - 1);
    const [older, newer] = await Promise.all([
      this.fullRevision(note.id, Math.min(from, to)),
      this.fullRevision(note.id, Math.max(from, to)),
    ]);
    const changes = await this.text.diff(older.body ?? '', newer.body ?? '', {
      before: `version ${older.number}`,
      after: `version ${newer.number}`,
    });
    return diffView({
      note: toNoteItem(note),
      from: older,
      to: newer,
      changes,
      canEdit,
      csrfToken,
    });
  }

  async restore(slug: string, n: number): Promise<string> {
    const note = await this.notes.getNote(slug);
    const restored = await this.notes.restoreRevision(note.id, n);
    return notePath(restored.slug ?? note.slug);
  }

  private async fullRevision(id: string, n: number): Promise<RevisionItem> {
    return toRevision(await this.notes.revision(id, n));
  }
}
