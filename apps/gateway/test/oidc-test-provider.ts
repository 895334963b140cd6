import { createServer } from 'node:http';
import { freePort } from '@lateral/testing';
import Provider from 'oidc-provider';
import { request as undiciRequest } from 'undici';

/** The gateway's PUBLIC_URL in the OIDC tests: the provider redirects the browser back there. */
export const PUBLIC_URL = 'http://127.0.0.1:8080';

/**
 * A real oidc-provider on a free port for the gateway's client (`lateral` /
 * `lateral-client-secret`); `claimsOf(sub)` answers each account's claims.
 */
export async function startTestProvider(
  claimsOf: (sub: string) => Record<string, unknown>,
  scopes: Record<string, string[]> = {},
): Promise<{ issuer: string; close(): Promise<void> }> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: 'lateral',
        client_secret: 'lateral-client-secret',
        redirect_uris: [`${PUBLIC_URL}/auth/oidc/callback`],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    pkce: { methods: ['S256'], required: () => true },
    cookies: { keys: ['test-cookie-key'] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], ...scopes },
    findAccount: (_ctx, sub) => ({ accountId: sub, claims: () => ({ sub, ...claimsOf(sub) }) }),
  });
  const server = createServer(provider.callback());
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    issuer,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Follows the provider's redirects and login form by hand, keeping its cookies. */
export async function throughProvider(authUrl: string, login: string): Promise<string> {
  const cookies = new Map<string, string>();
  const fetchPage = async (url: string, form?: Record<string, string>) => {
    const res = await undiciRequest(url, {
      method: form ? 'POST' : 'GET',
      headers: {
        cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: form ? new URLSearchParams(form).toString() : undefined,
    });
    for (const line of ([] as string[]).concat(res.headers['set-cookie'] ?? [])) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      cookies.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim());
    }
    const location = res.headers.location as string | undefined;
    return {
      status: res.statusCode,
      location: location && new URL(location, url).toString(),
      text: await res.body.text(),
    };
  };
  let step = await fetchPage(authUrl);
  for (let hops = 0; hops < 10 && step.location && !step.location.startsWith(PUBLIC_URL); hops++) {
    const page = await fetchPage(step.location);
    if (page.status === 200 && /\/interaction\//.test(step.location)) {
      const prompt = /name="prompt" value="(\w+)"/.exec(page.text)?.[1] ?? 'login';
      step = await fetchPage(
        step.location,
        prompt === 'login' ? { prompt, login, password: 'x' } : { prompt },
      );
    } else {
      step = page;
    }
  }
  if (!step.location?.startsWith(`${PUBLIC_URL}/auth/oidc/callback?`))
    throw new Error('no callback');
  return step.location;
}
