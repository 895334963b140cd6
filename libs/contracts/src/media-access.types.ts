/**
 * notes' answer to `GET /api/v1/media-access/{mediaId}` when the caller may read the image (a
 * caller who may not gets 404). `public`: no page in a private space shows it, so every
 * signed-in person may read it (the gateway may share that answer between people).
 */
export interface MediaAccess {
  mediaId: string;
  public: boolean;
}

/** At most this many ids per `POST /api/v1/media-references` (one indexed look-up each). */
export const MAX_MEDIA_REFERENCE_IDS = 500;

/**
 * `POST /api/v1/media-references` (admins): which of these images something in notes still uses
 * (a page, live or in the trash, shows it now or in any version; or someone's draft does). The
 * gateway's collection of unused images deletes only the ids left out of `referenced`.
 */
export interface MediaReferencesRequest {
  mediaIds: string[];
}
export interface MediaReferences {
  referenced: string[];
}

/**
 * media's `GET /api/v1/media-collection/uploaded-before` (admins): a page of images uploaded
 * before a time, in id order; `next` continues after the last.
 */
export interface UploadedBefore {
  items: { id: string; createdAt: string }[];
  next: string | null;
}
