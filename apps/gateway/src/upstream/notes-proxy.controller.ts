import { Controller, Delete, Get, Post, Put, Req, Res, UseGuards } from '@nestjs/common';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { Roles } from '../auth/auth.decorators.js';
import { ApiRateLimitGuard } from '../rate-limit/api-rate-limit.guard.js';
import { NotesClient } from './notes.client.js';

/**
 * `/api/v1/notes*`, `/search`, `/tags`, `/trash`, `/spaces*` forwarded to notes. Routes are
 * declared one by one so roles are explicit and metrics carry route templates; the catch-alls
 * keep endpoints notes adds later reachable (reading for readers, anything else for editors).
 */
@Controller('api/v1')
@UseGuards(ApiRateLimitGuard)
export class NotesProxyController {
  constructor(private readonly notes: NotesClient) {}

  @Get('notes')
  list(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    return this.notes.forward(req, reply);
  }

  @Post('notes')
  @Roles('editor')
  create(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    return this.notes.forward(req, reply);
  }

  @Get('notes/:id')
  get(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    return this.notes.forward(req, reply);
  }

  @Put('notes/:id')
  @Roles('editor')
  update(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    return this.notes.forward(req, reply);
  }

  @Delete('notes/:id')
  @Roles('editor')
  remove(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    return this.notes.forward(req, reply);
  }

  @Post('notes/:id/restore')
  @Roles('editor')
  restore(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    return this.notes.forward(req, reply);
  }

  @Get('notes/:id/revisions')
  revisions(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    return this.notes.forward(req, reply);
  }

  @Get('notes/:id/revisions/:n')
  revision(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    return this.notes.forward(req, reply);
  }

  @Post('notes/:id/revisions/:n/restore')
  @Roles('editor')
  restoreRevision(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    return this.notes.forward(req, reply);
  }

  @Get('notes/:id/backlinks')
  backlinks(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    return this.notes.forward(req, reply);
  }

  @Get('search')
  search(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    return this.notes.forward(req, reply);
  }

  @Get('tags')
  tags(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    return this.notes.forward(req, reply);
  }

  @Get('trash')
  trash(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    return this.notes.forward(req, reply);
  }

  @Get('trash/:id')
  trashed(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    return this.notes.forward(req, reply);
  }

  /** Deleting for good (this, and `DELETE notes/:id?permanent=true`) is for admins; notes checks too. */
  @Delete('trash')
  @Roles('admin')
  emptyTrash(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    return this.notes.forward(req, reply);
  }

  @Post('notes/:id/move')
  @Roles('editor')
  move(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    return this.notes.forward(req, reply);
  }

  // Spaces: notes decides who may read, write and administer each space (docs/notes.md); the
  // roles here only keep global readers from writing, as for pages.
  @Get('spaces')
  spaces(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    return this.notes.forward(req, reply);
  }

  @Post('spaces')
  @Roles('editor')
  createSpace(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    return this.notes.forward(req, reply);
  }

  @Get('spaces/:id')
  space(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    return this.notes.forward(req, reply);
  }

  @Put('spaces/:id')
  @Roles('editor')
  updateSpace(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    return this.notes.forward(req, reply);
  }

  @Delete('spaces/:id')
  @Roles('editor')
  deleteSpace(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    return this.notes.forward(req, reply);
  }

  @Get('spaces/:id/tree')
  spaceTree(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    return this.notes.forward(req, reply);
  }

  @Get('spaces/:id/members')
  spaceMembers(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    return this.notes.forward(req, reply);
  }

  @Get('spaces/:id/members/:userId')
  spaceMember(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    return this.notes.forward(req, reply);
  }

  @Put('spaces/:id/members/:userId')
  @Roles('editor')
  setSpaceMember(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    return this.notes.forward(req, reply);
  }

  @Delete('spaces/:id/members/:userId')
  @Roles('editor')
  removeSpaceMember(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    return this.notes.forward(req, reply);
  }

  @Get('notes/*')
  readOther(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    return this.notes.forward(req, reply);
  }

  @Post('notes/*')
  @Roles('editor')
  writeOther(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    return this.notes.forward(req, reply);
  }
}
