import { startFakeStack } from './fake-stack.js';
import { startRealStack, upstreamsBuilt } from './real-stack.js';

export interface Stack {
  baseUrl: string;
  /** Which upstreams the gateway talks to. */
  kind: 'real' | 'fake';
  close(): Promise<void>;
}

/**
 * The whole wiki for a browser: the gateway in-process on a free port, in front of the real
 * notes and media services run from their build (CI builds before it tests). Without a build,
 * or with LATERAL_BROWSER_STACK=fake, the in-memory stand-in answers instead, and says so.
 */
export async function startStack(
  adminUrl: string,
  /** More gateway environment (e.g. SMTP_URL). */
  env: Record<string, string> = {},
): Promise<Stack> {
  const wanted = process.env.LATERAL_BROWSER_STACK;
  if (wanted === 'real' || (wanted !== 'fake' && upstreamsBuilt())) {
    const real = await startRealStack(adminUrl, env);
    return { baseUrl: real.baseUrl, kind: 'real', close: real.close };
  }
  process.stderr.write(
    '[browser tests] notes/media are not built: the UI is tested against the in-memory stand-in. ' +
      'Run `npm run build` first to test the real services.\n',
  );
  const fake = await startFakeStack(adminUrl, env);
  return { baseUrl: fake.baseUrl, kind: 'fake', close: fake.close };
}
