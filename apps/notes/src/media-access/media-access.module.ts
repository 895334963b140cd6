import { Module } from '@nestjs/common';
import { MediaAccessController } from './media-access.controller.js';
import { MediaAccessRepository } from './media-access.repository.js';
import { MediaAccessService } from './media-access.service.js';

/** `GET /api/v1/media-access/{mediaId}`: may the caller read this image (page_media + spaces). */
@Module({
  controllers: [MediaAccessController],
  providers: [MediaAccessService, MediaAccessRepository],
})
export class MediaAccessModule {}
