import { DomainException, type CommonErrorCode } from '@lateral/http';

/** Every code notes answers with. */
export type NotesErrorCode =
  | CommonErrorCode
  | 'malformed_request'
  | 'bad_request'
  | 'invalid_cursor'
  | 'note_not_found'
  | 'revision_not_found'
  | 'version_conflict'
  | 'slug_taken'
  | 'note_not_deleted';

/** The one place notes error codes become HTTP statuses. */
export function statusForCode(code: NotesErrorCode): number {
  switch (code) {
    case 'validation_failed':
    case 'invalid_characters':
    case 'malformed_json':
    case 'malformed_request':
    case 'bad_request':
    case 'invalid_cursor':
      return 400;
    case 'unauthorized':
      return 401;
    case 'forbidden':
      return 403;
    case 'not_found':
    case 'route_not_found':
    case 'note_not_found':
    case 'revision_not_found':
      return 404;
    case 'method_not_allowed':
      return 405;
    case 'version_conflict':
    case 'slug_taken':
    case 'note_not_deleted':
      return 409;
    case 'payload_too_large':
      return 413;
    case 'unsupported_media_type':
      return 415;
    case 'rate_limited':
      return 429;
    case 'service_unavailable':
      return 503;
    case 'internal':
      return 500;
  }
}

/** For the shared filter, which sees codes as plain strings (unknown ones are our bug: 500). */
export function statusForAnyCode(code: string): number {
  return statusForCode(code as NotesErrorCode) ?? 500;
}

export class NotesException extends DomainException<NotesErrorCode> {}

export const noteNotFound = (key: string): NotesException =>
  new NotesException('note_not_found', `No note "${key.slice(0, 200)}".`);
