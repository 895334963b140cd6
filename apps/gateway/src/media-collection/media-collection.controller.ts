import { Controller, HttpCode, Post } from '@nestjs/common';
import { Roles } from '../auth/current-user.js';
import { type CollectionResult, MediaCollector } from './media-collector.service.js';

/** Runs the collection of unused images now (admins), e.g. after emptying the trash. */
@Controller('api/v1/admin/media-collection')
export class MediaCollectionController {
  constructor(private readonly collector: MediaCollector) {}

  @Post()
  @Roles('admin')
  @HttpCode(200)
  run(): Promise<CollectionResult> {
    return this.collector.run();
  }
}
