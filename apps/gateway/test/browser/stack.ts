import { startFakeStack } from './fake-stack.js';

export interface Stack {
  baseUrl: string;
  /** Which upstreams the gateway talks to. */
  kind: 'real' | 'fake';
  close(): Promise<void>;
}

/**
 * The whole wiki in-process for a browser: gateway (and, once they exist, the notes and media
 * apps on free ports with their own test databases).
 */
export async function startStack(adminUrl: string): Promise<Stack> {
  const fake = await startFakeStack(adminUrl);
  return { baseUrl: fake.baseUrl, kind: 'fake', close: fake.close };
}
