import { Module } from '@nestjs/common';
import { PageChangesController } from './page-changes.controller.js';
import { PageChangesFeed } from './page-changes.feed.js';

/** `GET /api/v1/page-changes`: what changed, for the gateways' page-view caches. */
@Module({
  controllers: [PageChangesController],
  providers: [PageChangesFeed],
})
export class PageChangesModule {}
