import { currentRequestId } from '@lateral/observability';
import { Controller, Delete, Get, Post, Req, Res, UseGuards } from '@nestjs/common';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { Roles } from '../auth/auth.decorators.js';
import { ApiRateLimitGuard } from '../rate-limit/api-rate-limit.guard.js';
import { MediaAccessService } from './media-access.service.js';
import { MediaClient } from './media.client.js';

/**
 * `/api/v1/media*` streamed to and from media (uploads with the byte limit, ETag/304, ranges).
 * An image, its variants and its metadata are served only to a person who may read it (notes
 * decides: an image a private page shows is for those who can read such a page); anyone else
 * gets media's own 404, as for an id that does not exist, before media is asked.
 */
@Controller('api/v1/media')
@UseGuards(ApiRateLimitGuard)
export class MediaProxyController {
  constructor(
    private readonly media: MediaClient,
    private readonly access: MediaAccessService,
  ) {}

  @Post()
  @Roles('editor')
  upload(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    return this.media.forward(req, reply);
  }

  @Get()
  list(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    return this.media.forward(req, reply);
  }

  @Get(':id')
  get(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    return this.forwardIfReadable(req, reply);
  }

  @Get(':id/*')
  getOther(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    return this.forwardIfReadable(req, reply);
  }

  @Delete(':id')
  @Roles('editor')
  remove(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    return this.media.forward(req, reply);
  }

  /**
   * GET and HEAD of the image, a variant or its metadata. A person who may not read it gets
   * exactly what media answers for an unknown id (`404 media_not_found`), never 403.
   */
  private async forwardIfReadable(req: FastifyRequest, reply: FastifyReply) {
    const id = (req.params as { id?: string }).id ?? '';
    if (await this.access.canRead(id, req.lateralAuth?.user)) return this.media.forward(req, reply);
    const requestId = currentRequestId();
    return reply
      .code(404)
      .header('cache-control', 'no-store')
      .send({
        error: {
          code: 'media_not_found',
          message: 'No such image.',
          ...(requestId ? { requestId } : {}),
        },
      });
  }
}
