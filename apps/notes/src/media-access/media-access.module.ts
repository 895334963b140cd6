import { Module } from '@nestjs/common';
import { MediaAccessController, MediaReferencesController } from './media-access.controller.js';
import { MediaAccessRepository } from './media-access.repository.js';
import { MediaAccessService } from './media-access.service.js';

/**
 * `GET /api/v1/media-access/{mediaId}`: may the caller read this image (page_media + spaces);
 * `POST /api/v1/media-references`: which images are still used (for collecting unused ones).
 */
@Module({
  controllers: [MediaAccessController, MediaReferencesController],
  providers: [MediaAccessService, MediaAccessRepository],
})
export class MediaAccessModule {}
