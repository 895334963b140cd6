import { z } from 'zod';

/** `DELETE /notes/{id}?permanent=true` deletes a trashed page for good instead of trashing it. */
export const deleteQuerySchema = z.object({
  permanent: z
    .enum(['true', 'false'])
    .optional()
    .transform((value) => value === 'true'),
});
export type DeleteQuery = z.infer<typeof deleteQuerySchema>;
