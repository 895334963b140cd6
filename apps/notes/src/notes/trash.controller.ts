import { Controller, Get, Query } from '@nestjs/common';
import { ZodPipe } from '@lateral/http';
import { type NoteSummary, type Page } from '@lateral/contracts';
import { pageQuerySchema, type PageQuery } from './notes.schemas.js';
import { NotesService } from './notes.service.js';

@Controller('api/v1/trash')
export class TrashController {
  constructor(private readonly notes: NotesService) {}

  @Get()
  list(@Query(new ZodPipe(pageQuerySchema)) query: PageQuery): Promise<Page<NoteSummary>> {
    return this.notes.listTrash(query);
  }
}
