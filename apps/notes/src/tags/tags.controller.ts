import { Controller, Get } from '@nestjs/common';
import { type TagCount } from '@lateral/contracts';
import { Caller } from '@lateral/http';
import { type Identity } from '@lateral/identity';
import { PageAccess } from '../spaces/page-access.js';
import { TagsRepository } from './tags.repository.js';

/** More distinct tags than this is a tagging accident; the rarest are left off. */
const MAX_TAGS = 1000;

@Controller('api/v1/tags')
export class TagsController {
  constructor(private readonly tags: TagsRepository) {}

  @Get()
  async list(@Caller() caller: Identity): Promise<{ items: TagCount[] }> {
    return { items: await this.tags.counts(PageAccess.of(caller), MAX_TAGS) };
  }
}
