import { type MediaAccess } from '@lateral/contracts';
import { Clock } from '@lateral/observability';
import { Injectable } from '@nestjs/common';
import { currentCaller } from '../auth/caller-context.js';
import { type SessionUser } from '../auth/current-user.js';
import { NotesClient } from './notes.client.js';
import { UpstreamResponseError } from './upstream-errors.js';

/** Answers remembered per person and image: an image-heavy page asks notes once per image. */
export const ACCESS_TTL_MS = 30_000;
export const ACCESS_CACHE_SIZE = 10_000;

/**
 * Whether a person may read an image, as notes answers it (`GET /api/v1/media-access/{id}`: an
 * image a private page shows is for those who can read such a page; docs/media.md). Answers,
 * yes and no, are kept for {@link ACCESS_TTL_MS} in a bounded map keyed by person and id, and
 * concurrent questions for the same key share one call. A `public` answer (no private page shows
 * the image) is kept under the id alone and serves everyone. So a change (a page saved, a member
 * removed) reaches image requests within 30 s. Notes down or failing is not remembered: the
 * error goes to the caller (503/502) and the image is not served.
 */
@Injectable()
export class MediaAccessService {
  private readonly answers = new Map<string, { readable: boolean; until: number }>();
  private readonly pending = new Map<string, Promise<boolean>>();

  constructor(
    private readonly notes: NotesClient,
    private readonly clock: Clock,
  ) {}

  /** `user`: the signed-in person of the current request unless given; nobody reads nothing. */
  async canRead(mediaId: string, user = currentCaller()): Promise<boolean> {
    if (!user) return false;
    const now = this.clock.now().getTime();
    const own = `${user.id}\u0000${mediaId}`;
    const shared = `\u0000${mediaId}`;
    for (const key of [shared, own]) {
      const hit = this.answers.get(key);
      if (hit && hit.until > now) return hit.readable;
      if (hit) this.answers.delete(key);
    }
    const inFlight = this.pending.get(own);
    if (inFlight) return inFlight;
    const asking = this.ask(user, mediaId, own, shared).finally(() => this.pending.delete(own));
    this.pending.set(own, asking);
    return asking;
  }

  private async ask(
    user: SessionUser,
    mediaId: string,
    own: string,
    shared: string,
  ): Promise<boolean> {
    let answer: MediaAccess;
    try {
      answer = await this.notes.mediaAccess(mediaId, user);
    } catch (error) {
      if (error instanceof UpstreamResponseError && error.status === 404) {
        this.remember(own, false);
        return false;
      }
      throw error;
    }
    this.remember(answer.public ? shared : own, true);
    return true;
  }

  /** Insertion-ordered: past the bound, the oldest answer goes first. */
  private remember(key: string, readable: boolean): void {
    this.answers.delete(key);
    if (this.answers.size >= ACCESS_CACHE_SIZE) {
      const oldest = this.answers.keys().next().value;
      if (oldest !== undefined) this.answers.delete(oldest);
    }
    this.answers.set(key, { readable, until: this.clock.now().getTime() + ACCESS_TTL_MS });
  }
}
