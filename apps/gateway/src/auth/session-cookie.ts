import { Injectable } from '@nestjs/common';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { GatewayConfig } from '../gateway.config.js';

/**
 * The session cookie: HttpOnly (scripts cannot read it), SameSite=Lax (not sent on cross-site
 * form posts), Secure and `__Host-` prefixed unless COOKIE_SECURE=false for local http.
 */
@Injectable()
export class SessionCookie {
  constructor(private readonly config: GatewayConfig) {}

  get name(): string {
    return this.config.sessionCookieName;
  }

  read(request: FastifyRequest): string | undefined {
    return request.cookies?.[this.name];
  }

  set(reply: FastifyReply, value: string, expiresAt: Date): void {
    void reply.setCookie(this.name, value, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: this.config.cookieSecure,
      expires: expiresAt,
    });
  }

  clear(reply: FastifyReply): void {
    void reply.clearCookie(this.name, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: this.config.cookieSecure,
    });
  }
}
