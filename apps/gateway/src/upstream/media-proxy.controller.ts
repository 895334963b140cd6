import { Controller, Delete, Get, Post, Req, Res, UseGuards } from '@nestjs/common';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { Roles } from '../auth/auth.decorators.js';
import { ApiRateLimitGuard } from '../rate-limit/api-rate-limit.guard.js';
import { MediaClient } from './media.client.js';

/** `/api/v1/media*` streamed to and from media (uploads with the byte limit, ETag/304, ranges). */
@Controller('api/v1/media')
@UseGuards(ApiRateLimitGuard)
export class MediaProxyController {
  constructor(private readonly media: MediaClient) {}

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
    return this.media.forward(req, reply);
  }

  @Get(':id/*')
  getOther(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    return this.media.forward(req, reply);
  }

  @Delete(':id')
  @Roles('editor')
  remove(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    return this.media.forward(req, reply);
  }
}
