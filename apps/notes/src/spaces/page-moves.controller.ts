import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { type Note } from '@lateral/contracts';
import { type Identity } from '@lateral/identity';
import { Caller, ZodPipe } from '@lateral/http';
import { PageMovesService } from './page-moves.service.js';
import { moveNoteSchema, uuidSchema, type MoveNoteInput } from './spaces.schemas.js';

@Controller('api/v1/notes')
export class PageMovesController {
  constructor(private readonly moves: PageMovesService) {}

  /** 200 with the moved page; its slug (and so its URL) stays. */
  @Post(':id/move')
  @HttpCode(200)
  move(
    @Param('id', new ZodPipe(uuidSchema)) id: string,
    @Body(new ZodPipe(moveNoteSchema)) input: MoveNoteInput,
    @Caller() caller: Identity,
  ): Promise<Note> {
    return this.moves.move(id, input, caller);
  }
}
