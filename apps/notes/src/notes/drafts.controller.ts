import { Body, Controller, Delete, Get, HttpCode, Param, Put } from '@nestjs/common';
import { type Draft } from '@lateral/contracts';
import { type Identity } from '@lateral/identity';
import { Caller, ZodPipe } from '@lateral/http';
import { noteKeySchema } from './notes.schemas.js';
import { saveDraftSchema, type SaveDraftInput } from './drafts.schemas.js';
import { DraftsService } from './drafts.service.js';

const key = new ZodPipe(noteKeySchema);
const body = new ZodPipe(saveDraftSchema);

/** The caller's own drafts: of a page (`/notes/:key/draft`) and of a new page (`/drafts/new`). */
@Controller('api/v1')
export class DraftsController {
  constructor(private readonly drafts: DraftsService) {}

  @Get('notes/:key/draft')
  get(@Param('key', key) id: string, @Caller() caller: Identity): Promise<Draft> {
    return this.drafts.get(id, caller);
  }

  @Put('notes/:key/draft')
  put(
    @Param('key', key) id: string,
    @Body(body) input: SaveDraftInput,
    @Caller() caller: Identity,
  ): Promise<Draft> {
    return this.drafts.put(id, input, caller);
  }

  @Delete('notes/:key/draft')
  @HttpCode(204)
  delete(@Param('key', key) id: string, @Caller() caller: Identity): Promise<void> {
    return this.drafts.delete(id, caller);
  }

  @Get('drafts/new')
  getNew(@Caller() caller: Identity): Promise<Draft> {
    return this.drafts.get(null, caller);
  }

  @Put('drafts/new')
  putNew(@Body(body) input: SaveDraftInput, @Caller() caller: Identity): Promise<Draft> {
    return this.drafts.put(null, input, caller);
  }

  @Delete('drafts/new')
  @HttpCode(204)
  deleteNew(@Caller() caller: Identity): Promise<void> {
    return this.drafts.delete(null, caller);
  }
}
