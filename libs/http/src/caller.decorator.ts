import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { type Identity } from '@lateral/identity';
import { type FastifyRequest } from 'fastify';

/**
 * `@Caller() caller: Identity` in a handler: the identity {@link installIdentityCheck} verified
 * (`request.caller`). It lives here, not in @lateral/identity, because that lib stays free of Nest.
 */
export const Caller = createParamDecorator((_data: unknown, ctx: ExecutionContext): Identity => {
  const caller = ctx.switchToHttp().getRequest<FastifyRequest>().caller;
  // The identity check refuses unauthenticated requests before any handler runs: a programming error.
  if (!caller) throw new Error('no verified caller on the request');
  return caller;
});
