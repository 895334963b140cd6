import {
  NOTE_INCLUDES,
  NOTE_LIMITS,
  type CreateNoteRequest,
  type UpdateNoteRequest,
} from '@lateral/contracts';
import { safeText, singleLineText } from '@lateral/http';
import { z } from 'zod';
import { uuidSchema } from '../spaces/spaces.schemas.js';

/** Longest page of a listing a client may ask for. */
const MAX_PAGE_SIZE = 100;

// NOTE_LIMITS bound one page; the request body limit (1 MiB by default) comes first.
// Titles and tags are names people read: no control or bidi characters, zero-width removed.
const title = singleLineText().min(1, 'must not be empty').max(NOTE_LIMITS.titleLength);
const body = safeText().max(NOTE_LIMITS.bodyLength);
const tag = singleLineText()
  .min(1, 'must not be empty')
  .max(NOTE_LIMITS.tagLength)
  .refine((t) => !t.includes(','), 'must not contain commas');
/** Tags keep their spelling; duplicates collapse, order is the author's. */
const tags = z
  .array(tag)
  .max(NOTE_LIMITS.tags)
  .transform((list) => [...new Set(list)]);

export const createNoteSchema = z.object({
  title,
  body: body.default(''),
  tags: tags.default([]),
  /** Import: the page's original creation time. */
  createdAt: z.iso.datetime({ offset: true }).optional(),
  /** Import: a stable key; creating again with it answers the existing page. */
  importKey: safeText().min(1).max(NOTE_LIMITS.importKeyLength).optional(),
  spaceId: uuidSchema.optional(),
  parentId: uuidSchema.nullable().optional(),
});
export type CreateNoteInput = z.infer<typeof createNoteSchema>;

export const updateNoteSchema = z.object({
  title: title.optional(),
  body: body.optional(),
  tags: tags.optional(),
  /** The version the editor read: any other version on the server is a conflict (409). */
  version: z.number().int().min(0).max(2_147_483_647),
  spaceId: uuidSchema.optional(),
  parentId: uuidSchema.nullable().optional(),
});
export type UpdateNoteInput = z.infer<typeof updateNoteSchema>;

/** Whether A and B are the same type; used below to tie the shared request types to the schemas. */
type Same<A, B> = [A, keyof A] extends [B, keyof B]
  ? [B, keyof B] extends [A, keyof A]
    ? true
    : false
  : false;
// What the gateway sends (the shared request types) is exactly what these schemas accept: a
// field added on one side only is a compile error here.
const _requestsMatchSchemas: [
  Same<z.input<typeof createNoteSchema>, CreateNoteRequest>,
  Same<z.input<typeof updateNoteSchema>, UpdateNoteRequest>,
] = [true, true];

/** A list page's length when the request does not say (also `include=backlinks`'s). */
export const DEFAULT_PAGE_SIZE = 20;
const limit = z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE);
const cursor = safeText().min(1).max(512).optional();

export const listQuerySchema = z.object({
  tag: tag.optional(),
  /** Only the pages of this space. */
  spaceId: uuidSchema.optional(),
  limit,
  cursor,
});
export type ListQuery = z.infer<typeof listQuerySchema>;

export const pageQuerySchema = z.object({ limit, cursor });
export type PageQuery = z.infer<typeof pageQuerySchema>;

/** `GET /notes/:key?include=backlinks,place`: a comma-separated subset of NOTE_INCLUDES. */
export const getQuerySchema = z.object({
  include: z
    .string()
    .max(100)
    .default('')
    .transform((list) => [...new Set(list.split(',').filter(Boolean))])
    .pipe(z.array(z.enum(NOTE_INCLUDES))),
});
export type GetQuery = z.infer<typeof getQuerySchema>;

/** History pages are longer by default: the web UI shows and diffs one page of them. */
export const revisionsQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(50),
  cursor,
});

/** A path key: a page id (UUID) or slug. Anything else cannot name a page. */
export const noteKeySchema = safeText().min(1).max(200);
export const revisionNumberSchema = z.coerce.number().int().min(1).max(2_147_483_647);
