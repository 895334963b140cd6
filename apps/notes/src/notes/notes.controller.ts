import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Post,
  Put,
  Query,
  Res,
} from '@nestjs/common';
import { type Note, type NoteSummary, type NoteWithContext, type Page } from '@lateral/contracts';
import { type Identity } from '@lateral/identity';
import { Caller, ZodPipe } from '@lateral/http';
import { type FastifyReply } from 'fastify';
import {
  createNoteSchema,
  listQuerySchema,
  noteKeySchema,
  pageQuerySchema,
  updateNoteSchema,
  type CreateNoteInput,
  type ListQuery,
  getQuerySchema,
  type GetQuery,
  type PageQuery,
  type UpdateNoteInput,
} from './notes.schemas.js';
import { NotesService } from './notes.service.js';
import { deleteQuerySchema, type DeleteQuery } from './trash.schemas.js';
import { TrashService } from './trash.service.js';

const key = new ZodPipe(noteKeySchema);

@Controller('api/v1/notes')
export class NotesController {
  constructor(
    private readonly notes: NotesService,
    private readonly trashed: TrashService,
  ) {}

  @Get()
  list(
    @Query(new ZodPipe(listQuerySchema)) query: ListQuery,
    @Caller() caller: Identity,
  ): Promise<Page<NoteSummary>> {
    return this.notes.list(query, caller);
  }

  /** 201 with the new page; 200 with the existing one when `importKey` was imported before. */
  @Post()
  async create(
    @Body(new ZodPipe(createNoteSchema)) input: CreateNoteInput,
    @Caller() caller: Identity,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Note> {
    const { note, created } = await this.notes.create(input, caller);
    void reply.status(created ? 201 : 200);
    return note;
  }

  /** The page; `?include=backlinks,place` adds what a page view shows around it (one request). */
  @Get(':key')
  get(
    @Param('key', key) id: string,
    @Query(new ZodPipe(getQuerySchema)) query: GetQuery,
    @Caller() caller: Identity,
  ): Promise<NoteWithContext> {
    return query.include.length
      ? this.notes.getWithContext(id, query.include, caller)
      : this.notes.get(id, caller);
  }

  @Put(':key')
  update(
    @Param('key', key) id: string,
    @Body(new ZodPipe(updateNoteSchema)) input: UpdateNoteInput,
    @Caller() caller: Identity,
  ): Promise<Note> {
    return this.notes.update(id, input, caller);
  }

  @Delete(':key')
  @HttpCode(204)
  async trash(
    @Param('key', key) id: string,
    @Query(new ZodPipe(deleteQuerySchema)) { permanent }: DeleteQuery,
    @Caller() caller: Identity,
  ): Promise<void> {
    await (permanent ? this.trashed.deleteForever(id, caller) : this.notes.trash(id, caller));
  }

  @Post(':id/restore')
  @HttpCode(200)
  untrash(@Param('id', key) id: string, @Caller() caller: Identity): Promise<Note> {
    return this.notes.untrash(id, caller);
  }

  @Get(':key/backlinks')
  backlinks(
    @Param('key', key) id: string,
    @Query(new ZodPipe(pageQuerySchema)) query: PageQuery,
    @Caller() caller: Identity,
  ): Promise<Page<NoteSummary>> {
    return this.notes.backlinks(id, query, caller);
  }
}
