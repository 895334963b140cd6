import { Controller, Get, Query } from '@nestjs/common';
import { type SearchResult } from '@lateral/contracts';
import { Caller, ZodPipe } from '@lateral/http';
import { type Identity } from '@lateral/identity';
import { searchQuerySchema, type SearchQuery } from './search.schemas.js';
import { SearchService } from './search.service.js';

@Controller('api/v1/search')
export class SearchController {
  constructor(private readonly search: SearchService) {}

  @Get()
  find(
    @Query(new ZodPipe(searchQuerySchema)) query: SearchQuery,
    @Caller() caller: Identity,
  ): Promise<SearchResult> {
    return this.search.find(query, caller);
  }
}
