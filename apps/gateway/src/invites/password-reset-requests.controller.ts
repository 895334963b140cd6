import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ZodPipe } from '@lateral/http';
import { type FastifyRequest } from 'fastify';
import { z } from 'zod';
import { Public } from '../auth/auth.decorators.js';
import { RateLimitService } from '../rate-limit/rate-limit.service.js';
import { inviteFields } from './invite-forms.js';
import { PasswordResetsService } from './password-resets.service.js';

const resetRequest = z.object({ email: inviteFields.shape.email });

/**
 * "Forgot password" for API clients (the sign-in page has its own form): 202 whether or not the
 * address has an account; 404 `mail_not_configured` without SMTP; 429 past the rate limit.
 */
@Controller('api/v1/password-resets')
@Public()
export class PasswordResetRequestsController {
  constructor(
    private readonly resets: PasswordResetsService,
    private readonly rateLimits: RateLimitService,
  ) {}

  @Post()
  @HttpCode(202)
  request(
    @Body(new ZodPipe(resetRequest)) body: z.infer<typeof resetRequest>,
    @Req() request: FastifyRequest,
  ): { accepted: true } {
    this.resets.requestByEmail(body.email, this.rateLimits.clientIp(request));
    return { accepted: true };
  }
}
