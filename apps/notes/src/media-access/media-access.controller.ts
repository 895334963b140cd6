import { Controller, Get, Param } from '@nestjs/common';
import { type MediaAccess } from '@lateral/contracts';
import { type Identity } from '@lateral/identity';
import { Caller, ZodPipe } from '@lateral/http';
import { z } from 'zod';
import { MediaAccessService } from './media-access.service.js';

/** Media ids as media validates them (the SHA-256 ids are 43 of these characters). */
const mediaIdSchema = z.string().regex(/^[\w-]{1,128}$/);

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
