import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { type Role } from '@lateral/identity';
import { type FastifyRequest } from 'fastify';

/** The signed-in person (or API token) behind a request. */
export interface SessionUser {
  id: string;
  name: string;
  email?: string;
  role: Role;
}

/** `@CurrentUser() user: SessionUser | undefined` in a handler; undefined when anonymous. */
export const CurrentUser = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): SessionUser | undefined =>
    ctx.switchToHttp().getRequest<FastifyRequest>().lateralAuth?.user,
);

const ROLE_RANK: Record<Role, number> = { reader: 0, editor: 1, admin: 2 };

/** True when `role` is at least `required` (reader < editor < admin). */
export function hasRole(role: Role, required: Role): boolean {
  return ROLE_RANK[role] >= ROLE_RANK[required];
}

export { AuthGuard } from './auth.guard.js';
export { Public, Roles, SkipCsrf } from './auth.decorators.js';
export { requestAuth, type RequestAuth, type AuthMethod } from './request-auth.js';
