import { Controller, Get } from '@nestjs/common';
import { type TagCount } from '@lateral/contracts';
import { TagsRepository } from './tags.repository.js';

/** More distinct tags than this is a tagging accident; the rarest are left off. */
const MAX_TAGS = 1000;

@Controller('api/v1/tags')
export class TagsController {
  constructor(private readonly tags: TagsRepository) {}

  @Get()
  async list(): Promise<{ items: TagCount[] }> {
    return { items: await this.tags.counts(MAX_TAGS) };
  }
}
