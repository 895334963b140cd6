import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { type FastifyRequest } from 'fastify';
import { ZodPipe, isDomainException } from '@lateral/http';
import { type z } from 'zod';
import { type View } from '../render/view.js';
import { ViewResponse } from '../render/view-response.js';
import {
  GatewayConfig,
  PasswordResetsService,
  Public,
  RateLimitService,
  csrfTokenFor,
  inviteFields,
} from '../platform.js';
import { forgotView, type ForgotModel } from './account-link.view.js';
import { formStrings, readForm } from './people-form.js';

const forgotForm = formStrings('email');
const forgotFields = inviteFields.pick({ email: true });

/**
 * "Forgot password" on the sign-in page: a person asks for a reset link by e-mail. The answer is
 * the same whether or not the address has an account; rate-limited per client and per address;
 * without SMTP the page says to ask an admin.
 */
@Controller('forgot')
@Public()
export class ForgotPasswordController {
  constructor(
    private readonly resets: PasswordResetsService,
    private readonly rateLimits: RateLimitService,
    private readonly config: GatewayConfig,
  ) {}

  @Get()
  page(@Req() req: FastifyRequest): View {
    return forgotView(this.model(req, {}));
  }

  @Post()
  @HttpCode(200)
  ask(
    @Body(new ZodPipe(forgotForm)) body: z.infer<typeof forgotForm>,
    @Req() req: FastifyRequest,
  ): View {
    const email = (body.email ?? '').trim();
    if (!this.resets.selfServiceEnabled) {
      throw new ViewResponse(forgotView(this.model(req, { email })), 404);
    }
    const form = readForm(forgotFields, { email });
    if (!form.ok)
      throw new ViewResponse(
        forgotView(this.model(req, { email, error: form.error })),
        form.status,
      );
    try {
      this.resets.requestByEmail(form.data.email, this.rateLimits.clientIp(req));
    } catch (error) {
      if (isDomainException(error) && error.code === 'rate_limited') {
        const page = forgotView(this.model(req, { email, error: error.message }));
        throw new ViewResponse(page, 429, error.headers);
      }
      throw error;
    }
    return forgotView(this.model(req, { email: form.data.email, sent: true }));
  }

  private model(req: FastifyRequest, fields: Partial<ForgotModel>): ForgotModel {
    return {
      enabled: this.resets.selfServiceEnabled,
      sent: false,
      email: '',
      error: undefined,
      csrfToken: csrfTokenFor(req),
      resetMinutes: Math.round(this.config.people.resetTtlMs / 60_000),
      ...fields,
    };
  }
}
