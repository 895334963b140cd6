import { DomainException, errorModel, type CommonErrorCode } from '@lateral/http';

/** Media's own codes. */
type MediaOwnErrorCode =
  | 'media_not_found'
  | 'missing_file'
  | 'unsupported_type'
  | 'svg_refused'
  | 'too_many_pixels'
  | 'too_many_frames'
  | 'corrupt_image'
  | 'processing_timeout'
  | 'invalid_variant'
  | 'range_not_satisfiable'
  | 'queue_full'
  | 'storage_unavailable';

/** Every code media answers with. */
export type MediaErrorCode = CommonErrorCode | MediaOwnErrorCode;

/** The one place media's own codes become HTTP statuses (common codes: @lateral/http). */
const MEDIA_ERROR_STATUS = {
  missing_file: 400,
  invalid_variant: 400,
  media_not_found: 404,
  unsupported_type: 415,
  svg_refused: 415,
  range_not_satisfiable: 416,
  // The bytes arrived and are of a known type, but cannot be turned into a picture we serve.
  too_many_pixels: 422,
  too_many_frames: 422,
  corrupt_image: 422,
  processing_timeout: 422,
  queue_full: 503,
  // The object store is down, slow or refusing us: nothing was stored or sent; retry later.
  storage_unavailable: 503,
} satisfies Record<MediaOwnErrorCode, number>;

export class MediaException extends DomainException<MediaErrorCode> {}

export const mediaErrors = errorModel(MediaException, MEDIA_ERROR_STATUS);
