import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { type Identity } from '@lateral/identity';
import { type FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who the gateway says is calling; set by the identity hook before routing. */
    lateralIdentity: Identity | null;
  }
}

/** `@Caller() caller: Identity` in a handler: the verified identity of the request. */
export const Caller = createParamDecorator((_data: unknown, ctx: ExecutionContext): Identity => {
  const identity = ctx.switchToHttp().getRequest<FastifyRequest>().lateralIdentity;
  // The hook rejects unauthenticated requests before any handler runs; this is a programming error.
  if (!identity) throw new Error('no verified identity on the request');
  return identity;
});
