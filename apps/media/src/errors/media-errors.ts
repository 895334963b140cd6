import { DomainException, type CommonErrorCode } from '@lateral/http';

/** Every code media answers with. */
export type MediaErrorCode =
  | CommonErrorCode
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
  | 'queue_full';

/** The one place media error codes become HTTP statuses. */
export function statusForCode(code: MediaErrorCode): number {
  switch (code) {
    case 'validation_failed':
    case 'invalid_characters':
    case 'malformed_json':
    case 'missing_file':
    case 'invalid_variant':
      return 400;
    case 'unauthorized':
      return 401;
    case 'forbidden':
      return 403;
    case 'not_found':
    case 'route_not_found':
    case 'media_not_found':
      return 404;
    case 'method_not_allowed':
      return 405;
    case 'payload_too_large':
      return 413;
    case 'unsupported_media_type':
    case 'unsupported_type':
    case 'svg_refused':
      return 415;
    case 'range_not_satisfiable':
      return 416;
    // The bytes arrived and are of a known type, but cannot be turned into a picture we serve.
    case 'too_many_pixels':
    case 'too_many_frames':
    case 'corrupt_image':
    case 'processing_timeout':
      return 422;
    case 'rate_limited':
      return 429;
    case 'service_unavailable':
    case 'queue_full':
      return 503;
    case 'internal':
      return 500;
  }
}

/** For the shared filter, which sees codes as plain strings (unknown ones are our bug: 500). */
export function statusForAnyCode(code: string): number {
  return statusForCode(code as MediaErrorCode) ?? 500;
}

export class MediaException extends DomainException<MediaErrorCode> {}
