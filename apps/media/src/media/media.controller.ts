import { Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { type Identity } from '@lateral/identity';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { Caller, ZodPipe, safeText } from '@lateral/http';
import { z } from 'zod';
import { readUpload } from '../http/read-upload.js';
import { sendImage } from '../http/send-image.js';
import { MediaConfig } from '../media.config.js';
import { DeliveryService } from './delivery.service.js';
import { IngestService } from './ingest.service.js';
import { MediaListingService } from './media-listing.service.js';

const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: safeText().max(300).optional(),
});

/**
 * `?w=` and `?format=` as the service's variant rules read them: a repeated parameter joins with
 * commas and is refused there (400 invalid_variant), as before this schema existed.
 */
const variantQuery = z.object({
  w: z.coerce.string().optional(),
  format: z.coerce.string().optional(),
});

/**
 * `/api/v1/media`: HTTP in and out; the rules live in {@link IngestService} (uploads),
 * {@link MediaListingService} (JSON) and {@link DeliveryService} (bytes).
 */
@Controller('api/v1/media')
export class MediaController {
  constructor(
    private readonly ingest: IngestService,
    private readonly listing: MediaListingService,
    private readonly delivery: DeliveryService,
    private readonly config: MediaConfig,
  ) {}

  /**
   * Always 201 with the stored image: uploading bytes that are already stored is not an error
   * and yields the same id (content addressing), so clients need no second success path.
   */
  @Post()
  async upload(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Caller() caller: Identity,
  ) {
    const { media } = await this.ingest.upload(
      () => readUpload(request, this.config.limits.uploadBytes),
      caller,
    );
    return reply.status(201).header('cache-control', 'no-store').send(media);
  }

  /** The caller's own uploads: `?limit=` (1–100, default 20) and `?cursor=`. */
  @Get()
  list(
    @Query(new ZodPipe(listQuery)) { limit, cursor }: z.infer<typeof listQuery>,
    @Caller() caller: Identity,
  ) {
    return this.listing.list(caller, limit, cursor);
  }

  @Get(':id/meta')
  meta(@Param('id') id: string, @Caller() caller: Identity) {
    return this.listing.meta(id, caller);
  }

  /** HEAD comes with GET (Fastify's exposeHeadRoutes): same headers, no body. */
  @Get(':id')
  async image(
    @Param('id') id: string,
    @Query(new ZodPipe(variantQuery)) variant: z.infer<typeof variantQuery>,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const served = await this.delivery.serve(id, variant, request.headers.accept);
    const sent = await sendImage(request, reply, served);
    this.delivery.recordBytesOut(sent);
  }
}
