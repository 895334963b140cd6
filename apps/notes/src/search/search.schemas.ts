import { z } from 'zod';
import { MAX_QUERY_LENGTH } from './search-query.js';

export const searchQuerySchema = z.object({
  q: z.string().trim().min(1, 'must not be empty').max(MAX_QUERY_LENGTH),
  tag: z.string().trim().min(1).max(100).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});
export type SearchQuery = z.infer<typeof searchQuerySchema>;
