import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { type Space, type SpaceMember, type SpaceTree } from '@lateral/contracts';
import { type Identity } from '@lateral/identity';
import { Caller, ZodPipe } from '@lateral/http';
import {
  createSpaceSchema,
  setMemberSchema,
  spaceKeySchema,
  treeQuerySchema,
  type TreeQuery,
  updateSpaceSchema,
  userIdSchema,
  type CreateSpaceInput,
  type SetMemberInput,
  type UpdateSpaceInput,
} from './spaces.schemas.js';
import { SpacesService } from './spaces.service.js';

const key = new ZodPipe(spaceKeySchema);
const user = new ZodPipe(userIdSchema);

@Controller('api/v1/spaces')
export class SpacesController {
  constructor(private readonly spaces: SpacesService) {}

  @Get()
  list(@Caller() caller: Identity): Promise<{ items: Space[] }> {
    return this.spaces.list(caller);
  }

  @Post()
  create(
    @Body(new ZodPipe(createSpaceSchema)) input: CreateSpaceInput,
    @Caller() caller: Identity,
  ): Promise<Space> {
    return this.spaces.create(input, caller);
  }

  @Get(':key')
  get(@Param('key', key) id: string, @Caller() caller: Identity): Promise<Space> {
    return this.spaces.get(id, caller);
  }

  @Put(':key')
  update(
    @Param('key', key) id: string,
    @Body(new ZodPipe(updateSpaceSchema)) input: UpdateSpaceInput,
    @Caller() caller: Identity,
  ): Promise<Space> {
    return this.spaces.update(id, input, caller);
  }

  /** 204; 409 space_not_empty while pages (live or trashed) are in it. */
  @Delete(':key')
  @HttpCode(204)
  async delete(@Param('key', key) id: string, @Caller() caller: Identity): Promise<void> {
    await this.spaces.delete(id, caller);
  }

  @Get(':key/tree')
  tree(
    @Param('key', key) id: string,
    @Query(new ZodPipe(treeQuerySchema)) query: TreeQuery,
    @Caller() caller: Identity,
  ): Promise<SpaceTree> {
    return query.levels === 'open'
      ? this.spaces.openTree(id, query.page ?? null, caller)
      : this.spaces.pageTree(id, caller);
  }

  @Get(':key/members')
  members(
    @Param('key', key) id: string,
    @Caller() caller: Identity,
  ): Promise<{ items: SpaceMember[] }> {
    return this.spaces.members(id, caller);
  }

  /** One member; 404 `not_found` when the person is not a member. */
  @Get(':key/members/:userId')
  member(
    @Param('key', key) id: string,
    @Param('userId', user) userId: string,
    @Caller() caller: Identity,
  ): Promise<SpaceMember> {
    return this.spaces.member(id, userId, caller);
  }

  @Put(':key/members/:userId')
  setMember(
    @Param('key', key) id: string,
    @Param('userId', user) userId: string,
    @Body(new ZodPipe(setMemberSchema)) input: SetMemberInput,
    @Caller() caller: Identity,
  ): Promise<SpaceMember> {
    return this.spaces.setMember(id, userId, input, caller);
  }

  @Delete(':key/members/:userId')
  @HttpCode(204)
  async removeMember(
    @Param('key', key) id: string,
    @Param('userId', user) userId: string,
    @Caller() caller: Identity,
  ): Promise<void> {
    await this.spaces.removeMember(id, userId, caller);
  }
}
