/**
 * notes' answer to `GET /api/v1/media-access/{mediaId}` when the caller may read the image (a
 * caller who may not gets 404). `public`: no page in a private space shows it, so every
 * signed-in person may read it (the gateway may share that answer between people).
 */
export interface MediaAccess {
  mediaId: string;
  public: boolean;
}
