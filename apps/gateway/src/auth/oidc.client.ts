import { Injectable } from '@nestjs/common';
import * as oidc from 'openid-client';
import { GatewayException } from '../errors/gateway-errors.js';
import { GatewayConfig } from '../gateway.config.js';

/** What the browser carries between the redirect to the provider and the callback (signed cookie). */
export interface OidcFlowState {
  state: string;
  nonce: string;
  verifier: string;
  next: string;
  /** Set when a signed-in person started the flow to link their account (`?link=1`). */
  linkUserId?: string;
  /** Set when an invitee signs up with the provider (`?invite=<token>`): the token's hash. */
  inviteHash?: string;
}

export interface OidcIdentity {
  issuer: string;
  subject: string;
  email: string | undefined;
  emailVerified: boolean;
  name: string | undefined;
  /** The groups claim (OIDC_GROUPS_CLAIM), as strings; empty when the provider sent none. */
  groups: string[];
}

export const OIDC_CALLBACK_PATH = '/auth/oidc/callback';

/**
 * The OpenID Connect protocol (openid-client): authorization code flow with PKCE (S256), `state`
 * and `nonce`. The sign-in flow around it (cookie, account, session) is OidcService's.
 * The provider's metadata is discovered on first use and again after a failure, so a provider
 * that is down at boot does not keep the gateway from starting.
 */
@Injectable()
export class OidcClient {
  private configuration: Promise<oidc.Configuration> | undefined;

  constructor(private readonly config: GatewayConfig) {}

  get enabled(): boolean {
    return this.config.oidc !== undefined;
  }

  private get redirectUri(): string {
    return new URL(OIDC_CALLBACK_PATH, this.config.publicUrl).toString();
  }

  private discover(): Promise<oidc.Configuration> {
    const settings = this.config.oidc;
    if (!settings) {
      return Promise.reject(
        new GatewayException('oidc_not_configured', 'Single sign-on is not configured.'),
      );
    }
    this.configuration ??= (async () => {
      const issuer = new URL(settings.issuerUrl);
      // Plain http only when the operator configured an http issuer (local providers, tests).
      const insecure = issuer.protocol === 'http:';
      return oidc.discovery(
        issuer,
        settings.clientId,
        settings.clientSecret,
        undefined,
        insecure ? { execute: [oidc.allowInsecureRequests] } : undefined,
      );
    })().catch((error: unknown) => {
      this.configuration = undefined;
      throw error;
    });
    return this.configuration;
  }

  /** Where to send the browser, and the state to keep in a signed cookie until it returns. */
  async begin(next: string, linkUserId?: string): Promise<{ url: string; flow: OidcFlowState }> {
    const configuration = await this.discoverOrFail();
    const flow: OidcFlowState = {
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
      verifier: oidc.randomPKCECodeVerifier(),
      next,
      ...(linkUserId ? { linkUserId } : {}),
    };
    const url = oidc.buildAuthorizationUrl(configuration, {
      redirect_uri: this.redirectUri,
      scope: this.config.oidc!.scopes,
      response_type: 'code',
      code_challenge: await oidc.calculatePKCECodeChallenge(flow.verifier),
      code_challenge_method: 'S256',
      state: flow.state,
      nonce: flow.nonce,
    });
    return { url: url.toString(), flow };
  }

  /** Exchanges the code (checking state, nonce and PKCE) and returns who signed in. */
  async complete(callbackPathAndQuery: string, flow: OidcFlowState): Promise<OidcIdentity> {
    const configuration = await this.discoverOrFail();
    const currentUrl = new URL(callbackPathAndQuery, this.config.publicUrl);
    try {
      const tokens = await oidc.authorizationCodeGrant(configuration, currentUrl, {
        pkceCodeVerifier: flow.verifier,
        expectedState: flow.state,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims();
      if (!claims) throw new Error('no ID token');
      let profile: Record<string, unknown> = claims;
      const groupsClaim = this.config.oidc!.groupsClaim;
      // Providers often keep email/name (and groups) out of the ID token and serve them from userinfo.
      if (
        (claims.email === undefined ||
          claims.name === undefined ||
          (this.config.oidc!.roleGroups && claims[groupsClaim] === undefined)) &&
        configuration.serverMetadata().userinfo_endpoint
      ) {
        const userinfo = await oidc.fetchUserInfo(configuration, tokens.access_token, claims.sub);
        profile = { ...userinfo, ...claims, sub: claims.sub };
      }
      const text = (key: string) => (typeof profile[key] === 'string' ? profile[key] : undefined);
      return {
        issuer: claims.iss,
        subject: claims.sub,
        email: text('email'),
        emailVerified: profile.email_verified === true,
        name: text('name') ?? text('preferred_username'),
        groups: stringList(profile[groupsClaim]),
      };
    } catch (error) {
      throw new GatewayException('oidc_failed', 'Single sign-on did not complete.', {
        reason: error instanceof Error ? error.message : String(error),
      });
    }
  }

  private async discoverOrFail(): Promise<oidc.Configuration> {
    try {
      return await this.discover();
    } catch (error) {
      if (error instanceof GatewayException) throw error;
      throw new GatewayException(
        'upstream_unavailable',
        'The identity provider is not answering. Try again in a moment.',
        { upstream: 'oidc' },
      );
    }
  }
}

/** A claim that should list strings: an array (non-strings dropped) or one string. */
function stringList(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
