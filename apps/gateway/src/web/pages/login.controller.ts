import { Controller, Get, Query } from '@nestjs/common';
import { ZodPipe } from '@lateral/http';
import { z } from 'zod';
import { type View } from '../render/view.js';
import { loginView } from './login.view.js';
import { Public, CurrentUser, type SessionUser, OidcService, safeNextPath } from '../platform.js';

const loginPageQuery = z.object({
  // Checked by safeNextPath (same-site paths only).
  next: z.string().optional(),
  // A code the login form's failure put there (login-redirect.ts); only ever looked up.
  error: z
    .string()
    .optional()
    .transform((code) => code?.slice(0, 64)),
});

/** The sign-in page; its form posts to the auth controller's `POST /login`. */
@Controller('login')
@Public()
export class LoginController {
  constructor(private readonly oidc: OidcService) {}

  @Get()
  page(
    @Query(new ZodPipe(loginPageQuery)) query: z.infer<typeof loginPageQuery>,
    @CurrentUser() user: SessionUser | undefined,
  ): View {
    return loginView({
      next: safeNextPath(query.next),
      error: query.error,
      oidc: this.oidc.enabled,
      signedInAs: user?.name,
    });
  }
}
