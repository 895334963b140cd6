import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  MAX_MEDIA_REFERENCE_IDS,
  type MediaAccess,
  type MediaReferences,
} from '@lateral/contracts';
import { type Identity } from '@lateral/identity';
import { Caller, ZodPipe } from '@lateral/http';
import { z } from 'zod';
import { MediaAccessService } from './media-access.service.js';

/** Media ids as media validates them (the SHA-256 ids are 43 of these characters). */
const mediaIdSchema = z.string().regex(/^[\w-]{1,128}$/);

const referencesSchema = z.object({
  mediaIds: z.array(mediaIdSchema).min(1).max(MAX_MEDIA_REFERENCE_IDS),
});

/** The gateway asks here before it serves an image (or its size) to the caller. */
@Controller('api/v1/media-access')
export class MediaAccessController {
  constructor(private readonly access: MediaAccessService) {}

  @Get(':mediaId')
  check(
    @Param('mediaId', new ZodPipe(mediaIdSchema)) mediaId: string,
    @Caller() caller: Identity,
  ): Promise<MediaAccess> {
    return this.access.check(mediaId, caller);
  }
}

/** The gateway's collection of unused images asks here which images are still used. */
@Controller('api/v1/media-references')
export class MediaReferencesController {
  constructor(private readonly access: MediaAccessService) {}

  @Post()
  @HttpCode(200)
  referenced(
    @Body(new ZodPipe(referencesSchema)) body: z.infer<typeof referencesSchema>,
    @Caller() caller: Identity,
  ): Promise<MediaReferences> {
    return this.access.referenced(body.mediaIds, caller);
  }
}
