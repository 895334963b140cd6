import {
  isUuid,
  MAX_SLUG_LENGTH,
  type CreateSpaceRequest,
  type MoveNoteRequest,
  type SetSpaceMemberRequest,
  type UpdateSpaceRequest,
} from '@lateral/contracts';
import { safeText, singleLineText } from '@lateral/http';
import { z } from 'zod';

/** A page or space id; lower-cased, as PostgreSQL prints uuids. */
export const uuidSchema = z
  .string()
  .refine(isUuid, 'must be a UUID')
  .transform((id) => id.toLowerCase());

const name = singleLineText().min(1, 'must not be empty').max(100);
const description = safeText().max(2000);
const visibility = z.enum(['team', 'private']);
const role = z.enum(['reader', 'editor', 'admin']);
const slug = z
  .string()
  .max(MAX_SLUG_LENGTH)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'lower-case letters, digits and single dashes');

export const createSpaceSchema = z.object({
  name,
  slug: slug.optional(),
  description: description.default(''),
  visibility: visibility.default('team'),
});
export type CreateSpaceInput = z.infer<typeof createSpaceSchema>;

export const updateSpaceSchema = z.object({
  name: name.optional(),
  description: description.optional(),
  visibility: visibility.optional(),
});
export type UpdateSpaceInput = z.infer<typeof updateSpaceSchema>;

export const setMemberSchema = z.object({ role });
export type SetMemberInput = z.infer<typeof setMemberSchema>;

export const moveNoteSchema = z.object({
  spaceId: uuidSchema.optional(),
  parentId: uuidSchema.nullable().optional(),
});
export type MoveNoteInput = z.infer<typeof moveNoteSchema>;

/** `GET /spaces/:key/tree`'s query: the whole tree, or the levels open on one page. */
export const treeQuerySchema = z
  .object({
    levels: z.enum(['all', 'open']).default('all'),
    page: uuidSchema.optional(),
  })
  .refine((q) => q.levels === 'open' || q.page === undefined, {
    message: 'page is only used with levels=open',
    path: ['page'],
  });
export type TreeQuery = z.infer<typeof treeQuerySchema>;

/** A space in a path: its id or its slug. */
export const spaceKeySchema = safeText().min(1).max(200);
/** A member in a path: the gateway's user id. */
export const userIdSchema = singleLineText().min(1).max(200);

type Same<A, B> = [A, keyof A] extends [B, keyof B]
  ? [B, keyof B] extends [A, keyof A]
    ? true
    : false
  : false;
// The shared request types are exactly what these schemas accept (as in notes.schemas.ts).
const _requestsMatchSchemas: [
  Same<z.input<typeof createSpaceSchema>, CreateSpaceRequest>,
  Same<z.input<typeof updateSpaceSchema>, UpdateSpaceRequest>,
  Same<z.input<typeof setMemberSchema>, SetSpaceMemberRequest>,
  Same<z.input<typeof moveNoteSchema>, MoveNoteRequest>,
] = [true, true, true, true];
