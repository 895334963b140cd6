import { Controller, Delete, Get, Param, Query } from '@nestjs/common';
import { Caller, ZodPipe } from '@lateral/http';
import { type NoteSummary, type Page } from '@lateral/contracts';
import { type Identity } from '@lateral/identity';
import { noteKeySchema, pageQuerySchema, type PageQuery } from './notes.schemas.js';
import { NotesService } from './notes.service.js';
import { TrashService, type TrashedNote } from './trash.service.js';

@Controller('api/v1/trash')
export class TrashController {
  constructor(
    private readonly notes: NotesService,
    private readonly trash: TrashService,
  ) {}

  @Get()
  list(
    @Query(new ZodPipe(pageQuerySchema)) query: PageQuery,
    @Caller() caller: Identity,
  ): Promise<Page<NoteSummary>> {
    return this.notes.listTrash(query, caller);
  }

  @Get(':key')
  find(
    @Param('key', new ZodPipe(noteKeySchema)) key: string,
    @Caller() caller: Identity,
  ): Promise<TrashedNote> {
    return this.trash.find(key, caller);
  }

  /** Empties the trash (admins); pages go for good with their history. */
  @Delete()
  empty(@Caller() caller: Identity): Promise<{ deleted: number }> {
    return this.trash.empty(caller);
  }
}
