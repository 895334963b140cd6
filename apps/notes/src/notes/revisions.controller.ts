import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { type Note, type Page, type Revision, type RevisionSummary } from '@lateral/contracts';
import { type Identity } from '@lateral/identity';
import { Caller, ZodPipe } from '@lateral/http';
import {
  noteKeySchema,
  revisionNumberSchema,
  revisionsQuerySchema,
  type PageQuery,
} from './notes.schemas.js';
import { RevisionsService } from './revisions.service.js';

const key = new ZodPipe(noteKeySchema);
const number = new ZodPipe(revisionNumberSchema);

@Controller('api/v1/notes/:key/revisions')
export class RevisionsController {
  constructor(private readonly revisions: RevisionsService) {}

  @Get()
  list(
    @Param('key', key) id: string,
    @Query(new ZodPipe(revisionsQuerySchema)) query: PageQuery,
    @Caller() caller: Identity,
  ): Promise<Page<RevisionSummary>> {
    return this.revisions.list(id, query, caller);
  }

  @Get(':n')
  get(
    @Param('key', key) id: string,
    @Param('n', number) n: number,
    @Caller() caller: Identity,
  ): Promise<Revision> {
    return this.revisions.get(id, n, caller);
  }

  @Post(':n/restore')
  @HttpCode(200)
  restore(
    @Param('key', key) id: string,
    @Param('n', number) n: number,
    @Caller() caller: Identity,
  ): Promise<Note> {
    return this.revisions.restore(id, n, caller);
  }
}
