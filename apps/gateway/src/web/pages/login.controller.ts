import { Controller, Get, Query } from '@nestjs/common';
import { type View } from '../render/view.js';
import { loginView } from './login.view.js';
import { Public, CurrentUser, type SessionUser, OidcService, safeNextPath } from '../platform.js';

/** The sign-in page; its form posts to the auth controller's `POST /login`. */
@Controller('login')
@Public()
export class LoginController {
  constructor(private readonly oidc: OidcService) {}

  @Get()
  page(
    @Query('next') next: unknown,
    @Query('error') error: unknown,
    @CurrentUser() user: SessionUser | undefined,
  ): View {
    return loginView({
      next: safeNextPath(next),
      error: typeof error === 'string' ? error.slice(0, 64) : undefined,
      oidc: this.oidc.enabled,
      signedInAs: user?.name,
    });
  }
}
