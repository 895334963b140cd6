import { Controller, Delete, Get, HttpCode, Param, Query } from '@nestjs/common';
import { type UploadedBefore } from '@lateral/contracts';
import { type Identity } from '@lateral/identity';
import { Caller, ZodPipe } from '@lateral/http';
import { z } from 'zod';
import { MediaCollectionService } from './media-collection.service.js';

const uploadedBeforeQuery = z.object({
  before: z.iso.datetime({ offset: true }),
  /** The last id of the previous page (ids are base64url, so '' sorts first). */
  after: z
    .string()
    .regex(/^[\w-]{0,128}$/)
    .default(''),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});

/**
 * What the gateway's collection of unused images needs from media (admins only; the gateway
 * never forwards these for people): the images uploaded before a time, and deleting one.
 * Whether an image is still used is notes' to say (POST /api/v1/media-references there).
 */
@Controller('api/v1')
export class MediaCollectionController {
  constructor(private readonly collection: MediaCollectionService) {}

  @Get('media-collection/uploaded-before')
  uploadedBefore(
    @Query(new ZodPipe(uploadedBeforeQuery)) query: z.infer<typeof uploadedBeforeQuery>,
    @Caller() caller: Identity,
  ): Promise<UploadedBefore> {
    return this.collection.uploadedBefore(new Date(query.before), query.after, query.limit, caller);
  }

  @Delete('media/:id')
  @HttpCode(204)
  async delete(@Param('id') id: string, @Caller() caller: Identity): Promise<void> {
    await this.collection.delete(id, caller);
  }
}
