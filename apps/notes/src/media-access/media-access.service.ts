import { Injectable } from '@nestjs/common';
import { type MediaAccess, type MediaReferences } from '@lateral/contracts';
import { type Identity } from '@lateral/identity';
import { NotesException } from '../errors/notes-errors.js';
import { PageAccess } from '../spaces/page-access.js';
import { MediaAccessRepository } from './media-access.repository.js';

/**
 * Who may read an image, from the pages that show it (docs/media.md, "Who may read an image"):
 *
 * - shown by at least one page (live or in the trash) in a `private` space: only those who can
 *   read one of those private pages (global admins, members of their spaces). A team page showing
 *   the same image does not open it up: pasting a private image's URL into a team page must not
 *   publish it.
 * - otherwise (shown only by team pages, or by no page yet, e.g. just uploaded): every signed-in
 *   person, as before spaces.
 *
 * Everyone else gets 404, exactly as for an id that does not exist.
 */
@Injectable()
export class MediaAccessService {
  constructor(private readonly repository: MediaAccessRepository) {}

  async check(mediaId: string, caller: Identity): Promise<MediaAccess> {
    const access = PageAccess.of(caller);
    const standing = await this.repository.standing(mediaId, access);
    if (standing.inPrivatePage && !standing.readablePrivatePage) {
      throw new NotesException('not_found', 'No such image.');
    }
    return { mediaId, public: !standing.inPrivatePage };
  }

  /** Which of these images notes still uses (admins: the gateway's collection of unused ones). */
  async referenced(mediaIds: string[], caller: Identity): Promise<MediaReferences> {
    if (caller.role !== 'admin') {
      throw new NotesException('forbidden', 'Only admins can ask which images are in use.');
    }
    return { referenced: await this.repository.referenced([...new Set(mediaIds)]) };
  }
}
