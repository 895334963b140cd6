export { NOTE_LIMITS, WIKI_LINK_LIMITS } from './limits.js';
export {
  type CreateNoteRequest,
  type Draft,
  type Note,
  type NoteMerge,
  type NoteSummary,
  type Page,
  type Person,
  type Revision,
  type RevisionSummary,
  type SaveDraftRequest,
  type SavedNote,
  type SearchHit,
  type SearchResult,
  type TagCount,
  type UpdateNoteRequest,
  type VersionConflictDetails,
} from './note.types.js';
export {
  type CreateSpaceRequest,
  type MoveNoteRequest,
  type SetSpaceMemberRequest,
  type Space,
  type SpaceMember,
  type SpaceRole,
  type SpaceTree,
  type SpaceVisibility,
  type TreeNode,
  type UpdateSpaceRequest,
} from './space.types.js';
export {
  NOTE_INCLUDES,
  type LinkTarget,
  type NoteInclude,
  type NoteWithContext,
} from './note-context.types.js';
export {
  MAX_MEDIA_REFERENCE_IDS,
  type MediaAccess,
  type MediaReferences,
  type MediaReferencesRequest,
  type UploadedBefore,
} from './media-access.types.js';
export { MAX_SLUG_LENGTH, slugify } from './slug.js';
export { isUuid } from './uuid.js';
