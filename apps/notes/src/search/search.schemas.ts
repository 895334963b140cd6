import { safeText, singleLineText } from '@lateral/http';
import { z } from 'zod';
import { MAX_QUERY_LENGTH } from './search-query.js';

/** Most hits one search answers (the search ranks at least this many title matches). */
export const MAX_SEARCH_LIMIT = 50;

export const searchQuerySchema = z.object({
  q: safeText().trim().min(1, 'must not be empty').max(MAX_QUERY_LENGTH),
  tag: singleLineText().min(1).max(100).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_SEARCH_LIMIT).default(20),
});
export type SearchQuery = z.infer<typeof searchQuerySchema>;
