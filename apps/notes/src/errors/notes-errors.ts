import { DomainException, errorModel, type CommonErrorCode } from '@lateral/http';

/** Notes' own codes. */
type NotesOwnErrorCode =
  | 'note_not_found'
  | 'revision_not_found'
  | 'version_conflict'
  | 'slug_taken'
  | 'note_not_deleted'
  | 'import_key_taken'
  | 'space_not_found'
  | 'space_slug_taken'
  | 'invalid_parent'
  | 'draft_not_found'
  | 'draft_stale'
  | 'space_not_empty'
  | 'space_protected'
  | 'last_space_admin';

/** Every code notes throws (the shared filter adds Fastify's, e.g. `malformed_request`). */
export type NotesErrorCode = CommonErrorCode | NotesOwnErrorCode;

/** The one place notes' own codes become HTTP statuses (common codes: @lateral/http). */
const NOTES_ERROR_STATUS = {
  note_not_found: 404,
  revision_not_found: 404,
  version_conflict: 409,
  slug_taken: 409,
  note_not_deleted: 409,
  // Another page (one the caller cannot read) was imported with this key; nothing about it is told.
  import_key_taken: 409,
  space_not_found: 404,
  space_slug_taken: 409,
  // A parent in another space, not a live readable page, or inside the moved page's own subtree.
  invalid_parent: 422,
  // The caller has no draft there (another person's draft is never shown).
  draft_not_found: 404,
  // The caller saved the page past the version this draft started from: their save holds it.
  draft_stale: 409,
  // Pages (live or trashed) still live in the space: move them out or empty them first.
  space_not_empty: 409,
  // The default space: pages created without a space go there.
  space_protected: 409,
  // The change would leave the space without an admin member.
  last_space_admin: 409,
} satisfies Record<NotesOwnErrorCode, number>;

export class NotesException extends DomainException<NotesErrorCode> {}

export const notesErrors = errorModel(NotesException, NOTES_ERROR_STATUS);

export const noteNotFound = (key: string): NotesException =>
  new NotesException('note_not_found', `No note "${key.slice(0, 200)}".`);

export const spaceNotFound = (key: string): NotesException =>
  new NotesException('space_not_found', `No space "${key.slice(0, 200)}".`);

export const invalidParent = (why: string): NotesException =>
  new NotesException('invalid_parent', why);
