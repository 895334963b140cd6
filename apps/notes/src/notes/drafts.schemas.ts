import { NOTE_LIMITS, type SaveDraftRequest } from '@lateral/contracts';
import { safeText, singleLineText } from '@lateral/http';
import { z } from 'zod';

// A draft is bounded like a page; its title may still be empty (a new page being started).
const tag = singleLineText().max(NOTE_LIMITS.tagLength);

export const saveDraftSchema = z.object({
  title: singleLineText().max(NOTE_LIMITS.titleLength),
  body: safeText().max(NOTE_LIMITS.bodyLength),
  tags: z.array(tag).max(NOTE_LIMITS.tags),
  baseVersion: z.number().int().min(1).max(2_147_483_647).nullable().optional(),
});
export type SaveDraftInput = z.infer<typeof saveDraftSchema>;

// What the gateway sends is what this schema accepts.
const _requestMatchesSchema: SaveDraftRequest = {} as z.input<typeof saveDraftSchema>;
